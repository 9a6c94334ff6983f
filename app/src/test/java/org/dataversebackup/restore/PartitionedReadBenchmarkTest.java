package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

/**
 * Partitioned read benchmark (not a test; excluded from the default build): one table of
 * {@code benchmark.rows} accounts (default 1,000,000), every page of a collection read held back
 * {@code benchmark.page-latency} ms (default 3,000) by the emulator, as a real environment takes for
 * 5,000 wide rows with annotations. In one run, into one target: a full backup page after page
 * ({@code backup.partitions=1}, the baseline), then a partitioned full backup ({@code backup.partitions=auto}
 * with an {@code x-ms-dop-hint} of {@code benchmark.dop-hint}, default 8), which takes its delta token from
 * the changes since the first one; then a partitioned full into an empty target, whose delta token needs
 * a tracked read of every key ({@code -Dbenchmark.first-in-target=false} leaves it out). Results go to standard output and {@code target/benchmark/partitioned.md}.
 *
 * <pre>mvn -B -Pbenchmark test -pl app -am -Dtest=PartitionedReadBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("benchmark")
class PartitionedReadBenchmarkTest {
    static final int ROWS = Integer.getInteger("benchmark.rows", 1_000_000);
    static final Duration PAGE_LATENCY = Duration.ofMillis(Integer.getInteger("benchmark.page-latency", 3_000));
    static final int DOP_HINT = Integer.getInteger("benchmark.dop-hint", 8);
    /** Whether to add the partitioned backup into an empty target (its key-only tracked read takes as long as the baseline). */
    static final boolean FIRST_IN_TARGET = Boolean.parseBoolean(System.getProperty("benchmark.first-in-target", "true"));

    @TempDir
    Path dir;

    record Run(String name, String settings, long records, int parts, double seconds, long requests) {
    }

    @Test
    void aPartitionedReadNextToPageAfterPage() throws Exception {
        DataSetSpec spec = DataSetSpec.builder().accounts(ROWS).contactsPerAccount(0).projects(0).build();
        try (DataverseEmulator source = RestoreEmulator.generated(spec);
                CamelApplication sequential = RestoreEmulator.app(source, dir.resolve("sequential"),
                        Map.of("backup.partitions", "1"));
                CamelApplication partitioned = RestoreEmulator.app(source, dir.resolve("partitioned"),
                        Map.of("backup.target", "file:" + dir.resolve("sequential").resolve("backups")));
                CamelApplication firstEver = RestoreEmulator.app(source, dir.resolve("first-ever"), Map.of())) {
            source.serviceProtection(Integer.MAX_VALUE, Duration.ofSeconds(300), 52);
            source.dopHint(DOP_HINT);
            source.faults().pageLatency(PAGE_LATENCY);
            List<Run> runs = new ArrayList<>();
            runs.add(backup(source, sequential, "page after page (baseline)", "`backup.partitions=1`"));
            runs.add(backup(source, partitioned, "key ranges at once, delta token from the changes since the baseline",
                    "`backup.partitions=auto`"));
            if (FIRST_IN_TARGET) {
                runs.add(backup(source, firstEver, "key ranges at once, first snapshot in the target (delta token from a tracked"
                        + " read of every key)", "`backup.partitions=auto`"));
            }
            for (Run run : runs) {
                assertThat(run.records()).as(run.name()).isEqualTo(ROWS);
            }

            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%,d accounts, %,d ms per page of 5,000 rows,"
                    + " x-ms-dop-hint %d, %d available processors, Java %s%n%n", ROWS, PAGE_LATENCY.toMillis(), DOP_HINT,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
            table.append("| run | settings | rows | parts | seconds | rows/s | Web API requests | speed-up |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (Run run : runs) {
                table.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %.1f | %,.0f | %,d | %.1fx |%n", run.name(),
                        run.settings(), run.records(), run.parts(), run.seconds(), run.records() / run.seconds(), run.requests(),
                        runs.get(0).seconds() / run.seconds()));
            }
            System.out.println(table);
            Files.createDirectories(Path.of("target/benchmark"));
            Files.writeString(Path.of("target/benchmark/partitioned.md"), table);
        }
    }

    private static Run backup(DataverseEmulator source, CamelApplication app, String name, String settings) throws Exception {
        long requests = source.webApiRequests();
        long started = System.nanoTime();
        Exchange result = app.template().request("dataverse:backup", e -> e.getIn().setHeader(BackupHeaders.TABLES, "account"));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (result.getException() != null) {
            throw result.getException();
        }
        Path snapshot = Path.of(result.getMessage().getHeader(BackupHeaders.LOCATION, String.class));
        JsonNode account = SnapshotJson.MAPPER.readTree(snapshot.resolve("manifest.json").toFile()).path("tables").get(0);
        assertThat(account.path("deltaToken").asText()).as(name).isNotBlank();
        Run run = new Run(name, settings, account.path("records").asLong(), account.path("parts").size(), seconds,
                source.webApiRequests() - requests);
        System.out.printf(Locale.ROOT, "%s: %.1f s, %d requests%n", name, seconds, run.requests());
        return run;
    }
}
