package org.dataversebackup.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RetentionPolicy} to a target, environment by environment: deletes the complete
 * snapshots no rule keeps, and the incomplete ones (failed or killed backups) older than a grace
 * period, so that a backup still running is never touched. A dry run only says what would go.
 *
 * <p>With S3 Object Lock ({@link S3ObjectLock}) on an S3 target, a snapshot whose objects are still
 * locked is kept, saying until when: S3 would refuse to delete its objects (or, in a versioned
 * bucket, hide them behind delete markers while their locked versions stay), so prune leaves it for
 * a later run rather than report a failure every night.
 */
public class SnapshotPruner {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPruner.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final SnapshotStore store;
    private final Optional<S3ObjectLock> objectLock;

    public SnapshotPruner(SnapshotStore store) {
        this(store, Optional.empty());
    }

    /** @param objectLock the lock of {@code s3.object-lock-*}; applies to an S3 target only */
    public SnapshotPruner(SnapshotStore store, Optional<S3ObjectLock> objectLock) {
        this.store = store;
        this.objectLock = store instanceof SnapshotStore.S3Store ? objectLock : Optional.empty();
    }

    /**
     * @param decisions    every complete snapshot, kept or not, with the reasons
     * @param incomplete   incomplete snapshots removed (or to remove) after the grace period
     * @param failures     snapshots that could not be deleted, with why (e.g. an S3 Object Lock)
     */
    public record Outcome(List<RetentionPolicy.Decision> decisions, List<SnapshotCatalog.Incomplete> incomplete,
            Map<String, String> failures) {
        public long removed() {
            return decisions.stream().filter(d -> !d.keep()).count();
        }
    }

    public Outcome prune(RetentionPolicy policy, Duration incompleteGrace, boolean dryRun, Instant now) {
        SnapshotCatalog catalog = new SnapshotCatalog(store);
        Map<String, List<SnapshotCatalog.Entry>> byEnvironment = new LinkedHashMap<>();
        for (SnapshotCatalog.Entry entry : catalog.list()) {
            byEnvironment.computeIfAbsent(entry.key().substring(0, entry.key().indexOf('/')), e -> new ArrayList<>()).add(entry);
        }
        List<RetentionPolicy.Decision> decisions = new ArrayList<>();
        SnapshotAlerts alerts = new SnapshotAlerts(store);
        byEnvironment.values().forEach(entries -> policy.apply(entries, e -> alerts.standing(e.key()))
                .forEach(decision -> decisions.add(unlessLocked(decision, now))));
        List<SnapshotCatalog.Incomplete> stale = catalog.incomplete().stream()
                .filter(i -> startedAt(i.key()).map(t -> t.plus(incompleteGrace).isBefore(now)).orElse(false))
                .filter(i -> !locked(i, now)).toList();
        Map<String, String> failures = new LinkedHashMap<>();
        if (!dryRun) {
            for (RetentionPolicy.Decision decision : decisions) {
                if (!decision.keep()) {
                    delete(decision.snapshot().key(), failures);
                }
            }
            for (SnapshotCatalog.Incomplete incomplete : stale) {
                delete(incomplete.key(), failures);
            }
        }
        return new Outcome(decisions, stale, failures);
    }

    /** A snapshot to prune whose last object is still locked is kept instead, saying until when. */
    private RetentionPolicy.Decision unlessLocked(RetentionPolicy.Decision decision, Instant now) {
        if (decision.keep() || objectLock.isEmpty()) {
            return decision;
        }
        SnapshotManifest manifest = decision.snapshot().manifest();
        // the manifest is the last object written: when it is unlocked, every object is
        Instant written = Instant.parse(manifest.completedAt() != null ? manifest.completedAt() : manifest.startedAt());
        Instant until = objectLock.get().lockedUntil(written);
        if (!until.isAfter(now)) {
            return decision;
        }
        return new RetentionPolicy.Decision(decision.snapshot(), true,
                List.of("no rule keeps it, but S3 Object Lock does until " + until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    }

    /** An incomplete snapshot some of whose objects may still be locked (written since it started). */
    private boolean locked(SnapshotCatalog.Incomplete incomplete, Instant now) {
        if (objectLock.isEmpty()) {
            return false;
        }
        Optional<Instant> started = startedAt(incomplete.key());
        if (started.isPresent() && objectLock.get().lockedUntil(started.get()).isAfter(now)) {
            LOG.info("Not removed yet: {} (incomplete) is locked by S3 Object Lock until at least {}", store.location(incomplete.key()),
                    objectLock.get().lockedUntil(started.get()));
            return true;
        }
        return false;
    }

    private void delete(String key, Map<String, String> failures) {
        try {
            store.delete(key);
            LOG.info("Pruned {}", store.location(key));
        } catch (RuntimeException e) {
            // an S3 Object Lock (or permissions) keeps it: say so, go on with the others
            failures.put(key, e.getMessage());
            LOG.warn("Not pruned: {}: {}", store.location(key), e.getMessage());
        }
    }

    /** When a snapshot began, from its id ({@code <UTC time>-<hex>-<kind>}); empty for a folder not named so. */
    static Optional<Instant> startedAt(String key) {
        String id = key.substring(key.lastIndexOf('/') + 1);
        if (id.length() < 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(ID_TIME.parse(id.substring(0, 16))));
        } catch (RuntimeException notASnapshotId) {
            return Optional.empty();
        }
    }
}
