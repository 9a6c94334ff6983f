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
 */
public class SnapshotPruner {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPruner.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final SnapshotStore store;

    public SnapshotPruner(SnapshotStore store) {
        this.store = store;
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
        byEnvironment.values().forEach(entries -> decisions.addAll(policy.apply(entries, e -> alerts.standing(e.key()))));
        List<SnapshotCatalog.Incomplete> stale = catalog.incomplete().stream()
                .filter(i -> startedAt(i.key()).map(t -> t.plus(incompleteGrace).isBefore(now)).orElse(false)).toList();
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
