package org.dataversebackup.cli;

import java.util.List;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "snapshots", description = "List the complete snapshots in a target, newest first.")
class SnapshotsCommand extends ApplicationCommand {
    @Option(names = "--target", paramLabel = "URI", description = "file:<folder> or s3://bucket/prefix (default: backup.target).")
    String target;

    @Override
    protected int execute(AppLocations locations) {
        try (CamelApplication app = startCamel(locations)) {
            SnapshotTarget snapshotTarget = SnapshotTarget.parse(target != null ? target
                    : Settings.of(app.context()).get("backup.target", "file:backups"));
            SnapshotStore store = SnapshotStore.of(snapshotTarget, () -> VerifyCommand.s3(app.context()));
            List<SnapshotCatalog.Entry> snapshots = new SnapshotCatalog(store).list();
            Console.out().printf("%-24s %-28s %7s %12s %14s  %s%n", "ENVIRONMENT", "SNAPSHOT", "TABLES", "RECORDS", "BYTES",
                    "LOCATION");
            for (SnapshotCatalog.Entry entry : snapshots) {
                SnapshotManifest m = entry.manifest();
                Console.out().printf("%-24s %-28s %7d %12d %14d  %s%n", m.source().environment(), m.snapshotId(),
                        m.tables().size(), m.totalRecords(), m.totalBytes(), store.location(entry.key()));
            }
            Console.out().println(snapshots.size() + " complete snapshots in " + store.location(""));
            return ExitCodes.SUCCESS;
        }
    }
}
