package org.dataversebackup.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.Header;
import org.dataversebackup.snapshot.RetentionPolicy;
import org.dataversebackup.snapshot.SnapshotPruner;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Prunes the target after each scheduled backup when a {@code retention.keep-*} key is set (the
 * schedule route's last step): the snapshots no rule keeps, and incomplete ones older than
 * {@code retention.incomplete-grace}. A failure to prune is logged; the backup stays a success.
 */
public class RetentionAfterBackup {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionAfterBackup.class);

    private final Optional<RetentionPolicy> policy;
    private final Duration incompleteGrace;
    private final String defaultTarget;
    private final Supplier<S3Client> s3;
    private final Optional<org.dataversebackup.snapshot.S3ObjectLock> objectLock;

    public RetentionAfterBackup(Optional<RetentionPolicy> policy, Duration incompleteGrace, String defaultTarget,
            Supplier<S3Client> s3, Optional<org.dataversebackup.snapshot.S3ObjectLock> objectLock) {
        this.objectLock = objectLock;
        this.policy = policy;
        this.incompleteGrace = incompleteGrace;
        this.defaultTarget = defaultTarget;
        this.s3 = s3;
    }

    public void afterBackup(@Header(BackupHeaders.TARGET) String target) {
        if (policy.isEmpty()) {
            return;
        }
        SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(target != null && !target.isBlank() ? target : defaultTarget), s3);
        try {
            SnapshotPruner.Outcome outcome = new SnapshotPruner(store, objectLock).prune(policy.get(), incompleteGrace, false, Instant.now());
            LOG.info("Retention in {}: {} snapshots kept, {} pruned, {} incomplete removed{}", store.location(""),
                    outcome.decisions().size() - outcome.removed(), outcome.removed(), outcome.incomplete().size(),
                    outcome.failures().isEmpty() ? "" : ", " + outcome.failures().size() + " could not be deleted");
        } catch (RuntimeException e) {
            LOG.warn("Retention in {} did not run to the end: {}", store.location(""), e.getMessage());
        }
    }
}
