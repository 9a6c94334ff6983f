package org.dataversebackup.operations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One restore drill as a job, for the drill command and drill.schedule: runs {@link RestoreDrill}
 * into the scratch environment, records it in the job history ({@code "type":"drill"}, its
 * {@code seconds} the restore time) and, in the service, in the job metrics ({@code operation="drill"}), and turns a failure into a WARN line and a
 * {@code drill-failed} alert event to {@code events.uri}.
 */
public final class DrillJob {
    private static final Logger LOG = LoggerFactory.getLogger(DrillJob.class);

    private DrillJob() {
    }

    /** The configured scratch environment: {@code given}, else {@code drill.environment}; never the default one. */
    public static String scratchEnvironment(Settings settings, String given) {
        String scratch = given != null ? given : settings.get("drill.environment", "");
        if (scratch.isBlank()) {
            throw new ConfigurationException("A drill needs a scratch environment to restore into: set drill.environment (a name"
                    + " under dataverse.environments, never a production environment) or give --environment.");
        }
        if (!settings.environments().contains(scratch) || Settings.DEFAULT_ENVIRONMENT.equals(scratch)) {
            throw new ConfigurationException("drill.environment '" + scratch + "' is not a configured scratch environment:"
                    + " configure dataverse.environments." + scratch + ".url (the default environment is never drilled into).");
        }
        return scratch;
    }

    public static RestoreDrill.Outcome run(CamelContext context, ProducerTemplate template, String snapshot, String scratch)
            throws Exception {
        Settings settings = Settings.of(context);
        Path work = Files.createTempDirectory("dataverse-backup-drill-");
        Instant started = Instant.now();
        RestoreDrill.Outcome outcome;
        try {
            outcome = new RestoreDrill(template, () -> DataverseBackupConfiguration.s3Client(settings), SnapshotKeys.from(settings))
                    .run(snapshot, scratch, work);
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        double rto = outcome.restoreTime().toMillis() / 1000.0;
        JobRecord record = new JobRecord("drill", scratch, outcome.passed() ? "success" : "failed", started,
                Instant.now(), rto, null, snapshot, outcome.tables().values().stream().mapToLong(c -> c.unchanged()).sum(), 0,
                outcome.tables().values().stream().mapToLong(c -> c.removed() + c.changed()).sum(), outcome.error(), List.of());
        // in the service: the history and the metrics (runs, last success and its duration = the RTO); a command: the history
        JobCompletions completions = context.getRegistry().lookupByNameAndType(OperationsSetup.JOB_COMPLETIONS, JobCompletions.class);
        if (completions != null) {
            completions.completed(record);
        } else {
            JobHistory.of(settings).accept(record);
        }
        if (outcome.passed()) {
            LOG.info("Drill passed: {} restored into {} in {} s (RTO)", snapshot, scratch, rto);
        } else {
            LOG.warn("Drill FAILED: {} into {}: {}", snapshot, scratch, outcome.error());
            alert(template, settings, snapshot, scratch, rto, outcome.error());
        }
        return outcome;
    }

    private static void alert(ProducerTemplate template, Settings settings, String snapshot, String scratch, double rto,
            String error) throws Exception {
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
        template.sendBody(uri, new ObjectMapper().writeValueAsString(event));
    }
}
