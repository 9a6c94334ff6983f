package org.dataversebackup.diff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.snapshot.SnapshotManifest;

/**
 * Compares two sides (snapshots, or a snapshot and the live environment) table by table, with
 * {@link TableDiff}: the {@code diff} command and {@code dataverse:diff}. The tables are the union of
 * both sides', or the ones asked for; a table on one side only is reported as such.
 */
public final class SnapshotDiff {
    /** Told about every row that differs, table after table. */
    @FunctionalInterface
    public interface Changes {
        void row(String table, TableDiff.RowChange change);
    }

    /** One table's outcome: its counts, or the side it is only on ({@code older} or {@code newer}). */
    public record TableResult(String table, String onlyIn, TableDiff.Counts counts) {
        public boolean same() {
            return onlyIn == null && counts.same();
        }
    }

    /** The whole comparison. */
    public record Report(String older, String newer, List<TableResult> tables) {
        /** True when no table differs. */
        public boolean same() {
            return tables.stream().allMatch(TableResult::same);
        }
    }

    private SnapshotDiff() {
    }

    /**
     * @param tables    the tables to compare (logical names, any case); null or empty = every table of either side
     * @param tableDone told about each table as soon as it is compared (a long comparison shows progress)
     */
    public static Report compare(DiffSide older, DiffSide newer, List<String> tables, Changes changes,
            java.util.function.Consumer<TableResult> tableDone) {
        Map<String, SnapshotManifest.Table> before = older.tables();
        Map<String, SnapshotManifest.Table> after = newer.tables();
        List<String> names = selected(before, after, tables);
        Path work = temporaryFolder();
        try {
            List<TableResult> results = new ArrayList<>();
            for (String name : names) {
                TableResult result = compare(name, before.get(name), after.get(name), older, newer, work.resolve(name), changes);
                tableDone.accept(result);
                results.add(result);
            }
            return new Report(older.label(), newer.label(), List.copyOf(results));
        } finally {
            deleteRecursively(work);
        }
    }

    private static TableResult compare(String name, SnapshotManifest.Table was, SnapshotManifest.Table is, DiffSide older,
            DiffSide newer, Path work, Changes changes) {
        if (was == null || is == null) {
            return new TableResult(name, was == null ? "newer" : "older", null);
        }
        String idAttribute = is.primaryIdAttribute();
        TableDiff.Counts counts = TableDiff.compare(older.rows(was, work.resolve("parts-older")),
                newer.rows(is, work.resolve("parts-newer")), idAttribute, Math.max(was.records(), is.records()),
                work.resolve("spill"), change -> changes.row(name, change));
        return new TableResult(name, null, counts);
    }

    private static List<String> selected(Map<String, SnapshotManifest.Table> before, Map<String, SnapshotManifest.Table> after,
            List<String> wanted) {
        TreeSet<String> union = new TreeSet<>(after.keySet());
        union.addAll(before.keySet());
        List<String> names = new ArrayList<>(union);
        if (wanted == null || wanted.isEmpty()) {
            return names;
        }
        for (String table : wanted) {
            if (names.stream().noneMatch(table::equalsIgnoreCase)) {
                throw new ConfigurationException("Neither side has the table '" + table + "' (tables: "
                        + String.join(", ", names) + ").");
            }
        }
        names.removeIf(name -> wanted.stream().noneMatch(name::equalsIgnoreCase));
        return names;
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("dataverse-backup-diff-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a folder to compare in under " + System.getProperty("java.io.tmpdir")
                    + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the comparison's folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
