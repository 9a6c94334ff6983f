package org.dataversebackup.backup;

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
     * The newest complete snapshot under {@code <environment>/}: snapshot ids begin with their UTC
     * start time, so the folders are read newest first and only until a manifest is found.
     */
    public static Optional<IncrementalBase> latest(SnapshotStore store, String environment) {
        SnapshotCatalog catalog = new SnapshotCatalog(store);
        List<String> newestFirst = store.folders(environment).stream().sorted(Comparator.reverseOrder()).toList();
        for (String snapshot : newestFirst) {
            Optional<SnapshotManifest> manifest = catalog.manifest(environment + "/" + snapshot);
            if (manifest.isPresent()) {
                return Optional.of(of(manifest.get()));
            }
        }
        return Optional.empty();
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
