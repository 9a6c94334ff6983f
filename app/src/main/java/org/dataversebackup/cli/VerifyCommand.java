package org.dataversebackup.cli;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotChain;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

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
    protected int execute(AppLocations locations) {
        try (CamelApplication app = startCamel(locations)) {
            SnapshotKeys keys = SnapshotKeys.from(Settings.of(app.context()));
            boolean ok = true;
            // an incremental snapshot is only restorable with its chain: every older snapshot of it is verified too
            for (String location = snapshot; location != null; ) {
                SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(location), () -> s3(app.context()));
                SnapshotVerifier.Report report = new SnapshotVerifier(store, keys).verify();
                ok &= report.ok();
                print(store, report);
                SnapshotManifest manifest = report.manifest();
                location = manifest.incremental() ? SnapshotChain.sibling(location, manifest.parent()) : null;
            }
            return ok ? ExitCodes.SUCCESS : ExitCodes.JOB_FAILED;
        }
    }

    private static void print(SnapshotStore store, SnapshotVerifier.Report report) {
        report.problems().forEach(p -> Console.out().println("FAILED " + p.path() + " " + p.problem()));
        report.contentsUnchecked().ifPresent(why -> Console.out().println("NOTE the snapshot " + why + ": only sizes"
                + " and SHA-256 were checked, not the contents"));
        report.unlisted().forEach(f -> Console.out().println("WARNING " + f + " is not listed in the manifest (nothing"
                + " reads it; added after the backup?)"));
        SnapshotManifest manifest = report.manifest();
        Console.out().printf("%s: %s%d tables and schemas, %d parts checked, %d records, %s%n", store.location(""),
                manifest.incremental() ? "incremental (its parent " + manifest.parent() + " follows), " : "",
                manifest.tables().size(), report.partsChecked(), manifest.totalRecords(),
                report.ok() ? "all match the manifest" : report.problems().size() + " problems");
    }

    static S3Client s3(CamelContext context) {
        return context.getRegistry().lookupByNameAndType("s3Client", S3Client.class);
    }
}
