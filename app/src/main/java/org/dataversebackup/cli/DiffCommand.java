package org.dataversebackup.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.diff.TableDiff;
import org.dataversebackup.restore.SnapshotReader;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.text.Quantities;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import software.amazon.awssdk.services.s3.S3Client;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what changed between two snapshots, table by table: rows added, removed and changed (and which columns).",
                "An incremental snapshot is compared as the state of its chain at its time. Reads the snapshots only;",
                "memory stays bounded (the rows are spilled to the temporary folder by a hash of their id)."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar diff backups/contoso/20261128T020000Z-1a2b-full backups/contoso/20261129T020000Z-3f2a-incremental",
                "  java -jar dataverse-backup.jar diff OLDER NEWER --table account --ids",
                "  java -jar dataverse-backup.jar diff OLDER NEWER --json"})
class DiffCommand extends ApplicationCommand {
    /** One JSON object per line. */
    private static final com.fasterxml.jackson.databind.ObjectWriter LINE = SnapshotJson.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "OLDER", description = "The older snapshot: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String older;

    @Parameters(index = "1", paramLabel = "NEWER", description = "The newer snapshot, as OLDER.")
    String newer;

    @Option(names = "--table", paramLabel = "NAME", split = ",", description = "Compare only these tables (comma separated).")
    List<String> tables;

    @Option(names = "--ids", description = "List every row that differs: + added, - removed, ~ changed (with its columns).")
    boolean ids;

    @Option(names = "--json", description = "One JSON object per line: a row per difference (with --ids) and a summary per table.")
    boolean json;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        // reads the snapshots only: no routes, no Dataverse connection
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            Settings settings = Settings.of(context);
            Supplier<S3Client> s3 = () -> DataverseBackupConfiguration.s3Client(settings);
            SnapshotKeys keys = SnapshotKeys.from(settings);
            SnapshotReader before = SnapshotReader.open(older, s3, keys);
            SnapshotReader after = SnapshotReader.open(newer, s3, keys);
            Map<String, SnapshotManifest.Table> beforeTables = byName(before.manifest());
            Map<String, SnapshotManifest.Table> afterTables = byName(after.manifest());
            java.util.TreeSet<String> union = new java.util.TreeSet<>(afterTables.keySet());
            union.addAll(beforeTables.keySet());
            List<String> names = new ArrayList<>(union);
            if (tables != null) {
                for (String wanted : tables) {
                    if (names.stream().noneMatch(wanted::equalsIgnoreCase)) {
                        throw new ConfigurationException("Neither snapshot has the table '" + wanted + "' (tables: "
                                + String.join(", ", names) + ").");
                    }
                }
                names.removeIf(name -> tables.stream().noneMatch(name::equalsIgnoreCase));
            }
            if (!json) {
                Console.out().printf("Comparing %s (%s) with %s (%s)%n", before.manifest().snapshotId(), before.manifest().startedAt(),
                        after.manifest().snapshotId(), after.manifest().startedAt());
            }
            Path work = Files.createTempDirectory("dataverse-backup-diff-");
            try {
                for (String name : names) {
                    compare(name, beforeTables.get(name), afterTables.get(name), before, after, work.resolve(name));
                }
            } finally {
                deleteRecursively(work);
            }
            return ExitCodes.SUCCESS;
        }
    }

    private void compare(String name, SnapshotManifest.Table was, SnapshotManifest.Table is, SnapshotReader before,
            SnapshotReader after, Path work) throws Exception {
        if (was == null || is == null) {
            String only = was == null ? "newer" : "older";
            if (json) {
                Console.out().println(LINE.writeValueAsString(Map.of("table", name, "onlyIn", only)));
            } else {
                Console.out().printf("%-40s only in the %s snapshot%n", name, only);
            }
            return;
        }
        String idAttribute = is.primaryIdAttribute();
        var beforeRows = before.records(before.verifiedParts(was, work.resolve("parts-older")), idAttribute);
        var afterRows = after.records(after.verifiedParts(is, work.resolve("parts-newer")), idAttribute);
        TableDiff.Counts counts = TableDiff.compare(beforeRows, afterRows, idAttribute, Math.max(was.records(), is.records()),
                work.resolve("spill"), change -> {
                    if (ids) {
                        print(name, change);
                    }
                });
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("table", name);
            summary.put("added", counts.added());
            summary.put("removed", counts.removed());
            summary.put("changed", counts.changed());
            summary.put("unchanged", counts.unchanged());
            Console.out().println(LINE.writeValueAsString(summary));
        } else {
            Console.out().printf("%-40s %s added, %s removed, %s changed, %s unchanged%n", name, Quantities.number(counts.added()),
                    Quantities.number(counts.removed()), Quantities.number(counts.changed()), Quantities.number(counts.unchanged()));
        }
    }

    private void print(String table, TableDiff.RowChange change) {
        if (json) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("table", table);
            row.put("id", change.id());
            row.put("change", change.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (!change.columns().isEmpty()) {
                row.put("columns", change.columns());
            }
            try {
                Console.out().println(LINE.writeValueAsString(row));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        String sign = switch (change.kind()) {
            case ADDED -> "+";
            case REMOVED -> "-";
            case CHANGED -> "~";
        };
        Console.out().println(sign + " " + table + " " + change.id()
                + (change.columns().isEmpty() ? "" : " (" + String.join(", ", change.columns()) + ")"));
    }

    private static Map<String, SnapshotManifest.Table> byName(SnapshotManifest manifest) {
        Map<String, SnapshotManifest.Table> tables = new LinkedHashMap<>();
        for (SnapshotManifest.Table table : manifest.tables()) {
            if (table.skipped() == null) {
                tables.put(table.logicalName(), table);
            }
        }
        return tables;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
