package org.dataversebackup.cli;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.config.Settings;
import org.dataversebackup.diff.DiffHeaders;
import org.dataversebackup.diff.DiffSteps;
import org.dataversebackup.diff.SnapshotDiff;
import org.dataversebackup.diff.SnapshotSide;
import org.dataversebackup.diff.TableDiff;
import org.dataversebackup.restore.SnapshotReader;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.text.Quantities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import software.amazon.awssdk.services.s3.S3Client;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what changed between two snapshots, or between a snapshot and the environment's live rows.",
                "Table by table: rows added, removed and changed (and which columns); NEWER = live compares with the live rows.",
                "An incremental snapshot is compared as the state of its chain at its time. Memory stays bounded (the rows are",
                "spilled to the temporary folder by a hash of their id)."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar diff backups/contoso/20261128T020000Z-1a2b-full backups/contoso/20261129T020000Z-3f2a-incremental",
                "  java -jar dataverse-backup.jar diff OLDER NEWER --table account --ids",
                "  java -jar dataverse-backup.jar diff backups/contoso/20261129T020000Z-3f2a-full live --ids",
                "  java -jar dataverse-backup.jar diff OLDER NEWER --json"})
class DiffCommand extends ApplicationCommand {
    /** One JSON object per line. */
    private static final ObjectWriter LINE = SnapshotJson.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "OLDER", description = "The older snapshot: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String older;

    @Parameters(index = "1", paramLabel = "NEWER", description = "The newer snapshot, as OLDER; or live: the rows of the environment"
            + " (--environment) now, read as a backup reads them (the snapshot's tables only).")
    String newer;

    @Option(names = "--table", paramLabel = "NAME", split = ",", description = "Compare only these tables (comma separated).")
    List<String> tables;

    @Option(names = "--ids", description = "List every row that differs: + added, - removed, ~ changed (with its columns).")
    boolean ids;

    @Option(names = "--json", description = "One JSON object per line: a row per difference (with --ids) and a summary per table.")
    boolean json;

    @Mixin
    EnvironmentOption environment = new EnvironmentOption();

    @Override
    protected int execute(AppLocations locations) throws Exception {
        if (newer.trim().equalsIgnoreCase(DiffHeaders.LIVE)) {
            return live(locations);
        }
        // two snapshots: reads the snapshots only, no routes, no Dataverse connection
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            Settings settings = Settings.of(context);
            Supplier<S3Client> s3 = () -> DataverseBackupConfiguration.s3Client(settings);
            SnapshotKeys keys = SnapshotKeys.from(settings);
            SnapshotSide before = new SnapshotSide(SnapshotReader.open(older, s3, keys));
            SnapshotSide after = new SnapshotSide(SnapshotReader.open(newer, s3, keys));
            if (!json) {
                Console.out().printf("Comparing %s (%s) with %s (%s)%n", before.label(), before.manifest().startedAt(),
                        after.label(), after.manifest().startedAt());
            }
            SnapshotDiff.compare(before, after, tables, (table, change) -> {
                if (ids) {
                    print(table, change);
                }
            }, this::print);
            return ExitCodes.SUCCESS;
        }
    }

    /** A snapshot and the live rows: through {@code dataverse:diff}, the rows that differ through its changes file. */
    private int live(AppLocations locations) throws Exception {
        Path changes = Files.createTempFile("dataverse-backup-diff-", ".ndjson");
        try (CamelApplication app = startCamel(locations)) {
            if (!json) {
                Console.out().printf("Comparing %s with the live rows of environment %s%n", older, environment.environment);
            }
            Exchange result = app.template().request(environment.endpoint("diff"), e -> {
                e.getIn().setHeader(DiffHeaders.OLDER, older);
                e.getIn().setHeader(DiffHeaders.NEWER, DiffHeaders.LIVE);
                if (tables != null) {
                    e.getIn().setHeader(DiffHeaders.TABLES, String.join(",", tables));
                }
                e.getIn().setHeader(DiffHeaders.CHANGES_FILE, changes.toString());
            });
            if (result.getException() != null) {
                throw result.getException();
            }
            if (ids) {
                try (BufferedReader reader = Files.newBufferedReader(changes, StandardCharsets.UTF_8)) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        JsonNode row = SnapshotJson.MAPPER.readTree(line);
                        List<String> columns = new java.util.ArrayList<>();
                        row.path("columns").forEach(column -> columns.add(column.asText()));
                        print(row.path("table").asText(), new TableDiff.RowChange(row.path("id").asText(),
                                TableDiff.Kind.valueOf(row.path("change").asText().toUpperCase(java.util.Locale.ROOT)), columns));
                    }
                }
            }
            for (JsonNode table : SnapshotJson.MAPPER.readTree(result.getMessage().getBody(String.class)).path("tables")) {
                print(SnapshotJson.MAPPER.treeToValue(table, TableLine.class).result());
            }
            return ExitCodes.SUCCESS;
        } finally {
            Files.deleteIfExists(changes);
        }
    }

    /** A table's line of the report as {@code dataverse:diff} answers it. */
    record TableLine(String table, String onlyIn, Long added, Long removed, Long changed, Long unchanged) {
        SnapshotDiff.TableResult result() {
            return new SnapshotDiff.TableResult(table, onlyIn, onlyIn != null ? null
                    : new TableDiff.Counts(added, removed, changed, unchanged));
        }
    }

    private void print(SnapshotDiff.TableResult table) {
        if (json) {
            Console.out().println(line(DiffSteps.json(table)));
        } else if (table.onlyIn() != null) {
            Console.out().printf("%-40s only in the %s %s%n", table.table(), table.onlyIn(),
                    newer.trim().equalsIgnoreCase(DiffHeaders.LIVE) && table.onlyIn().equals("newer") ? "side" : "snapshot");
        } else {
            TableDiff.Counts counts = table.counts();
            Console.out().printf("%-40s %s added, %s removed, %s changed, %s unchanged%n", table.table(),
                    Quantities.number(counts.added()), Quantities.number(counts.removed()), Quantities.number(counts.changed()),
                    Quantities.number(counts.unchanged()));
        }
    }

    private void print(String table, TableDiff.RowChange change) {
        if (json) {
            Console.out().println(line(DiffSteps.json(table, change)));
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

    private static String line(Object value) {
        try {
            return LINE.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
