package org.dataversebackup.restore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A table's rows at the time of the newest snapshot of a chain (point-in-time restore): the chain is
 * read newest first, generation by generation (the incremental restored, its parent, ... the full
 * snapshot). A row is given out the first time its id is met, so in its latest version; a row whose
 * id a newer generation's tombstones name was deleted by then and is left out. Within one
 * generation a row and a tombstone of the same id mean it was deleted and created again: the row
 * stands.
 *
 * <p>Memory holds the ids met in the incrementals (the changes of the chain), never those of the
 * full snapshot, which is read last.
 */
final class ChainRecords implements Iterator<ObjectNode> {
    private final List<List<SnapshotReader.LocalPart>> rows = new ArrayList<>();
    private final List<List<SnapshotReader.LocalPart>> tombstones = new ArrayList<>();
    private final String primaryIdAttribute;
    private final Function<List<SnapshotReader.LocalPart>, Iterator<ObjectNode>> reader;
    /** Ids given out from a newer generation. */
    private final Set<String> seen = new HashSet<>();
    /** Ids deleted by a newer generation. */
    private final Set<String> deleted = new HashSet<>();
    private int generation;
    private Iterator<ObjectNode> current;
    private ObjectNode next;

    /**
     * @param parts  the table's local parts across the chain ({@link SnapshotReader#verifiedParts})
     * @param reader the records of a list of parts, in order
     */
    ChainRecords(List<SnapshotReader.LocalPart> parts, String primaryIdAttribute,
            Function<List<SnapshotReader.LocalPart>, Iterator<ObjectNode>> reader) {
        this.primaryIdAttribute = primaryIdAttribute;
        this.reader = reader;
        int generations = parts.stream().mapToInt(SnapshotReader.LocalPart::generation).max().orElse(-1) + 1;
        for (int g = 0; g < generations; g++) {
            rows.add(new ArrayList<>());
            tombstones.add(new ArrayList<>());
        }
        for (SnapshotReader.LocalPart part : parts) {
            (part.tombstones() ? tombstones : rows).get(part.generation()).add(part);
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && generation < rows.size()) {
            if (current == null) {
                current = reader.apply(rows.get(generation));
            }
            while (current.hasNext()) {
                ObjectNode row = current.next();
                String id = id(row, primaryIdAttribute);
                if (seen.contains(id) || deleted.contains(id)) {
                    continue; // a newer version was given out, or it was deleted by then
                }
                if (generation < rows.size() - 1) {
                    seen.add(id); // the oldest generation has nothing older to hide
                }
                next = row;
                return true;
            }
            Iterator<ObjectNode> gone = reader.apply(tombstones.get(generation));
            while (gone.hasNext()) {
                String id = id(gone.next(), "id");
                if (!seen.contains(id)) {
                    deleted.add(id);
                }
            }
            generation++;
            current = null;
        }
        return next != null;
    }

    @Override
    public ObjectNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ObjectNode row = next;
        next = null;
        return row;
    }

    private static String id(ObjectNode record, String attribute) {
        return record.path(attribute).asText("").toLowerCase(Locale.ROOT);
    }
}
