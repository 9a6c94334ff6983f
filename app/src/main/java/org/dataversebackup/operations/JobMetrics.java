package org.dataversebackup.operations;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The metrics of the jobs, per environment, operation ({@code backup} or {@code restore}) and
 * table, in the Micrometer registry that Camel's metrics ({@code camel.metrics.*}) expose on the
 * management port. Prometheus names (the README lists them): {@code dataverse_backup_runs_total},
 * {@code dataverse_backup_records_read_total}, {@code dataverse_backup_records_written_total},
 * {@code dataverse_backup_bytes_read_total}, {@code dataverse_backup_bytes_written_total},
 * {@code dataverse_backup_rows_failed_total}, {@code dataverse_backup_last_success_timestamp_seconds},
 * {@code dataverse_backup_last_success_duration_seconds}. The tag is {@code operation}, not
 * {@code job}, which Prometheus keeps for its scrape job.
 */
public final class JobMetrics implements Consumer<JobRecord> {
    private static final String PREFIX = "dataverse.backup.";

    private final Supplier<MeterRegistry> registry;
    /** The values the gauges read (a gauge holds its object weakly). */
    private final Map<Tags, AtomicReference<Double>> lastSuccessTime = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicReference<Double>> lastSuccessDuration = new ConcurrentHashMap<>();

    /** @param registry the registry, or null while there is none (metrics off): nothing is recorded then */
    public JobMetrics(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void accept(JobRecord job) {
        MeterRegistry meters = registry.get();
        if (meters == null) {
            return;
        }
        Tags job_ = Tags.of("environment", job.environment(), "operation", job.type());
        Counter.builder(PREFIX + "runs").description("Backups and restores that ended, by outcome")
                .tags(job_.and("outcome", job.outcome())).register(meters).increment();
        for (JobRecord.TableCounts table : job.tables()) {
            Tags tags = job_.and("table", table.table());
            count(meters, "records.read", "Records read (from Dataverse by a backup, from the snapshot by a restore)", tags,
                    table.recordsRead());
            count(meters, "records.written", "Records written (to the snapshot by a backup, created or updated by a restore)",
                    tags, table.recordsWritten());
            count(meters, "bytes.read", "Bytes of JSON read from Dataverse by a backup", tags, table.bytesRead());
            count(meters, "bytes.written", "Bytes written to the snapshot (compressed parts) by a backup", tags,
                    table.bytesWritten());
            count(meters, "rows.failed", "Rows a restore could not write", tags, table.rowsFailed());
        }
        if (job.succeeded()) {
            gauge(meters, lastSuccessTime, "last.success.timestamp.seconds", "When the last successful run ended (Unix time)",
                    job_).set(job.finishedAt().toEpochMilli() / 1000.0);
            gauge(meters, lastSuccessDuration, "last.success.duration.seconds", "How long the last successful run took",
                    job_).set(job.seconds());
        }
    }

    private static void count(MeterRegistry meters, String name, String description, Tags tags, long amount) {
        Counter.builder(PREFIX + name).description(description).tags(tags).register(meters).increment(amount);
    }

    private static AtomicReference<Double> gauge(MeterRegistry meters, Map<Tags, AtomicReference<Double>> values, String name,
            String description, Tags tags) {
        return values.computeIfAbsent(tags, t -> {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            Gauge.builder(PREFIX + name, value, AtomicReference::get).description(description).tags(t).register(meters);
            return value;
        });
    }
}
