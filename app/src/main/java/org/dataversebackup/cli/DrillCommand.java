package org.dataversebackup.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.operations.JobHistory;
import org.dataversebackup.operations.JobRecord;
import org.dataversebackup.operations.RestoreDrill;
import org.dataversebackup.snapshot.SnapshotKeys;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Prove that a snapshot restores: restore it into a scratch environment, back it up and compare.",
                "Restores into drill.environment, backs that environment up again and compares the records with the snapshot's",
                "(the columns a restore writes).",
                "Prints the measured restore time (RTO); records the outcome in the job history; a failed drill is an alert",
                "event (events.uri). Exit 0 passed, 1 failed."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar drill --snapshot backups/contoso/20261129T020000Z-3f2a-full",
                "  java -jar dataverse-backup.jar drill --snapshot backups/contoso/20261129T020000Z-3f2a-full --environment sandbox"})
class DrillCommand extends ApplicationCommand {
    @Option(names = "--snapshot", required = true, paramLabel = "LOCATION",
            description = "The snapshot to restore: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String snapshot;

    @Option(names = "--environment", paramLabel = "NAME",
            description = "The scratch environment (under dataverse.environments) to restore into; default: drill.environment.")
    String environment;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        try (CamelApplication app = startCamel(locations)) {
            Settings settings = Settings.of(app.context());
            String scratch = environment != null ? environment : settings.get("drill.environment", "");
            if (scratch.isBlank()) {
                throw new ConfigurationException("drill needs a scratch environment to restore into: set drill.environment (a name"
                        + " under dataverse.environments, never a production environment) or give --environment.");
            }
            if (!settings.environments().contains(scratch) || Settings.DEFAULT_ENVIRONMENT.equals(scratch)) {
                throw new ConfigurationException("drill.environment '" + scratch + "' is not a configured scratch environment:"
                        + " configure dataverse.environments." + scratch + ".url (the default environment is never drilled into).");
            }
            Path work = Files.createTempDirectory("dataverse-backup-drill-");
            Instant started = Instant.now();
            RestoreDrill.Outcome outcome;
            try {
                outcome = new RestoreDrill(app.template(), () -> DataverseBackupConfiguration.s3Client(settings),
                        SnapshotKeys.from(settings)).run(snapshot, scratch, work);
            } finally {
                try (var paths = Files.walk(work)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Instant finished = Instant.now();
            double rto = outcome.restoreTime().toMillis() / 1000.0;
            JobHistory.of(settings).accept(new JobRecord("drill", scratch, outcome.passed() ? "success" : "failed", started,
                    finished, rto, null, snapshot, outcome.tables().values().stream().mapToLong(c -> c.unchanged()).sum(), 0,
                    outcome.tables().values().stream().mapToLong(c -> c.removed() + c.changed()).sum(), outcome.error(), List.of()));
            if (outcome.passed()) {
                Console.out().printf("Drill passed: %s restored into %s in %.1f s (RTO), %d tables match record for record.%n",
                        snapshot, scratch, rto, outcome.tables().size());
                return ExitCodes.SUCCESS;
            }
            alert(app, settings, scratch, rto, outcome.error());
            Console.out().printf("Drill FAILED: %s into %s: %s%n", snapshot, scratch, outcome.error());
            return ExitCodes.JOB_FAILED;
        }
    }

    private void alert(CamelApplication app, Settings settings, String scratch, double rto, String error) throws Exception {
        String uri = settings.get("events.uri", "");
        if (uri.isBlank()) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "alert");
        event.put("alert", "drill-failed");
        event.put("environment", scratch);
        event.put("time", Instant.now().toString());
        event.put("snapshot", snapshot);
        event.put("restoreSeconds", rto);
        event.put("error", error);
        app.template().sendBody(uri, new ObjectMapper().writeValueAsString(event));
    }
}
