package org.dataversebackup.camel;

import org.apache.camel.spi.Metadata;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.check.CheckHeaders;
import org.dataversebackup.restore.RestoreHeaders;

/** The message headers of the {@code dataverse:} component (endpoint options win over them). */
public final class DataverseHeaders {
    @Metadata(description = "The environment a job ran for", javaType = "String")
    public static final String ENVIRONMENT = CompletionEvents.ENVIRONMENT_HEADER;

    @Metadata(label = "backup", description = "Tables to back up (comma-separated logical names or *)", javaType = "String")
    public static final String BACKUP_TABLES = BackupHeaders.TABLES;
    @Metadata(label = "backup", description = "Where the snapshot goes", javaType = "String")
    public static final String BACKUP_TARGET = BackupHeaders.TARGET;
    /** {@code full} or {@code incremental}. */
    public static final String BACKUP_KIND = BackupHeaders.KIND;
    @Metadata(label = "backup", description = "Out: the snapshot's location", javaType = "String")
    public static final String BACKUP_LOCATION = BackupHeaders.LOCATION;
    @Metadata(label = "backup", description = "Out: the snapshot's id", javaType = "String")
    public static final String BACKUP_SNAPSHOT_ID = BackupHeaders.SNAPSHOT_ID;

    @Metadata(label = "restore", description = "The snapshot to restore", javaType = "String")
    public static final String RESTORE_SNAPSHOT = RestoreHeaders.SNAPSHOT;
    @Metadata(label = "restore", description = "Tables to restore", javaType = "String")
    public static final String RESTORE_TABLES = RestoreHeaders.TABLES;
    @Metadata(label = "restore", description = "upsert, create or update", javaType = "String")
    public static final String RESTORE_MODE = RestoreHeaders.MODE;
    @Metadata(label = "restore", description = "Only these primary keys", javaType = "String")
    public static final String RESTORE_IDS = RestoreHeaders.IDS;
    @Metadata(label = "restore", description = "Only the rows matching this filter", javaType = "String")
    public static final String RESTORE_FILTER = RestoreHeaders.FILTER;
    @Metadata(label = "restore", description = "Plan without writing", javaType = "Boolean")
    public static final String RESTORE_DRY_RUN = RestoreHeaders.DRY_RUN;
    public static final String RESTORE_DELETES = RestoreHeaders.DELETES;
    @Metadata(label = "restore", description = "A mapping file of ids that differ in the target", javaType = "String")
    public static final String RESTORE_MAPPING = RestoreHeaders.MAPPING;
    @Metadata(label = "restore", description = "Allow a snapshot of another environment", javaType = "Boolean")
    public static final String RESTORE_ALLOW_OTHER_ENVIRONMENT = RestoreHeaders.ALLOW_OTHER_ENVIRONMENT;
    @Metadata(label = "restore", description = "Out: whether everything asked for was restored", javaType = "Boolean")
    public static final String RESTORE_OK = RestoreHeaders.OK;

    @Metadata(label = "check", description = "backup or restore", javaType = "String")
    public static final String CHECK_PURPOSE = CheckHeaders.PURPOSE;
    @Metadata(label = "check", description = "Tables to check", javaType = "String")
    public static final String CHECK_TABLES = CheckHeaders.TABLES;
    @Metadata(label = "check", description = "Out: whether the check passed", javaType = "Boolean")
    public static final String CHECK_PASSED = CheckHeaders.PASSED;

    @Metadata(label = "diff", description = "The older snapshot", javaType = "String")
    public static final String DIFF_OLDER = org.dataversebackup.diff.DiffHeaders.OLDER;
    @Metadata(label = "diff", description = "The newer snapshot, or live", javaType = "String")
    public static final String DIFF_NEWER = org.dataversebackup.diff.DiffHeaders.NEWER;
    @Metadata(label = "diff", description = "Tables to compare", javaType = "String")
    public static final String DIFF_TABLES = org.dataversebackup.diff.DiffHeaders.TABLES;
    @Metadata(label = "diff", description = "A file for the rows that differ (JSON lines)", javaType = "String")
    public static final String DIFF_CHANGES_FILE = org.dataversebackup.diff.DiffHeaders.CHANGES_FILE;
    @Metadata(label = "diff", description = "Out: true when nothing differs", javaType = "Boolean")
    public static final String DIFF_SAME = org.dataversebackup.diff.DiffHeaders.SAME;

    @Metadata(label = "records", description = "Out: the logical name of the row's table", javaType = "String")
    public static final String TABLE = "DataverseTable";
    @Metadata(label = "records,write", description = "The row's primary key: records sets it; write reads it (else the"
            + " body's primary key) and sets it to the id written", javaType = "String")
    public static final String RECORD_ID = "DataverseRecordId";
    @Metadata(label = "write", description = "Out: the HTTP status Dataverse answered the write with", javaType = "Integer")
    public static final String WRITE_STATUS = "DataverseWriteStatus";

    private DataverseHeaders() {
    }
}
