package org.dataversebackup.backup;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;

/**
 * The snapshot an incremental backup continues from: the newest complete snapshot (full or
 * incremental) of the environment in the target, with the change-tracking token each of its tables
 * obtained. The incremental reads each table's changes since that token.
 *
 * @param snapshotId  the parent of the new incremental
 * @param chainFull   the full snapshot where the chain starts
 * @param deltaTokens by table: the token the parent obtained (tables without one are copied whole)
 */
public record IncrementalBase(String snapshotId, String chainFull, Map<String, String> deltaTokens) {

    /**
     * The newest complete snapshot under {@code <environment>/}. Snapshot ids begin with their UTC
     * start time to the second, so the folders are read newest second first and only until a
     * manifest is found; the random part after the time says nothing about order, so snapshots of
     * the same second are told apart by their manifests' completion times.
     */
    public static Optional<IncrementalBase> latest(SnapshotStore store, String environment) {
        SnapshotCatalog catalog = new SnapshotCatalog(store);
        List<String> newestFirst = store.folders(environment).stream().sorted(Comparator.reverseOrder()).toList();
        SnapshotManifest newest = null;
        String newestSecond = null;
        for (String snapshot : newestFirst) {
            String second = startSecond(snapshot);
            if (newestSecond != null && !newestSecond.equals(second)) {
                break;
            }
            Optional<SnapshotManifest> manifest = catalog.manifest(environment + "/" + snapshot);
            if (manifest.isPresent()) {
                newestSecond = second;
                if (newest == null || completion(manifest.get()).isAfter(completion(newest))) {
                    newest = manifest.get();
                }
            }
        }
        return Optional.ofNullable(newest).map(IncrementalBase::of);
    }

    private static String startSecond(String snapshotId) {
        int dash = snapshotId.indexOf('-');
        return dash < 0 ? snapshotId : snapshotId.substring(0, dash);
    }

    private static Instant completion(SnapshotManifest manifest) {
        String time = manifest.completedAt() != null ? manifest.completedAt() : manifest.startedAt();
        try {
            return Instant.parse(time);
        } catch (RuntimeException unreadable) {
            return Instant.MIN;
        }
    }

    static IncrementalBase of(SnapshotManifest parent) {
        Map<String, String> tokens = new HashMap<>();
        for (SnapshotManifest.Table table : parent.tables()) {
            if (table.deltaToken() != null) {
                tokens.put(table.logicalName(), table.deltaToken());
            }
        }
        return new IncrementalBase(parent.snapshotId(), parent.incremental() ? parent.chainFull() : parent.snapshotId(),
                Map.copyOf(tokens));
    }

    public Optional<String> token(String table) {
        return Optional.ofNullable(deltaTokens.get(table));
    }
}
