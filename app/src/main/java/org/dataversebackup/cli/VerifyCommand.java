package org.dataversebackup.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotSigning;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.text.Quantities;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a snapshot against its manifest.",
                "Checks each table's schema (SHA-256, valid JSON, the right table) and each data part (size, SHA-256,"
                        + " gzip, records). Exit code 1 naming each file that does not match."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar verify --snapshot backups/contoso/20261129T020000Z-3f2a-full",
                "  java -jar dataverse-backup.jar verify --snapshot s3://my-bucket/dataverse/contoso/20261129T020000Z-3f2a-full"})
class VerifyCommand extends ApplicationCommand {
    @Option(names = "--snapshot", required = true, paramLabel = "LOCATION",
            description = "The snapshot: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String snapshot;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        Instant started = Instant.now();
        // reads the snapshot only: no routes, no Dataverse connection, no demo emulator
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            Settings settings = Settings.of(context);
            SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(snapshot), () -> DataverseBackupConfiguration.s3Client(settings));
            SnapshotVerifier.Report report = new SnapshotVerifier(store, SnapshotSigning.of(
                    settings.optional("snapshot.signing-key"), settings.optional("snapshot.verify-key"))).verify();
            report.problems().forEach(p -> Console.out().println("FAILED " + p.path() + " " + p.problem()));
            SummaryTable table = new SummaryTable();
            for (SnapshotManifest.Table t : report.manifest().tables()) {
                long problems = report.problems().stream().filter(p -> concerns(p.path(), t.logicalName())).count();
                table.add(t.logicalName(), t.records(), t.parts().stream().mapToLong(SnapshotManifest.Part::bytes).sum(), null,
                        problems == 0 ? "ok" : Quantities.count(problems, "problem"));
            }
            table.print(Console.out(), Duration.between(started, Instant.now()).toMillis() / 1000.0,
                    report.ok() ? "ok" : Quantities.count(report.problems().size(), "problem"));
            report.unlisted().forEach(f -> Console.out().println("WARNING " + f + " is not listed in the manifest (nothing"
                    + " reads it; added after the backup?)"));
            Console.out().printf("%s: %s and schemas, %s checked, %s, %s%n", store.location(""),
                    Quantities.count(report.manifest().tables().size(), "table"), Quantities.count(report.partsChecked(), "part"),
                    Quantities.count(report.manifest().totalRecords(), "record"),
                    report.ok() ? "all match the manifest" : report.problems().size() + " problems");
            return report.ok() ? ExitCodes.SUCCESS : ExitCodes.JOB_FAILED;
        }
    }

    /** Whether a problem's file belongs to a table: its schema or one of its parts. */
    private static boolean concerns(String path, String table) {
        return path.equals("schema/" + table + ".json") || path.startsWith("data/" + table + "/");
    }
}
