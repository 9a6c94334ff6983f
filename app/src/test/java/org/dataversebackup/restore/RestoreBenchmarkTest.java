package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Restore throughput: 100,000 rows (50,000 accounts and 50,000 contacts, with parent accounts,
 * primary contacts and parent customers, so the waves and the second pass are part of it) into an
 * emulator that adds 20 ms to every request: CreateMultiple (restore.use-bulk, the default) and
 * $batch, parallel, next to the naive baseline, one POST per record, one at a time (on a sample,
 * extrapolated). Excluded from the default build; run with
 *
 * <pre>mvn -B -Pbenchmark test -Dtest=RestoreBenchmarkTest</pre>
 *
 * Results go to standard output and {@code target/benchmark/restore.md}.
 */
@Tag("benchmark")
class RestoreBenchmarkTest {
    static final int ACCOUNTS = Integer.getInteger("benchmark.accounts", 50_000);
    static final DataSetSpec SPEC = DataSetSpec.builder().accounts(ACCOUNTS).contactsPerAccount(1).projects(0).build();
    /** One request at a time is slow (about 100,000 x 20 ms): it runs on a sample and is extrapolated. */
    static final int SAMPLE_ACCOUNTS = Integer.getInteger("benchmark.sample-accounts", 2_500);
    static final DataSetSpec SAMPLE = DataSetSpec.builder().accounts(SAMPLE_ACCOUNTS).contactsPerAccount(1).projects(0).build();
    static final Duration LATENCY = Duration.ofMillis(20);

    @TempDir
    Path dir;

    record Run(String name, String settings, long rows, double seconds, long requests, String note) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    @Test
    void batchedAndParallelNextToOneRequestPerRecord() throws Exception {
        List<Run> runs = new ArrayList<>();
        Path snapshot = snapshot(SPEC, "full");
        Path sample = snapshot(SAMPLE, "sample");
        long rows = 2L * ACCOUNTS;

        runs.add(run("CreateMultiple of 1,000, 16 writers", SPEC, snapshot, rows,
                Map.of("restore.batch-size", "1000", "restore.parallelism", "16"), 16));
        runs.add(run("CreateMultiple of 100 (the default chunk), 16 writers", SPEC, snapshot, rows,
                Map.of("restore.batch-size", "100", "restore.parallelism", "16"), 16));
        runs.add(run("$batch of 100, 16 writers (no bulk messages)", SPEC, snapshot, rows,
                Map.of("restore.batch-size", "100", "restore.parallelism", "16", "restore.use-bulk", "false"), 16));
        Run oneByOne = run("naive: one POST per record, one at a time (create mode)", SAMPLE, sample, 2L * SAMPLE_ACCOUNTS,
                Map.of("restore.use-batch", "false", "restore.use-bulk", "false", "restore.parallelism", "1",
                        "restore.mode", "create"), 16);
        runs.add(oneByOne);

        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%d rows (%d accounts, %d contacts), %d ms added to every request, "
                + "%d available processors, Java %s%n%n", rows, ACCOUNTS, ACCOUNTS, LATENCY.toMillis(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        table.append("| run | settings | rows | seconds | rows/s | HTTP requests | requests per 100,000 rows | 100,000 rows take"
                + " | rows/s vs naive |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.1f | %,.0f | %,d | %,.0f | %s | %.0fx |%n", run.name(),
                    run.settings(), run.rows(), run.seconds(), run.rowsPerSecond(), run.requests(),
                    run.requests() * 100_000.0 / run.rows(),
                    minutes(100_000 / run.rowsPerSecond()) + (run.rows() < rows ? " (extrapolated)" : ""),
                    run.rowsPerSecond() / oneByOne.rowsPerSecond()));
        }
        System.out.println(table);
        Files.createDirectories(Path.of("target/benchmark"));
        Files.writeString(Path.of("target/benchmark/restore.md"), table);
    }

    private static long appRequests(DataverseEmulator emulator) {
        org.dataversebackup.emulator.UserStatistics statistics = emulator.userStatistics()
                .get(UUID.fromString(org.dataversebackup.emulator.EmulatorIdentities.APP_USER_ID));
        return statistics == null ? 0 : statistics.requests();
    }

    private static String minutes(double seconds) {
        return seconds < 120 ? String.format(Locale.ROOT, "%.0f s", seconds) : String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }

    private Path snapshot(DataSetSpec spec, String name) {
        try (DataverseEmulator source = RestoreEmulator.generated(spec);
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("source-" + name), Map.of())) {
            return SnapshotFixture.backup(app, dir.resolve("snapshots-" + name), "account,contact", 50_000);
        }
    }

    private Run run(String name, DataSetSpec spec, Path snapshot, long rows, Map<String, String> settings, int dopHint) throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(spec);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("target-" + UUID.randomUUID()), settings)) {
            // isolate the latency from the request limit of service protection (6,000 per 5 minutes per user)
            target.serviceProtection(Integer.MAX_VALUE, Duration.ofSeconds(300), 52);
            target.dopHint(dopHint);
            target.faults().requestLatency(LATENCY);
            long requestsBefore = appRequests(target);
            long started = System.nanoTime();
            Map<String, Object> headers = new HashMap<>();
            headers.put(RestoreHeaders.SNAPSHOT, snapshot.toString());
            Exchange result = RestoreEmulator.restore(app, headers);
            double seconds = (System.nanoTime() - started) / 1e9;
            // every request the emulator let through for the connection account: planning, preflight, reads and writes
            long requests = appRequests(target) - requestsBefore;
            if (result.getException() != null) {
                throw result.getException();
            }
            JsonNode report = SnapshotJson.MAPPER.readTree(result.getMessage().getBody(String.class));
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.path("totals").path("created").asLong()).isEqualTo(rows);
            assertThat(target.state().count("account") + (long) target.state().count("contact")).isEqualTo(rows);
            Run run = new Run(name, settings.toString().replaceAll("[{}]", ""), rows, seconds, requests, "");
            System.out.printf(Locale.ROOT, "%s: %.1f s, %.0f rows/s, %d requests%n", name, seconds, run.rowsPerSecond(), run.requests());
            return run;
        }
    }
}
