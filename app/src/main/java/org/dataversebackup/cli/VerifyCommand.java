package org.dataversebackup.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotChain;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.text.Quantities;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a snapshot against its manifest.",
                "Checks each table's schema (SHA-256, valid JSON, the right table) and each data part (size, SHA-256,"
                        + " gzip, records); an incremental snapshot with every older snapshot of its chain. Exit code 1"
                        + " naming each file that does not match."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar verify --snapshot backups/contoso/20261129T020000Z-3f2a-full",
                "  java -jar dataverse-backup.jar verify --snapshot s3://my-bucket/dataverse/contoso/20261129T020000Z-3f2a-full"})
class VerifyCommand extends ApplicationCommand {
    @Option(names = "--snapshot", required = true, paramLabel = "LOCATION",
            description = "The snapshot: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String snapshot;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        // reads the snapshot only: no routes, no Dataverse connection, no demo emulator
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            Settings settings = Settings.of(context);
            SnapshotKeys keys = SnapshotKeys.from(settings);
            boolean ok = true;
            // an incremental snapshot is only restorable with its chain: every older snapshot of it is verified too
            for (String location = snapshot; location != null; ) {
                Instant started = Instant.now();
                SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(location),
                        () -> DataverseBackupConfiguration.s3Client(settings));
                SnapshotVerifier.Report report = new SnapshotVerifier(store, keys).verify();
                ok &= report.ok();
                print(store, report, Duration.between(started, Instant.now()));
                SnapshotManifest manifest = report.manifest();
                location = manifest.incremental() ? SnapshotChain.sibling(location, manifest.parent()) : null;
            }
            return ok ? ExitCodes.SUCCESS : ExitCodes.JOB_FAILED;
        }
    }

    private static void print(SnapshotStore store, SnapshotVerifier.Report report, Duration took) {
        report.problems().forEach(p -> Console.out().println("FAILED " + p.path() + " " + p.problem()));
        SnapshotManifest manifest = report.manifest();
        SummaryTable table = new SummaryTable();
        for (SnapshotManifest.Table t : manifest.tables()) {
            long problems = report.problems().stream().filter(p -> concerns(p.path(), t.logicalName())).count();
            table.add(t.logicalName(), t.records(), t.allParts().stream().mapToLong(SnapshotManifest.Part::bytes).sum(), null,
                    problems == 0 ? "ok" : Quantities.count(problems, "problem"));
        }
        table.print(Console.out(), took.toMillis() / 1000.0,
                report.ok() ? "ok" : Quantities.count(report.problems().size(), "problem"));
        report.contentsUnchecked().ifPresent(why -> Console.out().println("NOTE the snapshot " + why + ": only sizes"
                + " and SHA-256 were checked, not the contents"));
        report.unlisted().forEach(f -> Console.out().println("WARNING " + f + " is not listed in the manifest (nothing"
                + " reads it; added after the backup?)"));
        Console.out().printf("%s: %s%s and schemas, %s%s checked, %s, %s%n", store.location(""),
                manifest.incremental() ? "incremental (its parent " + manifest.parent() + " follows), " : "",
                Quantities.count(manifest.tables().size(), "table"), Quantities.count(report.partsChecked(), "part"),
                report.filesChecked() == 0 ? "" : " and " + Quantities.count(report.filesChecked(), "file"),
                Quantities.count(manifest.totalRecords(), "record"),
                report.ok() ? "all match the manifest" : report.problems().size() + " problems");
    }

    /**
     * Whether a problem's file belongs to a table: its schema, one of its parts or of its tombstones,
     * or a file of one of its file and image columns (encrypted or not).
     */
    private static boolean concerns(String path, String table) {
        return path.startsWith("schema/" + table + ".json") || path.startsWith("data/" + table + "/")
                || path.startsWith("deleted/" + table + "/") || path.startsWith("files/" + table + "/");
    }
}
