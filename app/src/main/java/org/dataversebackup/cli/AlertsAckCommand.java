package org.dataversebackup.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotAlerts;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "ack", mixinStandardHelpOptions = true,
        description = {"Acknowledge the alerts on a snapshot: prune treats it as any other snapshot again.",
                "The events stay in the snapshot's alert.ndjson; the acknowledgement is alert-ack.json beside it."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar alerts ack backups/contoso/20261205T020000Z-a881-full"})
class AlertsAckCommand extends ApplicationCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "The snapshot: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String snapshot;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            Settings settings = Settings.of(context);
            SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(snapshot), () -> DataverseBackupConfiguration.s3Client(settings));
            SnapshotAlerts alerts = new SnapshotAlerts(store);
            if (alerts.events("").isEmpty()) {
                throw new ConfigurationException("No alert was raised on " + snapshot + " (no " + SnapshotAlerts.FILE_NAME
                        + " in it): nothing to acknowledge.");
            }
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("cleared", true);
            ack.put("time", Instant.now().toString());
            ack.put("by", System.getProperty("user.name", ""));
            alerts.acknowledge("", new ObjectMapper().writeValueAsString(ack) + "\n");
            Console.out().println("Acknowledged the alerts on " + snapshot + ": prune treats it as any other snapshot again.");
            return ExitCodes.SUCCESS;
        }
    }
}
