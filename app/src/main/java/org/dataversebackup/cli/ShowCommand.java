package org.dataversebackup.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotChain;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.text.Quantities;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show what a snapshot holds: its tables with rows, parts, bytes and columns, and its chain.",
                "With --table, that table's columns as the saved schema describes them. Reads the snapshot only."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar show --snapshot backups/contoso/20261129T020000Z-3f2a-full",
                "  java -jar dataverse-backup.jar show --snapshot backups/contoso/20261129T020000Z-3f2a-full --table account"})
class ShowCommand extends ApplicationCommand {
    @Option(names = "--snapshot", required = true, paramLabel = "LOCATION",
            description = "The snapshot: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String snapshot;

    @Option(names = "--table", paramLabel = "NAME", description = "List this table's columns (logical name, type, written on create / update).")
    String table;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        // reads the snapshot only: no routes, no Dataverse connection, no demo emulator
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            Settings settings = Settings.of(context);
            SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(snapshot), () -> DataverseBackupConfiguration.s3Client(settings));
            SnapshotVerifier snapshotFiles = new SnapshotVerifier(store, SnapshotKeys.from(settings));
            SnapshotManifest manifest = snapshotFiles.manifest();
            Console.out().printf("Snapshot %s (%s) of %s (%s), %s to %s, format version %d%s%n", manifest.snapshotId(),
                    manifest.kind(), manifest.source().environment(), manifest.source().dataverseUrl(), manifest.startedAt(),
                    manifest.completedAt(), manifest.formatVersion(), manifest.encryption() == null ? ""
                            : ", encrypted (" + manifest.encryption().scheme() + ", key id " + manifest.encryption().keyId() + ")");
            if (manifest.incremental()) {
                Console.out().println("Chain: " + String.join(" <- ", chain(settings, manifest)) + " <- " + manifest.snapshotId());
            }
            if (table != null) {
                return columns(snapshotFiles, manifest, table);
            }
            Console.out().printf("%-40s %12s %10s %6s %14s %8s  %s%n", "TABLE", "ROWS", "DELETED", "PARTS", "BYTES", "COLUMNS", "COPY");
            for (SnapshotManifest.Table t : manifest.tables()) {
                Console.out().printf("%-40s %12s %10s %6d %14s %8s  %s%n", t.logicalName(), Quantities.number(t.records()),
                        t.deleted() == null ? "-" : Quantities.number(t.deleted()), t.allParts().size(),
                        Quantities.number(t.allParts().stream().mapToLong(SnapshotManifest.Part::bytes).sum()),
                        columnCount(snapshotFiles, t).map(String::valueOf).orElse("-"),
                        t.skipped() != null ? "skipped: " + t.skipped() : t.copy() == null ? "full"
                                : t.changesOnly() ? "changes" : "full (" + t.copyReason() + ")");
            }
            Console.out().printf("%s, %s, %s%n", Quantities.count(manifest.tables().size(), "table"),
                    Quantities.count(manifest.totalRecords(), "row"), Quantities.count(manifest.totalBytes(), "byte"));
            return ExitCodes.SUCCESS;
        }
    }

    /** The ids of the older snapshots of an incremental's chain, oldest first (as far as their manifests can be read). */
    private List<String> chain(Settings settings, SnapshotManifest manifest) {
        List<String> older = new ArrayList<>();
        String location = snapshot;
        for (SnapshotManifest current = manifest; current.incremental(); ) {
            location = SnapshotChain.sibling(location, current.parent());
            older.add(0, current.parent());
            try {
                current = new SnapshotVerifier(SnapshotStore.of(SnapshotTarget.parse(location),
                        () -> DataverseBackupConfiguration.s3Client(settings))).manifest();
            } catch (ConfigurationException missing) {
                older.add(0, "(missing: " + missing.getMessage() + ")");
                break;
            }
        }
        return older;
    }

    private static Optional<Integer> columnCount(SnapshotVerifier files, SnapshotManifest.Table table) {
        return schema(files, table).map(s -> s.path("Attributes").size());
    }

    private static Optional<JsonNode> schema(SnapshotVerifier files, SnapshotManifest.Table table) {
        if (table.skipped() != null) {
            return Optional.empty();
        }
        SnapshotVerifier.SchemaFile schema = files.readSchema(table);
        if (schema.problem().isPresent() || schema.content() == null) {
            return Optional.empty(); // damaged or encrypted without the key: verify says which
        }
        try {
            return Optional.of(SnapshotJson.MAPPER.readTree(schema.content()));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static int columns(SnapshotVerifier files, SnapshotManifest manifest, String name) {
        SnapshotManifest.Table found = manifest.tables().stream().filter(t -> t.logicalName().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new ConfigurationException("Snapshot " + manifest.snapshotId() + " has no table " + name + "."));
        JsonNode schema = schema(files, found).orElseThrow(() -> new ConfigurationException("The schema of " + name
                + " cannot be read (run verify on the snapshot; an encrypted one needs snapshot.encryption-key)."));
        Console.out().printf("%-40s %-20s %6s %6s%n", "COLUMN", "TYPE", "CREATE", "UPDATE");
        for (JsonNode column : schema.path("Attributes")) {
            Console.out().printf("%-40s %-20s %6s %6s%n", column.path("LogicalName").asText(),
                    column.path("AttributeType").asText(""), column.path("IsValidForCreate").asBoolean(false) ? "yes" : "-",
                    column.path("IsValidForUpdate").asBoolean(false) ? "yes" : "-");
        }
        Console.out().println(Quantities.count(schema.path("Attributes").size(), "column") + " in " + found.logicalName());
        return ExitCodes.SUCCESS;
    }
}
