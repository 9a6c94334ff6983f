package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.e2e.PackagedJar;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.testsupport.SnapshotFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The packaged jar's create-mode restore killed with kill -9 midway, then the same command again:
 * it resumes from the journal the first attempt left in {@code restore.work-dir}.
 */
class RestoreKillIT {
    private static final DataSetSpec SPEC = DataSetSpec.sized(30, 2, 12);
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    @Test
    void aRestoreKilledMidwayIsResumedByTheSameCommand() throws Exception {
        try (DataverseEmulator source = RestoreEmulator.generated(SPEC); DataverseEmulator target = RestoreEmulator.emptied(SPEC)) {
            Path snapshot;
            try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
                snapshot = SnapshotFixture.backup(app, dir.resolve("snapshots"), String.join(",", RestoreEmulator.DATA_TABLES), 100);
            }
            Path work = dir.resolve("restore-work");
            List<String> jvm = options(target, work);
            String[] restore = {"restore", "--snapshot", snapshot.toString(), "--mode", "create"};
            int accounts = source.state().count("account");

            // chunks of 5 rows, one at a time, slowly: killed while the accounts are being created
            target.faults().requestLatency(Duration.ofMillis(100));
            Process first = PackagedJar.start(dir, jvm, Map.of(), dir.resolve("first.out"), dir.resolve("first.err"), restore);
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> target.state().count("account") >= 10 || !first.isAlive());
            assertThat(first.isAlive()).as(Files.readString(dir.resolve("first.err"))).isTrue();
            first.destroyForcibly().waitFor(); // SIGKILL: nothing of the restore runs any more
            Thread.sleep(1000); // a write the emulator was still handling (its latency) is applied, or not, by now
            target.faults().clear();
            int createdByTheFirstAttempt = target.state().count("account");
            assertThat(createdByTheFirstAttempt).isLessThan(accounts);
            assertThat(work).isDirectory();

            // meanwhile someone else creates three accounts of the snapshot (the last ones: not sent yet)
            List<String> order = snapshotOrder(snapshot, "accountid");
            List<UUID> byOthers = new ArrayList<>();
            for (String id : order.subList(order.size() - 3, order.size())) {
                UUID uuid = UUID.fromString(id);
                assertThat(target.state().row("account", uuid)).isEmpty();
                ObjectNode row = source.state().row("account", uuid).orElseThrow();
                row.put("name", "Created by someone else");
                target.state().putRow("account", row);
                byOthers.add(uuid);
            }
            PackagedJar.Result second = PackagedJar.run(dir, TIMEOUT, jvm, Map.of(), restore);
            assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
            assertThat(second.stdout()).contains("Resumed restore");
            JsonNode report = SnapshotJson.MAPPER.readTree(Files.readString(Path.of(second.lastStdoutLine())));
            JsonNode account = table(report, "account");
            assertThat(account.path("createdBefore").asInt()).as(account.toString()).isEqualTo(createdByTheFirstAttempt);
            assertThat(account.path("created").asInt()).as("every row the first attempt created counts as created")
                    .isEqualTo(accounts - 3);
            assertThat(account.path("exists").asInt()).as("rows someone else created").isEqualTo(3);
            assertThat(report.path("resumed").path("rowsCreatedBefore").asInt()).isEqualTo(createdByTheFirstAttempt);

            // deferred lookups, state and N:N links: all there
            for (UUID id : source.state().ids("account")) {
                ObjectNode expected = source.state().row("account", id).orElseThrow();
                ObjectNode restored = target.state().row("account", id).orElseThrow();
                for (String column : List.of("_parentaccountid_value", "_primarycontactid_value", "statecode")) {
                    assertThat(restored.path(column).asText()).as(column + " of account " + id).isEqualTo(expected.path(column).asText());
                }
            }
            for (UUID id : source.state().ids("contact")) {
                assertThat(target.state().row("contact", id).orElseThrow().path("_parentcustomerid_value").asText())
                        .isEqualTo(source.state().row("contact", id).orElseThrow().path("_parentcustomerid_value").asText());
            }
            assertThat(target.state().count("dvb_project_contact")).isEqualTo(source.state().count("dvb_project_contact"));
            for (UUID id : byOthers) {
                assertThat(target.state().row("account", id).orElseThrow().path("name").asText()).isEqualTo("Created by someone else");
            }
            try (var left = Files.list(work)) {
                assertThat(left.toList()).as("a clean finish leaves nothing in restore.work-dir").isEmpty();
            }
        }
    }

    private static List<String> options(DataverseEmulator target, Path work) {
        List<String> options = new ArrayList<>();
        Map.ofEntries(
                Map.entry("dataverse.url", target.environmentUrl()),
                Map.entry("auth.mode", "client-secret"),
                Map.entry("auth.tenant-id", EmulatorIdentities.TENANT_ID),
                Map.entry("auth.authority", target.authority()),
                Map.entry("auth.client-id", EmulatorIdentities.APP_CLIENT_ID),
                Map.entry("auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET),
                Map.entry("auth.token-cache", work.resolveSibling("token-cache.json").toString()),
                Map.entry("restore.work-dir", work.toString()),
                Map.entry("restore.report-dir", work.resolveSibling("reports").toString()),
                Map.entry("restore.batch-size", "5"),
                Map.entry("restore.parallelism", "1"),
                Map.entry("javax.net.ssl.trustStore", System.getProperty("javax.net.ssl.trustStore")),
                Map.entry("javax.net.ssl.trustStorePassword", System.getProperty("javax.net.ssl.trustStorePassword")),
                Map.entry("javax.net.ssl.trustStoreType", System.getProperty("javax.net.ssl.trustStoreType")))
                .forEach((key, value) -> options.add("-D" + key + "=" + value));
        return options;
    }

    /** The primary keys of a table in the order the snapshot holds (and restore reads) them. */
    private static List<String> snapshotOrder(Path snapshot, String primaryKey) {
        SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(snapshot.toString()), () -> null);
        var table = SnapshotFiles.manifest(store).tables().stream().filter(t -> t.logicalName().equals("account"))
                .findFirst().orElseThrow();
        return SnapshotFiles.records(store, table).stream().map(r -> r.path(primaryKey).asText()).toList();
    }

    private static JsonNode table(JsonNode report, String name) {
        return RestoreEmulator.table(report, name);
    }
}
