package org.dataversebackup.backup;

/** Message headers of the backup route ({@code dataverse:backup}), for ESB flows. */
public final class BackupHeaders {
    /** In: comma-separated logical names, or {@code *}; overrides {@code backup.tables}. */
    public static final String TABLES = "DataverseBackupTables";
    /** In: {@code file:<folder>} or {@code s3://bucket/prefix}; overrides {@code backup.target}. */
    public static final String TARGET = "DataverseBackupTarget";
    /**
     * In: {@code full} (the default) or {@code incremental}: only the changes since the newest snapshot
     * of the environment in the target (a full one when there is none).
     */
    public static final String KIND = "DataverseBackupKind";
    /** Out: where the snapshot was written (folder or s3:// URI). */
    public static final String LOCATION = "DataverseBackupLocation";
    /** Out: the snapshot id, e.g. {@code 20261129T020000Z-3f2a-full}. */
    public static final String SNAPSHOT_ID = "DataverseBackupSnapshotId";

    /** Set by the job route: the environment it backs up ({@code default} or a name). */
    public static final String ENVIRONMENT = "DataverseEnvironment";

    private BackupHeaders() {
    }
}
