package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.UserStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rows are written once when they can be: accounts whose parent account comes before or after them
 * in the snapshot are written in waves (parents first), each with its parent in the same request;
 * only a pair of accounts that are each other's parent waits for the second pass. Contacts point
 * to accounts restored before them and are written once too. Counted by the emulator (requests of
 * the connection account) with one request per write (no $batch, no bulk messages).
 */
class RestoreWavesEmulatorTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(30, 1, 0);
    static final List<String> TABLES = List.of("account", "contact");

    @TempDir
    Path dir;

    @Test
    void parentsBeforeAndAfterTheirChildrenAreWrittenWithTheRowAndOnlyACycleWaits() throws Exception {
        try (DataverseEmulator source = RestoreEmulator.generated(SPEC)) {
            List<UUID> accounts = source.state().ids("account"); // primary key order: the snapshot's order
            for (UUID account : accounts) {
                setLookup(source, "account", account, "parentaccountid", null, null);
                setLookup(source, "account", account, "primarycontactid", null, null);
            }
            int[][] parents = {{1, 0}, {2, 1}, {3, 10}, {10, 20}, {5, 29}, {7, 8}, {8, 7}};
            for (int[] childAndParent : parents) {
                setLookup(source, "account", accounts.get(childAndParent[0]), "parentaccountid", "account",
                        accounts.get(childAndParent[1]));
            }
            List<UUID> contacts = source.state().ids("contact");
            for (int i = 0; i < contacts.size(); i++) {
                setLookup(source, "contact", contacts.get(i), "parentcustomerid", "account", accounts.get(i % accounts.size()));
            }
            Path snapshot;
            try (CamelApplication sourceApp = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
                snapshot = Path.of(RestoreEmulator.backup(sourceApp, String.join(",", TABLES)));
            }
            int rows = accounts.size() + contacts.size();
            // an inactive row is created active and gets its state in the second pass (statecode is not valid on create)
            long inactiveAccounts = inactive(source, "account", accounts);
            long inactiveContacts = inactive(source, "contact", contacts);

            try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                    CamelApplication targetApp = RestoreEmulator.app(target, dir.resolve("target"),
                            Map.of("restore.use-batch", "false", "restore.use-bulk", "false", "restore.batch-size", "4"))) {
                long before = appRequests(target);
                JsonNode report = RestoreEmulator.report(targetApp, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString()));
                long sent = appRequests(target) - before;

                assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
                JsonNode account = RestoreEmulator.table(report, "account");
                JsonNode contact = RestoreEmulator.table(report, "contact");
                assertThat(account.path("created").asInt()).isEqualTo(accounts.size());
                assertThat(contact.path("created").asInt()).isEqualTo(contacts.size());
                assertThat(account.path("secondPass").asLong()).as("the two accounts that are each other's parent, inactive accounts")
                        .isEqualTo(2 + inactiveAccounts);
                assertThat(account.path("deferredLookups").asInt()).isEqualTo(2);
                assertThat(contact.path("secondPass").asLong()).isEqualTo(inactiveContacts);
                assertThat(contact.path("deferredLookups").asInt()).isZero();
                // one write per row, and one more for each row of the cycle and each inactive row (before: one more
                // per account with a parent too)
                long writes = rows + 2 + inactiveAccounts + inactiveContacts;
                assertThat(report.path("requests").path("writes").asLong()).as(report.path("requests").toString())
                        .isEqualTo(writes);
                // the emulator saw them: the writes, the reads the report counts, and the planning's few requests
                long reads = report.path("requests").path("reads").asLong();
                assertThat(sent).as("requests of the connection account").isBetween(writes + reads, writes + reads + 30); // planning: metadata, file columns

                Path again = Path.of(RestoreEmulator.backup(targetApp, String.join(",", TABLES)));
                assertThat(SnapshotComparison.differences(snapshot, again, TABLES, dir.resolve("compare"))).isEmpty();
                assertThat(target.state().row("account", accounts.get(3)).orElseThrow().path("_parentaccountid_value").asText())
                        .isEqualTo(accounts.get(10).toString());
            }
        }
    }

    private static long inactive(DataverseEmulator emulator, String table, List<UUID> ids) {
        return ids.stream().filter(id -> emulator.state().row(table, id).orElseThrow().path("statecode").asInt() != 0).count();
    }

    private static long appRequests(DataverseEmulator emulator) {
        UserStatistics statistics = emulator.userStatistics().get(UUID.fromString(EmulatorIdentities.APP_USER_ID));
        return statistics == null ? 0 : statistics.requests();
    }

    private static void setLookup(DataverseEmulator emulator, String table, UUID id, String column, String targetTable, UUID target) {
        ObjectNode row = emulator.state().row(table, id).orElseThrow();
        String property = "_" + column + "_value";
        if (target == null) {
            row.putNull(property);
            row.remove(property + "@Microsoft.Dynamics.CRM.lookuplogicalname");
        } else {
            row.put(property, target.toString());
            row.put(property + "@Microsoft.Dynamics.CRM.lookuplogicalname", targetTable);
        }
        emulator.state().putRow(table, row);
    }
}
