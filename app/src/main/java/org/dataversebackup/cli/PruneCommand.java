package org.dataversebackup.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.RetentionPolicy;
import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotPruner;
import org.dataversebackup.snapshot.SnapshotStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Delete the snapshots that no retention.keep-* rule keeps.",
                "A kept incremental keeps the snapshots of its chain; incomplete snapshots older than"
                        + " retention.incomplete-grace go too. --dry-run only lists what would go and why the rest stays."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar prune --dry-run",
                "  java -Dretention.keep-daily=7 -jar dataverse-backup.jar prune --target s3://my-bucket/dataverse"})
class PruneCommand extends ApplicationCommand {
    @Option(names = "--target", paramLabel = "URI", description = "file:<folder> or s3://bucket/prefix (default: backup.target).")
    String target;

    @Option(names = "--dry-run", description = "List what would be deleted and why the rest is kept; delete nothing.")
    boolean dryRun;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        // reads the target only: no routes, no Dataverse connection, no demo emulator
        try (org.apache.camel.CamelContext context = CamelApplication.configurationOnly(locations, java.util.Map.of())) {
            Settings settings = Settings.of(context);
            RetentionPolicy policy = RetentionPolicy.from(settings).orElseThrow(() -> new ConfigurationException(
                    "No retention rule is set, so nothing would be kept or pruned: set retention.keep-last, -daily, -weekly,"
                            + " -monthly or -yearly (e.g. retention.keep-daily=7)."));
            SnapshotStore store = targetStore(context, target);
            SnapshotPruner.Outcome outcome = new SnapshotPruner(store, org.dataversebackup.snapshot.S3ObjectLock.from(settings)).prune(policy,
                    settings.durationValue("retention.incomplete-grace", Duration.ofDays(2)), dryRun, Instant.now());
            String delete = dryRun ? "WOULD PRUNE" : "PRUNED";
            for (RetentionPolicy.Decision decision : outcome.decisions()) {
                String location = store.location(decision.snapshot().key());
                Console.out().println(decision.keep() ? "KEEP        " + location + "  (" + String.join(", ", decision.reasons()) + ")"
                        : String.format("%-12s%s", delete, location));
            }
            for (SnapshotCatalog.Incomplete incomplete : outcome.incomplete()) {
                Console.out().printf("%-12s%s  (incomplete: %s)%n", delete, store.location(incomplete.key()), incomplete.reason());
            }
            for (Map.Entry<String, String> failure : outcome.failures().entrySet()) {
                Console.out().println("NOT PRUNED  " + store.location(failure.getKey()) + ": " + failure.getValue());
            }
            long kept = outcome.decisions().size() - outcome.removed();
            Console.out().printf("%d kept, %d %s, %d incomplete %s%s%n", kept, outcome.removed(),
                    dryRun ? "would be pruned" : "pruned", outcome.incomplete().size(), dryRun ? "would be removed" : "removed",
                    outcome.failures().isEmpty() ? "" : "; " + outcome.failures().size() + " could not be deleted");
            return outcome.failures().isEmpty() ? ExitCodes.SUCCESS : ExitCodes.JOB_FAILED;
        }
    }
}
