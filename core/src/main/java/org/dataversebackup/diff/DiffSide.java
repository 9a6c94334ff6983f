package org.dataversebackup.diff;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One side of a comparison: a snapshot (an incremental as its chain's state) or the live environment. */
public interface DiffSide {
    /** How the side is named in the report: a snapshot's id, or {@code live}. */
    String label();

    /** The tables this side holds, by logical name. */
    Map<String, SnapshotManifest.Table> tables();

    /**
     * A table's rows, any order.
     *
     * @param work a folder of this table for local copies (the caller deletes it)
     */
    Iterator<ObjectNode> rows(SnapshotManifest.Table table, Path work);
}
