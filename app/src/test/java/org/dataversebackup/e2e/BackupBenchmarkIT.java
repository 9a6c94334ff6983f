package org.dataversebackup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup benchmark (not a test; excluded from the default build): a table of
 * {@code benchmark.rows} rows (default 1,000,000) served by the emulator in its own JVM, backed up
 * by the packaged jar with {@code -Xmx256m}, next to a raw baseline in the same run (a plain loop
 * streaming the same pages into a gzip file, also with {@code -Xmx256m}). Each is run twice; the
 * second run is reported (the emulator's JIT is warm by then). Peak heap is the most heap still in
 * use after a garbage collection, in the measured JVM. Results go to standard output and
 * {@code target/benchmark-backup.md}.
 *
 * <pre>mvn -B verify -Pbenchmark -Dit.test=BackupBenchmarkIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("benchmark")
class BackupBenchmarkIT {
    private static final int ROWS = Integer.getInteger("benchmark.rows", 1_000_000);
    private static final String HEAP = System.getProperty("benchmark.heap", "-Xmx256m");
    private static final String ANNOTATIONS = "Microsoft.Dynamics.CRM.lookuplogicalname,"
            + "Microsoft.Dynamics.CRM.associatednavigationproperty";

    @TempDir
    Path folder;

    record Run(String what, long records, long jsonBytes, long outputBytes, double seconds, long peakHeapBytes) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %,d | %.1f | %,.0f | %.1f | %.1f | %d |", what, records, seconds,
                    records / seconds, jsonBytes / seconds / 1e6, outputBytes / seconds / 1e6, peakHeapBytes / (1024 * 1024));
        }
    }

    @Test
    void backupOfAMillionRowsNextToARawBaseline() throws Exception {
        Process emulator = new ProcessBuilder(java(), "-Xmx4g", "-jar", PackagedJar.jar().toString(), "emulator", "--port", "0",
                "--generate", "accounts=" + ROWS + ",contacts-per-account=0,projects=0", "--directory",
                folder.resolve("emulator").toString(), "--requests-per-window", "1000000")
                .redirectError(folder.resolve("emulator.log").toFile()).start();
        try {
            Map<String, String> printed = readUntilReady(emulator);
            String environment = printed.get("Environment URL (dataverse.url)");
            String authority = printed.get("Authority (auth.authority)");
            List<String> trust = List.of("-Djavax.net.ssl.trustStore=" + printed.get("Trust store (PKCS12)"),
                    "-Djavax.net.ssl.trustStorePassword=" + printed.get("Trust store password"),
                    "-Djavax.net.ssl.trustStoreType=PKCS12");

            List<Run> runs = new ArrayList<>();
            for (int round = 1; round <= 2; round++) {
                runs.add(baseline(environment, authority, trust, round));
                runs.add(backup(environment, authority, trust, round));
            }
            String report = "| run | records | seconds | records/s | MB/s JSON in | MB/s gzip out | peak heap MB |\n"
                    + "|---|---|---|---|---|---|---|\n" + runs.get(2).row() + "\n" + runs.get(3).row() + "\n";
            String header = String.format(Locale.ROOT, "Backup benchmark: %,d account rows, %s, %d cores, Java %s%n%n", ROWS,
                    HEAP, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.println(header + report);
            Files.writeString(Path.of("target", "benchmark-backup.md"), header + report + "\nAll runs:\n\n"
                    + String.join("\n", runs.stream().map(Run::row).toList()) + "\n");
            assertThat(runs.get(3).records()).isEqualTo(ROWS);
        } finally {
            emulator.destroy();
            emulator.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Run baseline(String environment, String authority, List<String> trust, int round) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), HEAP));
        command.addAll(trust);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawPagesBaseline.class.getName(), environment,
                authority, EmulatorIdentities.APP_CLIENT_ID, EmulatorIdentities.APP_CLIENT_SECRET, "accounts", "5000",
                ANNOTATIONS, folder.resolve("baseline-" + round + ".json.gz").toString()));
        String out = run(command, "baseline-" + round);
        Matcher m = Pattern.compile("RESULT records=(\\d+) jsonBytes=(\\d+) seconds=([\\d.]+) outputBytes=(\\d+) peakHeapBytes=(\\d+)")
                .matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return new Run("raw baseline (round " + round + ")", Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(4)), Double.parseDouble(m.group(3)), Long.parseLong(m.group(5)));
    }

    private Run backup(String environment, String authority, List<String> trust, int round) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), HEAP));
        command.addAll(trust);
        command.addAll(List.of("-Ddataverse.url=" + environment, "-Dauth.authority=" + authority,
                "-Dauth.tenant-id=" + EmulatorIdentities.TENANT_ID, "-Dauth.client-id=" + EmulatorIdentities.APP_CLIENT_ID,
                "-Dauth.client-secret=" + EmulatorIdentities.APP_CLIENT_SECRET, "-Dpreflight.enabled=false",
                "-jar", PackagedJar.jar().toString(), "backup", "--tables", "account", "--json",
                "--target", "file:" + folder.resolve("backups-" + round)));
        String out = run(command, "backup-" + round);
        Path snapshot = Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        SnapshotManifest manifest = SnapshotJson.MAPPER.readValue(snapshot.resolve("manifest.json").toFile(), SnapshotManifest.class);
        String log = Files.readString(folder.resolve("backup-" + round + ".err"));
        Matcher heap = Pattern.compile("Peak heap in use after garbage collection: (\\d+) MB").matcher(log);
        assertThat(heap.find()).as(log).isTrue();
        double seconds = Duration.between(java.time.Instant.parse(manifest.startedAt()),
                java.time.Instant.parse(manifest.completedAt())).toMillis() / 1000.0;
        long jsonBytes = SnapshotJson.MAPPER.readTree(out.substring(0, out.lastIndexOf('}') + 1)).path("jsonBytes").asLong();
        return new Run("dataverse-backup (round " + round + ")", manifest.totalRecords(), jsonBytes, manifest.totalBytes(), seconds,
                Long.parseLong(heap.group(1)) * 1024 * 1024);
    }

    private String run(List<String> command, String name) throws IOException, InterruptedException {
        Path out = folder.resolve(name + ".out");
        Path err = folder.resolve(name + ".err");
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(process.waitFor(15, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(err)).isZero();
        return Files.readString(out);
    }

    private static Map<String, String> readUntilReady(Process emulator) throws IOException {
        Map<String, String> values = new java.util.HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null && !line.startsWith("Press Ctrl+C")) {
            String trimmed = line.trim();
            int gap = trimmed.indexOf("  ");
            if (gap > 0) {
                values.put(trimmed.substring(0, gap).trim(), trimmed.substring(gap).trim());
            }
        }
        return values;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
