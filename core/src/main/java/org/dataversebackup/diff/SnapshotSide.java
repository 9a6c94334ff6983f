package org.dataversebackup.diff;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dataversebackup.restore.SnapshotReader;
import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A snapshot as one side of a comparison. Its parts are checked against the manifest as
 * {@code verify} does (a damaged part fails the comparison, naming the file), and an incremental
 * is its chain's state at its time: each row once, in its latest version.
 */
public final class SnapshotSide implements DiffSide {
    private final SnapshotReader reader;

    public SnapshotSide(SnapshotReader reader) {
        this.reader = reader;
    }

    @Override
    public String label() {
        return reader.manifest().snapshotId();
    }

    /** The snapshot's manifest (its id, time and tables). */
    public SnapshotManifest manifest() {
        return reader.manifest();
    }

    @Override
    public Map<String, SnapshotManifest.Table> tables() {
        Map<String, SnapshotManifest.Table> tables = new LinkedHashMap<>();
        for (SnapshotManifest.Table table : reader.manifest().tables()) {
            if (table.skipped() == null) {
                tables.put(table.logicalName(), table);
            }
        }
        return tables;
    }

    @Override
    public Iterator<ObjectNode> rows(SnapshotManifest.Table table, Path work) {
        return reader.records(reader.verifiedParts(table, work), table.primaryIdAttribute());
    }
}
