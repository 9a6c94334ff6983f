package org.dataversebackup.operations;

import java.time.Instant;
import java.util.List;

/**
 * What one backup or restore did, as the history and the metrics keep it: taken from the job's
 * own summary (backup) or report (restore) when it answered one, else from its error.
 *
 * @param type        {@code backup} or {@code restore}
 * @param environment the configured environment ({@code default} or a name under dataverse.environments)
 * @param outcome     {@code success} or {@code failed}
 * @param records     records written (to the snapshot by a backup, created or updated by a restore)
 * @param bytes       bytes written to the snapshot (backup; 0 for a restore)
 * @param rowsFailed  rows a restore could not write (0 for a backup)
 */
public record JobRecord(String type, String environment, String outcome, Instant startedAt, Instant finishedAt,
        double seconds, String snapshotId, String location, long records, long bytes, long rowsFailed, String error,
        List<TableCounts> tables) {

    public boolean succeeded() {
        return "success".equals(outcome);
    }

    /**
     * One table of the job: records and bytes read and written (a backup writes what it reads; a
     * restore reads the snapshot's records and writes the created and updated ones).
     */
    public record TableCounts(String table, long recordsRead, long bytesRead, long recordsWritten, long bytesWritten,
            long rowsFailed) {
    }
}
