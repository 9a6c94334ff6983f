package org.dataversebackup.operations;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.EventNotifier;
import org.dataversebackup.camel.BeanNames;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.DataverseClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wires the operations facilities into camel-main. Every command records its jobs in the job
 * history ({@link JobHistory}). The {@code run} service (the one whose triggers are on) with a
 * {@code management.port} also starts Camel's management HTTP server with Camel's health checks
 * and Prometheus metrics ({@code camel.management.*}, {@code camel.metrics.*}), to which it adds
 * the job metrics ({@link JobMetrics}), the request metrics ({@link RequestMetrics}) and two checks of the default environment: its connection
 * ({@link ConnectionReadinessCheck}) and the age of its last backup ({@link BackupAgeHealthCheck}).
 */
public final class OperationsSetup extends MainListenerSupport {
    /** The environment the service's routes serve (routes/service.camel.yaml). */
    static final String SERVICE_ENVIRONMENT = Settings.DEFAULT_ENVIRONMENT;

    private boolean management;
    /** The registry name of the {@link JobCompletions}: drills hand their records to it. */
    static final String JOB_COMPLETIONS = BeanNames.PREFIX + "jobCompletions";
    private JobHistory history;
    private JobCompletions completions;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Settings settings = Settings.of(context);
        Optional<Integer> port = settings.optionalInt("management.port");
        management = port.isPresent() && settings.booleanValue("service.triggers", true);
        if (management) {
            main.configure().httpManagementServer().withEnabled(true).withPort(port.get())
                    .withHost(settings.get("management.host", "0.0.0.0"))
                    .withHealthCheckEnabled(true).withMetricsEnabled(true);
            main.configure().metrics().withEnabled(true);
        }
        history = JobHistory.of(settings);
        String drillSchedule = settings.get("drill.schedule", "");
        if (!drillSchedule.isBlank() && settings.booleanValue("service.triggers", true)) {
            try {
                context.addRoutes(new DrillSchedule(drillSchedule));
            } catch (Exception e) {
                throw new IllegalStateException("The drill.schedule route cannot be added: " + e.getMessage(), e);
            }
        }
        completions = new JobCompletions().listener(history).listener(new MassChangeAlert(context));
        // bound as a bean: camel-main adds the event notifiers of the registry to the context
        context.getRegistry().bind(JOB_COMPLETIONS, EventNotifier.class, completions);
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        if (!management) {
            return;
        }
        CamelContext context = main.getCamelContext();
        Settings settings = Settings.of(context);
        Supplier<MeterRegistry> meters = () -> context.getRegistry().findSingleByType(MeterRegistry.class);
        completions.listener(new JobMetrics(meters));
        completions.listener(new RequestMetrics(meters, environment -> context.getRegistry()
                .lookupByNameAndType(BeanNames.of(environment, BeanNames.DATAVERSE_CLIENT), DataverseClient.class).statistics()));
        Duration maxAge = settings.durationValue("health.max-backup-age", Duration.ofHours(26));
        BackupAgeHealthCheck backupAge = new BackupAgeHealthCheck(SERVICE_ENVIRONMENT, maxAge,
                lastBackup(history).orElse(Instant.now()), Clock.systemUTC());
        completions.listener(backupAge);
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        checks.register(backupAge);
        checks.register(new ConnectionReadinessCheck(SERVICE_ENVIRONMENT));
    }


    /** The end of the service environment's last successful backup in the history, if any. */
    private static Optional<Instant> lastBackup(JobHistory history) {
        try {
            Instant last = null;
            for (JsonNode line : history.read()) {
                if ("backup".equals(line.path("type").asText()) && SERVICE_ENVIRONMENT.equals(line.path("environment").asText())
                        && "success".equals(line.path("outcome").asText())) {
                    last = Instant.parse(line.path("finishedAt").asText());
                }
            }
            return Optional.ofNullable(last);
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("The job history " + history.file() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
