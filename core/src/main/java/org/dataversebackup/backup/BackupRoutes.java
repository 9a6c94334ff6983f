package org.dataversebackup.backup;

/** Names shared by the backup routes (routes/backup.camel.yaml) and their beans. */
public final class BackupRoutes {
    /** The logical name of the table a {@code direct:backup-table} exchange works on. */
    public static final String TABLE_HEADER = "dvbTable";
    /**
     * Where a snapshot file goes: the object key (S3) or the path under the target folder, e.g.
     * {@code contoso/20261129T020000Z-3f2a-full/data/account/part-00001.ndjson.gz}.
     */
    public static final String STORAGE_KEY_HEADER = "dvbStorageKey";

    private BackupRoutes() {
    }
}
