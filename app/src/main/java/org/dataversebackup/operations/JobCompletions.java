package org.dataversebackup.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.camel.DataverseEndpoint;
import org.dataversebackup.camel.DataverseOperation;
import org.dataversebackup.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Notices every backup and restore job that ends, whoever started it (a command, the schedule, the
 * inbox, an ESB route), through Camel's own event: the exchange sent to the job's endpoint
 * ({@code direct:dataverse-backup.<environment>.backup|restore}, or {@code dataverse:backup|restore},
 * which calls that route without a further event) comes back with the job's answer or its error
 * and the time it took. Hands a {@link JobRecord} to each listener (history, metrics);
 * a listener that fails is logged and never changes the job's outcome.
 */
public final class JobCompletions extends EventNotifierSupport {
    private static final Logger LOG = LoggerFactory.getLogger(JobCompletions.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_ENDPOINT = Pattern.compile("direct://dataverse-backup\\.([^.?]+)\\.(backup|restore)");

    private final List<Consumer<JobRecord>> listeners = new CopyOnWriteArrayList<>();

    public JobCompletions() {
        // only the sent events are needed: the others would be built for nothing
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    public JobCompletions listener(Consumer<JobRecord> listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        // the sending event too: Camel times a send, and so sends the sent event, only when a notifier takes it
        return (event instanceof ExchangeSendingEvent sending && job(sending.getEndpoint()) != null)
                || (event instanceof ExchangeSentEvent sent && job(sent.getEndpoint()) != null);
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof ExchangeSentEvent sent)) {
            return;
        }
        String[] job = job(sent.getEndpoint());
        if (job == null) {
            return;
        }
        completed(record(job[1], job[0], sent.getExchange(), sent.getTimeTaken()));
    }

    /** Hands a job that ended to every listener: the backups and restores noticed here, and drills (DrillJob). */
    public void completed(JobRecord record) {
        for (Consumer<JobRecord> listener : listeners) {
            try {
                listener.accept(record);
            } catch (RuntimeException e) {
                LOG.warn("The {} of {} {} could not be recorded: {}", listener, record.type(), record.snapshotId(), e.toString());
            }
        }
    }

    /** The environment and job (backup or restore) an endpoint runs, or null for any other endpoint. */
    private static String[] job(Endpoint endpoint) {
        if (endpoint instanceof DataverseEndpoint dataverse) {
            DataverseOperation operation = dataverse.getOperation();
            if (operation != DataverseOperation.BACKUP && operation != DataverseOperation.RESTORE) {
                return null;
            }
            String environment = dataverse.getEnvironment();
            return new String[] {environment == null || environment.isBlank() ? Settings.DEFAULT_ENVIRONMENT : environment,
                    operation.name().toLowerCase(Locale.ROOT)};
        }
        Matcher direct = JOB_ENDPOINT.matcher(endpoint.getEndpointUri());
        return direct.matches() ? new String[] {direct.group(1), direct.group(2)} : null;
    }

    static JobRecord record(String type, String environment, Exchange exchange, long millis) {
        Instant finished = Instant.now();
        Exception failure = exchange.getException();
        JsonNode answer = failure == null ? answer(exchange.getMessage().getBody(String.class)) : null;
        boolean backup = "backup".equals(type);
        List<JobRecord.TableCounts> tables = new ArrayList<>();
        long records = 0;
        long bytes = 0;
        long failed = 0;
        String snapshotId = exchange.getMessage().getHeader(BackupHeaders.SNAPSHOT_ID, String.class);
        String location = exchange.getMessage().getHeader(BackupHeaders.LOCATION, String.class);
        if (answer != null) {
            snapshotId = answer.path("snapshotId").asText(snapshotId);
            for (JsonNode table : answer.path("tables")) {
                if (backup) {
                    long written = table.path("records").asLong();
                    tables.add(new JobRecord.TableCounts(table.path("table").asText(), written,
                            table.path("jsonBytes").asLong(), written, table.path("bytes").asLong(), 0));
                } else if (!"links".equals(table.path("kind").asText())) {
                    long written = table.path("created").asLong() + table.path("updated").asLong();
                    tables.add(new JobRecord.TableCounts(table.path("table").asText(), table.path("selected").asLong(), 0,
                            written, 0, table.path("failed").asLong()));
                }
            }
            if (backup) {
                records = answer.path("records").asLong();
                bytes = answer.path("bytes").asLong();
                location = answer.path("location").asText(location);
            } else {
                JsonNode totals = answer.path("totals");
                records = totals.path("created").asLong() + totals.path("updated").asLong();
                failed = totals.path("failed").asLong();
                location = answer.path("snapshot").asText(location);
            }
        }
        // a restore that finished with failed rows answers a report whose "ok" is false
        boolean ok = failure == null && (backup || answer == null || answer.path("ok").asBoolean(true));
        return new JobRecord(type, environment, ok ? "success" : "failed", finished.minus(Duration.ofMillis(millis)),
                finished, millis / 1000.0, snapshotId, location, records, bytes, failed,
                failure == null ? null : failure.getMessage(), tables);
    }

    private static JsonNode answer(String body) {
        if (body == null || !body.trim().startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
