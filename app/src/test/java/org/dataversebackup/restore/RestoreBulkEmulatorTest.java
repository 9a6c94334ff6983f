package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.UserStatistics;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rows to create go in one CreateMultiple (or UpsertMultiple) request per chunk: 1,000 accounts
 * (no parents, so one wave) into an empty target. The emulator fails a whole bulk request on one
 * bad row and writes nothing of it, as Dataverse does for standard tables; the restore splits the
 * request in halves until the bad row is alone, reports it, and writes the 999 others. A bulk
 * request whose answer is lost and that is sent again never creates a row twice.
 */
class RestoreBulkEmulatorTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(1000, 0, 0);

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static Path snapshot;
    static List<UUID> accounts;

    @BeforeAll
    static void backUpAccountsWithoutParents() {
        source = RestoreEmulator.generated(SPEC);
        accounts = source.state().ids("account");
        for (UUID id : accounts) {
            ObjectNode row = source.state().row("account", id).orElseThrow();
            if (!row.path("_parentaccountid_value").isNull()) {
                row.putNull("_parentaccountid_value");
                source.state().putRow("account", row);
            }
        }
        try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            snapshot = Path.of(RestoreEmulator.backup(app, "account"));
        }
    }

    @AfterAll
    static void stopTheSource() {
        source.close();
    }

    @Test
    void aBulkCreateRefusedForOneBadRowAmongAThousandIsSplitUntilThatRowIsAloneAndTheOthersAreWritten() throws Exception {
        Path broken = SnapshotFixture.copy(snapshot, dir.resolve("broken"));
        String bad = accounts.get(613).toString();
        SnapshotFixture.tamper(broken, "account", r -> r.path("accountid").asText().equals(bad),
                r -> r.put("_transactioncurrencyid_value", "99999999-8888-4777-8666-555555555555"));

        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("target-bad"), Map.of("restore.batch-size", "1000"))) {
            long before = appRequests(target);
            JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, broken.toString(),
                    RestoreHeaders.TABLES, "account"));
            long sent = appRequests(target) - before;

            JsonNode account = RestoreEmulator.table(report, "account");
            assertThat(report.path("ok").asBoolean()).isFalse();
            assertThat(account.path("created").asInt()).as(account.toString()).isEqualTo(999);
            assertThat(account.path("failed").asInt()).isEqualTo(1);
            assertThat(target.state().count("account")).isEqualTo(999);
            assertThat(target.state().row("account", UUID.fromString(bad))).isEmpty();

            List<String> failures = Files.readAllLines(Path.of(report.path("failuresFile").asText()));
            assertThat(failures).hasSize(1);
            JsonNode failure = SnapshotJson.MAPPER.readTree(failures.get(0));
            assertThat(failure.path("id").asText()).isEqualTo(bad);
            assertThat(failure.path("outcome").asText()).isEqualTo("failed");
            assertThat(failure.path("pass").asText()).isEqualTo("first");
            assertThat(failure.path("status").asInt()).isBetween(400, 499);

            // one request for the thousand, then two per halving (the half that passes, the half that
            // does not) down to the row alone, sent as its own POST: 1 + 2 x 10 at most; and one $batch
            // of the second pass (inactive accounts get their state there)
            long writes = report.path("requests").path("writes").asLong();
            long secondPass = account.path("secondPass").asLong() > 0 ? 1 : 0;
            assertThat(writes - secondPass).as(report.path("requests").toString()).isBetween(11L, 21L);
            // into an empty table no live row is read: one request tells it is empty
            long reads = report.path("requests").path("reads").asLong();
            assertThat(reads).isLessThan(5);
            assertThat(sent).as("requests of the connection account").isBetween(writes + reads, writes + reads + 20);
        }
    }

    @Test
    void aThousandRowsAreOneRequestAndEqualTheSource() throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("target-ok"), Map.of("restore.batch-size", "1000"))) {
            JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString(),
                    RestoreHeaders.TABLES, "account"));
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            // inactive accounts get their state in the second pass ($batch): one more request
            long inactive = accounts.stream().filter(id -> source.state().row("account", id).orElseThrow()
                    .path("statecode").asInt() != 0).count();
            assertThat(report.path("requests").path("writes").asLong()).isEqualTo(inactive == 0 ? 1 : 2);
            Path again = Path.of(RestoreEmulator.backup(app, "account"));
            assertThat(SnapshotComparison.differences(snapshot, again, List.of("account"), dir.resolve("compare-ok"))).isEmpty();
        }
    }

    /** UpsertMultiple (upsert without keeping createdon): its answer lost, sent again, it writes the same rows again. */
    @Test
    void aLostAnswerToAnUpsertMultipleIsSentAgainWithoutDuplicates() throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("target-upsert"),
                        Map.of("restore.batch-size", "250", "restore.preserve-created-on", "false", "restore.parallelism", "1"))) {
            target.faults().dropNextWrites(1);
            JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString(),
                    RestoreHeaders.TABLES, "account"));
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(RestoreEmulator.table(report, "account").path("created").asInt()).isEqualTo(accounts.size());
            assertThat(target.state().count("account")).isEqualTo(accounts.size());
            assertThat(target.faults().injectedCount()).isEqualTo(1);
        }
    }

    /**
     * CreateMultiple with the primary keys, its answer lost: sent again, Dataverse refuses it as a
     * duplicate; split down to single creates, each answered "duplicate", read back and found
     * holding what was sent: created (verified), and no row twice.
     */
    @Test
    void aLostAnswerToACreateMultipleIsReadBackAndCountedCreatedWithoutDuplicates() throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("target-create"),
                        Map.of("restore.batch-size", "40", "restore.parallelism", "1"))) {
            target.faults().dropNextWrites(1);
            JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString(),
                    RestoreHeaders.TABLES, "account", RestoreHeaders.MODE, "create"));
            JsonNode account = RestoreEmulator.table(report, "account");
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(account.path("created").asInt()).isEqualTo(accounts.size());
            assertThat(account.path("createdVerified").asInt()).as(account.toString()).isEqualTo(40);
            assertThat(account.path("exists").asInt()).isZero();
            assertThat(target.state().count("account")).isEqualTo(accounts.size());
        }
    }

    private static long appRequests(DataverseEmulator emulator) {
        UserStatistics statistics = emulator.userStatistics().get(UUID.fromString(EmulatorIdentities.APP_USER_ID));
        return statistics == null ? 0 : statistics.requests();
    }
}
