package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Incremental backup benchmark (not a test; excluded from the default build): a table of
 * {@code benchmark.rows} accounts (default 1,000,000), 1% of them changed after a full backup; the
 * incremental backup's time and Web API requests next to a second full backup of the same table,
 * in one run, with {@code benchmark.latency} ms (default 20) added to every request. Results go to
 * standard output and {@code target/benchmark/incremental.md}.
 *
 * <pre>mvn -B -Pbenchmark test -pl app -am -Dtest=IncrementalBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("benchmark")
class IncrementalBenchmarkTest {
    static final int ROWS = Integer.getInteger("benchmark.rows", 1_000_000);
    static final Duration LATENCY = Duration.ofMillis(Integer.getInteger("benchmark.latency", 20));

    @TempDir
    Path dir;

    record Run(String name, long records, long deleted, double seconds, long requests) {
    }

    @Test
    void anIncrementalOfOnePercentNextToAFullBackup() throws Exception {
        DataSetSpec spec = DataSetSpec.builder().accounts(ROWS).contactsPerAccount(0).projects(0).build();
        try (DataverseEmulator source = RestoreEmulator.generated(spec);
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("app"), Map.of())) {
            source.serviceProtection(Integer.MAX_VALUE, Duration.ofSeconds(300), 52);
            source.faults().requestLatency(LATENCY);
            Run first = backup(source, app, "full", "full backup (starts the chain)");
            List<UUID> ids = source.state().ids("account");
            int changed = ROWS / 100;
            for (int i = 0; i < changed; i++) {
                UUID id = ids.get(i * 100);
                if (i % 10 == 0) {
                    source.state().deleteRow("account", id);
                } else {
                    ObjectNode row = source.state().row("account", id).orElseThrow();
                    row.put("name", row.path("name").asText() + " (changed)");
                    source.state().putRow("account", row);
                }
            }
            Run incremental = backup(source, app, "incremental", "incremental backup, 1% changed (10% of them deleted)");
            Run full = backup(source, app, "full", "full backup of the same table");
            assertThat(incremental.records() + incremental.deleted()).isEqualTo(changed);

            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%,d accounts, %,d changed, %d ms added to every"
                    + " request, %d available processors, Java %s%n%n", ROWS, changed, LATENCY.toMillis(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
            table.append("| run | rows written | tombstones | seconds | Web API requests |\n|---|---:|---:|---:|---:|\n");
            for (Run run : List.of(first, incremental, full)) {
                table.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.1f | %,d |%n", run.name(), run.records(),
                        run.deleted(), run.seconds(), run.requests()));
            }
            System.out.println(table);
            Files.createDirectories(Path.of("target/benchmark"));
            Files.writeString(Path.of("target/benchmark/incremental.md"), table);
        }
    }

    private static Run backup(DataverseEmulator source, CamelApplication app, String kind, String name) throws Exception {
        long requests = source.webApiRequests();
        long started = System.nanoTime();
        Exchange result = app.template().request("dataverse:backup", e -> {
            e.getIn().setHeader(BackupHeaders.TABLES, "account");
            e.getIn().setHeader(BackupHeaders.KIND, kind);
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        if (result.getException() != null) {
            throw result.getException();
        }
        Path snapshot = Path.of(result.getMessage().getHeader(BackupHeaders.LOCATION, String.class));
        JsonNode account = SnapshotJson.MAPPER.readTree(snapshot.resolve("manifest.json").toFile()).path("tables").get(0);
        Run run = new Run(name, account.path("records").asLong(), account.path("deleted").asLong(), seconds,
                source.webApiRequests() - requests);
        System.out.printf(Locale.ROOT, "%s: %.1f s, %d requests%n", name, seconds, run.requests());
        return run;
    }
}
