package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.DataverseBackupCommand;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.testing.CommandConsole;
import org.dataversebackup.emulator.EmulatorIdentities;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Restore drills into a scratch environment (a second emulator with the same users, teams and
 * business units and no business rows): a sound snapshot passes, with its restore time in the job
 * history; a tampered one fails, in the history and as an alert. drill.schedule drills in the
 * service, and its drills are in the service's metrics.
 */
class DrillCommandEmulatorTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CommandConsole console = new CommandConsole();

    private void environment(String prefix, DataverseEmulator emulator) {
        console.set(prefix.isEmpty() ? "dataverse.url" : prefix + "url", emulator.environmentUrl());
        console.set(prefix + "auth.mode", "client-secret");
        console.set(prefix + "auth.tenant-id", EmulatorIdentities.TENANT_ID);
        console.set(prefix + "auth.authority", emulator.authority());
        console.set(prefix + "auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        console.set(prefix + "auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
        console.set(prefix + "auth.token-cache", dir.resolve(prefix + "token-cache.json").toString());
    }

    @Test
    void aSoundSnapshotPassesTheDrillAndATamperedOneFailsIt() throws Exception {
        DataSetSpec spec = DataSetSpec.sized(5, 1, 0);
        Path snapshot;
        Path history = dir.resolve("history.ndjson");
        try (DataverseEmulator source = RestoreEmulator.generated(spec); DataverseEmulator scratch = RestoreEmulator.emptied(spec)) {
            try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("app"), Map.of("backup.target", "file:" + dir.resolve("backups")))) {
                snapshot = Path.of(RestoreEmulator.backup(app, "account,contact"));
            }
            environment("", source); // the production environment: a drill never writes to it
            String sourceState = source.state().ids("account").toString() + source.state().count("contact");
            environment("dataverse.environments.sandbox.", scratch);
            console.set("dataverse.environments", "sandbox");
            console.set("drill.environment", "sandbox");
            console.set("history.file", history.toString());
            console.set("backup.target", "file:" + dir.resolve("unused"));
            console.set("backup.work-dir", dir.resolve("work").toString());
            console.set("restore.work-dir", dir.resolve("restore-work").toString());
            console.set("restore.report-dir", dir.resolve("reports").toString());
            console.set("restore.inbox", dir.resolve("inbox").toString());
            console.set("events.uri", "file:" + dir.resolve("events") + "?fileName=drill-event.json");

            assertThat(DataverseBackupCommand.execute("drill", "--snapshot", snapshot.toString()))
                    .as(console.out() + "\n" + console.err()).isEqualTo(ExitCodes.SUCCESS);
            assertThat(console.out()).containsPattern("Drill passed: .* restored into sandbox in [\\d.]+ s \\(RTO\\), 2 tables");
            assertThat(scratch.state().count("account")).isEqualTo(5);
            assertThat(source.state().ids("account").toString() + source.state().count("contact")).isEqualTo(sourceState);
            List<JsonNode> drills = drills(history);
            assertThat(drills).hasSize(1);
            assertThat(drills.get(0).path("outcome").asText()).isEqualTo("success");
            assertThat(drills.get(0).path("seconds").asDouble()).isPositive();

            // a part of the snapshot damaged: the restore refuses it, the drill fails and says so
            Path part = Files.walk(snapshot.resolve("data")).filter(Files::isRegularFile).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(part);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(part, bytes);
            console.clear();
            assertThat(DataverseBackupCommand.execute("drill", "--snapshot", snapshot.toString())).isEqualTo(ExitCodes.JOB_FAILED);
            assertThat(console.out()).contains("Drill FAILED");
            drills = drills(history);
            assertThat(drills).hasSize(2);
            assertThat(drills.get(1).path("outcome").asText()).isEqualTo("failed");
            JsonNode alert = new ObjectMapper().readTree(dir.resolve("events").resolve("drill-event.json").toFile());
            assertThat(alert.path("alert").asText()).isEqualTo("drill-failed");
            assertThat(alert.path("environment").asText()).isEqualTo("sandbox");
        }
    }

    @Test
    void drillScheduleDrillsTheNewestSnapshotInTheService() throws Exception {
        DataSetSpec spec = DataSetSpec.sized(3, 1, 0);
        Path history = dir.resolve("service-history.ndjson");
        try (DataverseEmulator source = RestoreEmulator.generated(spec); DataverseEmulator scratch = RestoreEmulator.emptied(spec)) {
            Map<String, String> extra = new HashMap<>();
            extra.put("backup.target", "file:" + dir.resolve("backups"));
            extra.put("history.file", history.toString());
            extra.put("drill.schedule", "0/1 * * * * ?");
            extra.put("drill.environment", "sandbox");
            extra.put("dataverse.environments", "sandbox");
            String prefix = "dataverse.environments.sandbox.";
            extra.put(prefix + "url", scratch.environmentUrl());
            extra.put(prefix + "auth.mode", "client-secret");
            extra.put(prefix + "auth.tenant-id", EmulatorIdentities.TENANT_ID);
            extra.put(prefix + "auth.authority", scratch.authority());
            extra.put(prefix + "auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
            extra.put(prefix + "auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
            extra.put(prefix + "auth.token-cache", dir.resolve("sandbox-token-cache.json").toString());
            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            }
            extra.put("management.port", String.valueOf(port));
            extra.put("management.host", "127.0.0.1");
            try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("app"), extra)) {
                RestoreEmulator.backup(app, "account,contact");
                long deadline = System.currentTimeMillis() + 60_000;
                List<JsonNode> drills = List.of();
                while (drills.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                    drills = Files.exists(history) ? drills(history) : List.of();
                }
                assertThat(drills).as("a scheduled drill within a minute").isNotEmpty();
                assertThat(drills.get(0).path("outcome").asText()).as(drills.get(0).toString()).isEqualTo("success");
                assertThat(drills.get(0).path("environment").asText()).isEqualTo("sandbox");
                assertThat(scratch.state().count("account")).isEqualTo(3);

                // the drill is in the service's metrics: its runs and its last restore time (the RTO)
                String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern(
                        "dataverse_backup_runs_total\\{environment=\"sandbox\",operation=\"drill\",outcome=\"success\"} [1-9]")
                        .containsPattern("dataverse_backup_last_success_duration_seconds\\{environment=\"sandbox\",operation=\"drill\"} "
                                + "\\d+\\.\\d+");
            }
        }
    }

    private static List<JsonNode> drills(Path history) throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(history).stream().map(line -> {
            try {
                return json.readTree(line);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(n -> "drill".equals(n.path("type").asText())).toList();
    }
}
