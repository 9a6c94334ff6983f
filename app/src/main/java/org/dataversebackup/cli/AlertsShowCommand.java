package org.dataversebackup.cli;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotAlerts;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the alert events recorded on a snapshot (one JSON line each) and whether they still stand.",
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar alerts show backups/contoso/20261205T020000Z-a881-full"})
class AlertsShowCommand extends ApplicationCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "The snapshot: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String snapshot;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            Settings settings = Settings.of(context);
            SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(snapshot), () -> DataverseBackupConfiguration.s3Client(settings));
            SnapshotAlerts alerts = new SnapshotAlerts(store);
            String events = alerts.events("").orElse("");
            Console.out().print(events);
            Console.out().println(events.isEmpty() ? "No alert was raised on " + snapshot + "."
                    : alerts.standing("") ? "The alert stands: prune keeps " + snapshot + " until 'alerts ack'."
                            : "Acknowledged: prune treats " + snapshot + " as any other snapshot.");
            return ExitCodes.SUCCESS;
        }
    }
}
