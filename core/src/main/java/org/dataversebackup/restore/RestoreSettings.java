package org.dataversebackup.restore;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.dataverse.WebApiLimits;

/**
 * The {@code restore.*} configuration keys.
 *
 * @param mode        {@code restore.mode}: upsert, create or update
 * @param batchSize   {@code restore.batch-size}: records per chunk: one read of the live rows and one $batch
 * @param useBatch    {@code restore.use-batch}: false sends one request per record (still read in chunks)
 * @param useBulk     {@code restore.use-bulk}: rows to create go in one CreateMultiple or UpsertMultiple request
 *                    per chunk where the table supports the message
 * @param parallelism {@code restore.parallelism}: chunks written at once; empty = the x-ms-dop-hint, capped at 16
 * @param exclude     {@code restore.exclude}: tables left out when no tables are named (patterns, * wildcard)
 * @param workDir     {@code restore.work-dir}: local copies of the parts being restored
 * @param reportDir   {@code restore.report-dir}: the JSON report and the failures file of every restore
 * @param progress    {@code restore.progress-seconds}: at most one progress line per table this often
 * @param preserveCreatedOn {@code restore.preserve-created-on}: created rows get the saved createdon
 *                    (sent as overriddencreatedon, which Dataverse turns into createdon)
 * @param keys        {@code snapshot.signing-key}, {@code snapshot.verify-key}, {@code snapshot.encryption-key}
 */
public record RestoreSettings(RestoreMode mode, int batchSize, boolean useBatch, boolean useBulk, Optional<Integer> parallelism,
        List<String> exclude, Path workDir, Path reportDir, java.time.Duration progress, boolean preserveCreatedOn,
        SnapshotKeys keys) {

    public static final int MAX_PARALLELISM = 16;

    public static RestoreSettings from(Settings settings) {
        int batchSize = settings.intValue("restore.batch-size", 100);
        if (batchSize < 1 || batchSize > WebApiLimits.MAX_BATCH_OPERATIONS) {
            throw new ConfigurationException(settings.keyName("restore.batch-size") + " must be 1 to "
                    + WebApiLimits.MAX_BATCH_OPERATIONS + " (the most requests one $batch holds).");
        }
        Optional<Integer> parallelism = settings.optionalInt("restore.parallelism");
        if (parallelism.isPresent() && parallelism.get() < 1) {
            throw new ConfigurationException("restore.parallelism must be at least 1.");
        }
        return new RestoreSettings(RestoreMode.parse(settings.get("restore.mode", "upsert")), batchSize,
                settings.booleanValue("restore.use-batch", true), settings.booleanValue("restore.use-bulk", true), parallelism, settings.list("restore.exclude"),
                Path.of(settings.get("restore.work-dir", Path.of(System.getProperty("java.io.tmpdir"), "dataverse-restore").toString())),
                Path.of(settings.get("restore.report-dir", "restore-reports")),
                java.time.Duration.ofSeconds(Math.max(1, settings.intValue("restore.progress-seconds", 10))),
                settings.booleanValue("restore.preserve-created-on", true), SnapshotKeys.from(settings));
    }
}
