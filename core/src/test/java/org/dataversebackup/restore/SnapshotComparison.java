package org.dataversebackup.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Compares two snapshots record for record: the same rows (by primary key), every writable field
 * equal (from the saved schema: valid for create or update, not a helper column), every lookup
 * pointing to the same row of the same table, and the same N:N links. {@code createdon} must be
 * equal too (restore keeps it); {@code overriddencreatedon} is not compared, as Dataverse sets it
 * to the moment a row is created with a given createdon.
 */
final class SnapshotComparison {
    private SnapshotComparison() {
    }

    static List<String> differences(Path expected, Path actual, List<String> tables, Path work) {
        return differences(expected, actual, tables, work, org.dataversebackup.snapshot.SnapshotKeys.none());
    }

    /** As above, for snapshots read with these keys (encrypted ones). */
    static List<String> differences(Path expected, Path actual, List<String> tables, Path work,
            org.dataversebackup.snapshot.SnapshotKeys keys) {
        List<String> differences = new ArrayList<>();
        SnapshotReader a = SnapshotReader.open(expected.toString(), () -> null, keys);
        SnapshotReader b = SnapshotReader.open(actual.toString(), () -> null, keys);
        try {
            for (String name : tables) {
                SnapshotManifest.Table ta = table(a, name);
                SnapshotManifest.Table tb = table(b, name);
                TableSchema schema = TableSchema.parse(a.schema(ta), ta.entitySetName(), ta.primaryIdAttribute());
                Map<String, JsonNode> rowsA = rows(a, ta, schema, work.resolve("compare-a"));
                Map<String, JsonNode> rowsB = rows(b, tb, schema, work.resolve("compare-b"));
                if (schema.intersect()) {
                    Set<String> linksA = links(rowsA.values(), schema);
                    Set<String> linksB = links(rowsB.values(), schema);
                    if (!linksA.equals(linksB)) {
                        differences.add(name + ": links differ: missing " + minus(linksA, linksB) + ", extra " + minus(linksB, linksA));
                    }
                    continue;
                }
                if (!rowsA.keySet().equals(rowsB.keySet())) {
                    differences.add(name + ": rows differ: missing " + minus(rowsA.keySet(), rowsB.keySet()) + ", extra "
                            + minus(rowsB.keySet(), rowsA.keySet()));
                }
                for (Map.Entry<String, JsonNode> row : rowsA.entrySet()) {
                    JsonNode other = rowsB.get(row.getKey());
                    if (other == null) {
                        continue;
                    }
                    for (TableSchema.Attribute column : compared(schema)) {
                        String property = column.property();
                        JsonNode x = row.getValue().get(property);
                        JsonNode y = other.get(property);
                        boolean same = column.lookup() ? sameLookup(row.getValue(), other, property)
                                : ColumnValue.Plain.same(x, y);
                        if (!same) {
                            differences.add(name + " " + row.getKey() + " " + property + ": " + describe(row.getValue(), property)
                                    + " became " + describe(other, property));
                        }
                    }
                }
            }
        } finally {
            SnapshotReader.deleteRecursively(work);
        }
        return differences;
    }

    private static List<TableSchema.Attribute> compared(TableSchema schema) {
        List<TableSchema.Attribute> columns = new ArrayList<>(schema.writableAttributes());
        columns.removeIf(c -> c.logicalName().equals(RecordMapper.OVERRIDDEN_CREATED_ON));
        TableSchema.Attribute createdOn = schema.attribute(RecordMapper.CREATED_ON);
        if (createdOn != null) {
            columns.add(createdOn);
        }
        return columns;
    }

    /** The lookups of a table that differ, for tests that expect exactly some. */
    static String describe(JsonNode row, String property) {
        JsonNode table = row.get(property + ColumnValue.LOOKUP_TABLE);
        return String.valueOf(row.get(property)) + (table == null ? "" : " (" + table.asText() + ")");
    }

    private static boolean sameLookup(JsonNode a, JsonNode b, String property) {
        String ida = text(a.get(property));
        String idb = text(b.get(property));
        if (ida == null || idb == null) {
            return ida == null && idb == null;
        }
        String ta = text(a.get(property + ColumnValue.LOOKUP_TABLE));
        String tb = text(b.get(property + ColumnValue.LOOKUP_TABLE));
        return ida.equals(idb) && (ta == null || tb == null || ta.equals(tb));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText().toLowerCase(Locale.ROOT);
    }

    private static SnapshotManifest.Table table(SnapshotReader reader, String name) {
        return reader.manifest().tables().stream().filter(t -> t.logicalName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no table " + name + " in " + reader.location()));
    }

    private static Map<String, JsonNode> rows(SnapshotReader reader, SnapshotManifest.Table table, TableSchema schema, Path work) {
        Map<String, JsonNode> rows = new HashMap<>();
        reader.records(reader.verifiedParts(table, work)).forEachRemaining(r ->
                rows.put(r.path(schema.primaryIdAttribute()).asText().toLowerCase(Locale.ROOT), r));
        return rows;
    }

    private static Set<String> links(Iterable<JsonNode> rows, TableSchema schema) {
        Set<String> links = new HashSet<>();
        List<String> ids = schema.attributes().values().stream()
                .filter(a -> "Uniqueidentifier".equals(a.type()) && !a.primaryId()).map(TableSchema.Attribute::logicalName).toList();
        for (JsonNode row : rows) {
            StringBuilder link = new StringBuilder();
            ids.forEach(a -> link.append(text(row.get(a))).append('|'));
            links.add(link.toString());
        }
        return links;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.removeAll(b);
        if (result.size() > 10) {
            Set<String> some = new TreeSet<>();
            result.stream().limit(10).forEach(some::add);
            some.add("... " + (result.size() - 10) + " more");
            return some;
        }
        return result;
    }
}
