package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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
 * Diff benchmark (not a test; excluded from the default build): two full snapshots of a table of
 * {@code benchmark.rows} accounts (default 1,000,000) with 1% of the rows changed between them
 * (renamed, deleted, created), compared by the {@code diff} command in a JVM of its own limited to
 * {@code benchmark.heap} (default 128m): it finishes only if memory stays bounded whatever the
 * table's size. Time, spilled bytes and the counts go to standard output and
 * {@code target/benchmark/diff.md}.
 *
 * <pre>mvn -B -Pbenchmark test -pl emulator,core,app -Dtest=DiffBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("benchmark")
class DiffBenchmarkTest {
    static final int ROWS = Integer.getInteger("benchmark.rows", 1_000_000);
    static final String HEAP = System.getProperty("benchmark.heap", "128m");

    @TempDir
    Path dir;

    @Test
    void twoSnapshotsOfAMillionRowsCompareInABoundedHeap() throws Exception {
        DataSetSpec spec = DataSetSpec.builder().accounts(ROWS).contactsPerAccount(0).projects(0).build();
        Path older;
        Path newer;
        int renamed = ROWS / 100 * 8 / 10;
        int deleted = ROWS / 100 / 10;
        int created = ROWS / 100 / 10;
        try (DataverseEmulator source = RestoreEmulator.generated(spec);
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("app"), Map.of())) {
            older = backup(app);
            List<UUID> ids = source.state().ids("account");
            for (int i = 0; i < renamed + deleted; i++) {
                UUID id = ids.get(i * 90);
                if (i < deleted) {
                    source.state().deleteRow("account", id);
                } else {
                    ObjectNode row = source.state().row("account", id).orElseThrow();
                    row.put("name", row.path("name").asText() + " (renamed)");
                    source.state().putRow("account", row);
                }
            }
            for (int i = 0; i < created; i++) {
                ObjectNode row = source.state().row("account", ids.get(i * 90 + 1)).orElseThrow().deepCopy();
                UUID id = UUID.randomUUID();
                row.put("accountid", id.toString());
                row.put("accountnumber", "N-" + id.toString().substring(0, 8));
                source.state().putRow("account", row);
            }
            Thread.sleep(1_100); // snapshot ids are to the second
            newer = backup(app);
        }

        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                "org.dataversebackup.cli.DataverseBackupCommand", "diff", older.toString(), newer.toString(), "--json"));
        long started = System.nanoTime();
        Process diff = new ProcessBuilder(command).redirectError(dir.resolve("diff.err").toFile()).start();
        String out = new String(diff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(diff.waitFor(60, TimeUnit.MINUTES)).isTrue();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(diff.exitValue()).as(out + Files.readString(dir.resolve("diff.err"))).isZero();
        JsonNode account = SnapshotJson.MAPPER.readTree(out.lines().filter(l -> l.contains("\"account\"")).findFirst().orElseThrow());
        assertThat(account.path("changed").asLong()).isEqualTo(renamed);
        assertThat(account.path("removed").asLong()).isEqualTo(deleted);
        assertThat(account.path("added").asLong()).isEqualTo(created);

        long snapshotBytes = size(older.resolve("data")) + size(newer.resolve("data"));
        String table = String.format(Locale.ROOT, "%,d accounts per snapshot, %,d renamed, %,d deleted, %,d created; diff in a JVM"
                + " with -Xmx%s, %d available processors, Java %s%n%n| snapshots (compressed parts) | seconds | rows/s (both sides)"
                + " | result |%n|---:|---:|---:|---|%n| %,d MB | %.1f | %,.0f | %s |%n", ROWS, renamed, deleted, created, HEAP,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), snapshotBytes / 1_000_000,
                seconds, (2.0 * ROWS) / seconds, account);
        System.out.println(table);
        Files.createDirectories(Path.of("target/benchmark"));
        Files.writeString(Path.of("target/benchmark/diff.md"), table);
    }

    private static Path backup(CamelApplication app) throws Exception {
        Exchange result = app.template().request("dataverse:backup", e -> e.getIn().setHeader(BackupHeaders.TABLES, "account"));
        if (result.getException() != null) {
            throw result.getException();
        }
        return Path.of(result.getMessage().getHeader(BackupHeaders.LOCATION, String.class));
    }

    private static long size(Path folder) throws Exception {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
