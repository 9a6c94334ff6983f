package org.dataversebackup.cli;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.text.Quantities;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = {"List the complete snapshots in a target, newest first.",
                "With --all, also the incomplete ones (no manifest) and why."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar snapshots",
                "  java -jar dataverse-backup.jar snapshots --target s3://my-bucket/dataverse --all"})
class SnapshotsCommand extends ApplicationCommand {
    @Option(names = "--target", paramLabel = "URI", description = "file:<folder> or s3://bucket/prefix (default: backup.target).")
    String target;

    @Option(names = "--all", description = "Also list incomplete snapshots (a failed, killed or running backup) with the reason.")
    boolean all;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        // reads the target only: no routes, no Dataverse connection, no demo emulator
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            SnapshotStore store = targetStore(context, target);
            List<SnapshotCatalog.Entry> snapshots = new SnapshotCatalog(store).list();
            Console.out().printf("%-24s %-28s %7s %12s %14s  %s%n", "ENVIRONMENT", "SNAPSHOT", "TABLES", "RECORDS", "BYTES",
                    "LOCATION");
            for (SnapshotCatalog.Entry entry : snapshots) {
                SnapshotManifest m = entry.manifest();
                Console.out().printf("%-24s %-28s %7d %12s %14s  %s%s%n", m.source().environment(), m.snapshotId(),
                        m.tables().size(), Quantities.number(m.totalRecords()), Quantities.number(m.totalBytes()),
                        store.location(entry.key()),
                        m.incremental() ? "  (changes since " + m.parent() + ", chain of " + m.chainFull() + ")" : "");
            }
            List<SnapshotCatalog.Incomplete> incomplete = new SnapshotCatalog(store).incomplete();
            if (all) {
                for (SnapshotCatalog.Incomplete entry : incomplete) {
                    Console.out().printf("INCOMPLETE %s  %s%n", store.location(entry.key()), entry.reason());
                }
            }
            Console.out().println(snapshots.size() + " complete " + (snapshots.size() == 1 ? "snapshot" : "snapshots") + " in "
                    + store.location("") + (incomplete.isEmpty() ? ""
                            : "; " + incomplete.size() + " incomplete" + (all ? "" : " (list them with --all)")));
            return ExitCodes.SUCCESS;
        }
    }
}
