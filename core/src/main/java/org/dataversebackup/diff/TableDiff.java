package org.dataversebackup.diff;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.dataversebackup.snapshot.SnapshotJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Compares two versions of one table row by row: which rows were added, removed, and changed (with
 * the columns that differ).
 *
 * <p>Why hash partitions on disk: a snapshot's parts are in the order Dataverse paged them (by the
 * primary key for a full read, by modifiedon for an incremental's changes, and a chain's state mixes
 * generations), so the two sides cannot be merged as sorted streams. Each side is first spilled to
 * {@code buckets} files by a hash of the id; then one bucket pair at a time is compared in memory.
 * Memory holds one bucket of the older side (about rows / buckets records, as lines), never the
 * whole table, and the files hold one copy of each side. A row is compared column by column only
 * when its two lines differ: most rows of two snapshots are the same, and the same line.
 */
public final class TableDiff {
    /** Rows of the older side held in memory per bucket, about. */
    static final int ROWS_PER_BUCKET = 20_000;
    /** One record per line (the snapshot mapper indents). */
    private static final com.fasterxml.jackson.databind.ObjectWriter LINE = SnapshotJson.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /** One row that differs; {@code columns} for a changed row (sorted), empty otherwise. */
    public record RowChange(String id, Kind kind, List<String> columns) {
    }

    public enum Kind {
        ADDED, REMOVED, CHANGED
    }

    /** A table's counts. */
    public record Counts(long added, long removed, long changed, long unchanged) {
        public boolean same() {
            return added == 0 && removed == 0 && changed == 0;
        }
    }

    private TableDiff() {
    }

    /**
     * @param older         the rows of the older version, any order
     * @param newer         the rows of the newer version, any order
     * @param expectedRows  about how many rows a side holds (sizes the buckets)
     * @param spill         an empty folder for the bucket files (the caller deletes it)
     * @param changes       receives every row that differs, bucket by bucket (so in no particular order)
     */
    public static Counts compare(Iterator<ObjectNode> older, Iterator<ObjectNode> newer, String primaryIdAttribute,
            long expectedRows, Path spill, Consumer<RowChange> changes) {
        return compare(older, newer, primaryIdAttribute, expectedRows, spill, column -> true, changes);
    }

    /** As above, comparing only the columns {@code compared} accepts (a drill compares what a restore writes). */
    public static Counts compare(Iterator<ObjectNode> older, Iterator<ObjectNode> newer, String primaryIdAttribute,
            long expectedRows, Path spill, java.util.function.Predicate<String> compared, Consumer<RowChange> changes) {
        int buckets = (int) Math.max(1, Math.min(4096, expectedRows / ROWS_PER_BUCKET + 1));
        try {
            Path olderDir = Files.createDirectories(spill.resolve("older"));
            Path newerDir = Files.createDirectories(spill.resolve("newer"));
            partition(older, primaryIdAttribute, buckets, olderDir);
            partition(newer, primaryIdAttribute, buckets, newerDir);
            long added = 0;
            long removed = 0;
            long changed = 0;
            long unchanged = 0;
            for (int b = 0; b < buckets; b++) {
                // the older side's rows of this bucket as their lines: an unchanged row (most of them) is the same
                // line on both sides, found without parsing it again
                Map<String, String> before = new HashMap<>();
                readBucket(olderDir, b, (id, line) -> before.put(id, line));
                List<RowChange> found = new ArrayList<>();
                long[] same = {0};
                readBucket(newerDir, b, (id, line) -> {
                    String was = before.remove(id);
                    if (was == null) {
                        found.add(new RowChange(id, Kind.ADDED, List.of()));
                    } else if (was.equals(line)) {
                        same[0]++;
                    } else {
                        List<String> columns = changedColumns(parse(was), parse(line));
                        columns.removeIf(compared.negate());
                        if (columns.isEmpty()) {
                            same[0]++;
                        } else {
                            found.add(new RowChange(id, Kind.CHANGED, columns));
                        }
                    }
                });
                before.keySet().forEach(id -> found.add(new RowChange(id, Kind.REMOVED, List.of())));
                for (RowChange change : found) {
                    switch (change.kind()) {
                        case ADDED -> added++;
                        case REMOVED -> removed++;
                        case CHANGED -> changed++;
                    }
                    changes.accept(change);
                }
                unchanged += same[0];
            }
            return new Counts(added, removed, changed, unchanged);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot spill the rows to compare to " + spill + ": " + e.getMessage(), e);
        }
    }

    /**
     * The columns whose values differ, annotations ({@code name@OData.Community...}, {@code @odata.etag})
     * left out: they describe a value, they are not one.
     */
    static List<String> changedColumns(ObjectNode before, ObjectNode after) {
        TreeSet<String> names = new TreeSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        List<String> differ = new ArrayList<>();
        for (String name : names) {
            if (name.contains("@")) {
                continue;
            }
            JsonNode a = before.get(name);
            JsonNode b = after.get(name);
            boolean aEmpty = a == null || a.isNull();
            boolean bEmpty = b == null || b.isNull();
            if (aEmpty && bEmpty) {
                continue; // a column left out and a null are the same empty value
            }
            if (aEmpty != bEmpty || !a.equals(b)) {
                differ.add(name);
            }
        }
        return differ;
    }

    /** Each row as a line {@code <id> TAB <json>} in the bucket file of its id's hash. */
    private static void partition(Iterator<ObjectNode> rows, String primaryIdAttribute, int buckets, Path dir)
            throws IOException {
        BufferedWriter[] writers = new BufferedWriter[buckets];
        try {
            while (rows.hasNext()) {
                ObjectNode row = rows.next();
                String id = id(row, primaryIdAttribute);
                int b = Math.floorMod(id.hashCode(), buckets);
                if (writers[b] == null) {
                    writers[b] = Files.newBufferedWriter(dir.resolve(b + ".ndjson"), StandardCharsets.UTF_8);
                }
                writers[b].write(id);
                writers[b].write('\t');
                writers[b].write(LINE.writeValueAsString(row));
                writers[b].write('\n');
            }
        } finally {
            for (BufferedWriter writer : writers) {
                if (writer != null) {
                    writer.close();
                }
            }
        }
    }

    private static void readBucket(Path dir, int bucket, BiConsumer<String, String> row) throws IOException {
        Path file = dir.resolve(bucket + ".ndjson");
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int tab = line.indexOf('\t');
                row.accept(line.substring(0, tab), line.substring(tab + 1));
            }
        }
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) SnapshotJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("A spilled row cannot be read back: " + e.getMessage(), e);
        }
    }

    private static String id(ObjectNode row, String attribute) {
        return row.path(attribute).asText("").toLowerCase(Locale.ROOT);
    }
}
