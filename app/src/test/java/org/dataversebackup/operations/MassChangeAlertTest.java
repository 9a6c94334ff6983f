package org.dataversebackup.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.ConsumerTemplate;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A 30% delete between two backups raises the alert event; a small one does not. */
class MassChangeAlertTest {
    @TempDir
    Path folder;

    @Test
    void aThirtyPercentDeleteOfATableRaisesAnAlertEventNamingTheTableAndThePreviousSnapshot() throws Exception {
        try (EmulatorEnvironment environment = EmulatorEnvironment.start(
                DataSetSpec.builder().accounts(20).contactsPerAccount(1).projects(0).build());
                CamelApplication app = environment.startApplication(Map.of("service.triggers", "false",
                        "backup.target", "file:" + folder.resolve("backups"), "backup.work-dir", folder.resolve("work").toString(),
                        "backup.tables", "account,contact", "alerts.max-delete-percent", "25",
                        "events.uri", "seda:alerts"))) {
            ConsumerTemplate events = app.context().createConsumerTemplate();
            assertThat(app.template().request("dataverse:backup", e -> { }).getException()).isNull();
            String first = app.template().request("dataverse:backup", e -> { }).getMessage()
                    .getHeader(org.dataversebackup.backup.BackupHeaders.SNAPSHOT_ID, String.class);
            assertThat(events.receiveBody("seda:alerts", 500)).as("no change, no alert").isNull();

            List<UUID> accounts = environment.emulator().state().ids("account");
            for (UUID id : accounts.subList(0, 6)) {     // 30% of 20 accounts
                environment.emulator().state().deleteRow("account", id);
            }
            List<UUID> contacts = environment.emulator().state().ids("contact");
            environment.emulator().state().deleteRow("contact", contacts.get(0)); // 5%: under the threshold
            String second = app.template().request("dataverse:backup", e -> { }).getMessage()
                    .getHeader(org.dataversebackup.backup.BackupHeaders.SNAPSHOT_ID, String.class);

            JsonNode alert = new ObjectMapper().readTree(events.receiveBody("seda:alerts", 5000, String.class));
            assertThat(alert.path("type").asText()).isEqualTo("alert");
            assertThat(alert.path("alert").asText()).isEqualTo("mass-delete");
            assertThat(alert.path("table").asText()).isEqualTo("account");
            assertThat(alert.path("records").asLong()).isEqualTo(14);
            assertThat(alert.path("previousRecords").asLong()).isEqualTo(20);
            assertThat(alert.path("deletedPercent").asDouble()).isEqualTo(30.0);
            assertThat(alert.path("snapshotId").asText()).isEqualTo(second);
            assertThat(alert.path("previousSnapshotId").asText()).isEqualTo(first);
            assertThat(events.receiveBody("seda:alerts", 500)).as("only the account table").isNull();
        }
    }

    @Test
    void anIncrementalIsJudgedByItsTombstonesNotByItsFewChangedRows() throws Exception {
        try (EmulatorEnvironment environment = EmulatorEnvironment.start(
                DataSetSpec.builder().accounts(20).contactsPerAccount(1).projects(0).build());
                CamelApplication app = environment.startApplication(Map.of("service.triggers", "false",
                        "backup.target", "file:" + folder.resolve("backups"), "backup.work-dir", folder.resolve("work").toString(),
                        "backup.tables", "account,contact", "alerts.max-delete-percent", "25",
                        "events.uri", "seda:alerts"))) {
            ConsumerTemplate events = app.context().createConsumerTemplate();
            String full = app.template().request("dataverse:backup", e -> { }).getMessage()
                    .getHeader(org.dataversebackup.backup.BackupHeaders.SNAPSHOT_ID, String.class);
            assertThat(app.template().request("dataverse:backup", e -> e.getIn().setHeader(
                    org.dataversebackup.backup.BackupHeaders.KIND, "incremental")).getException()).isNull();
            assertThat(events.receiveBody("seda:alerts", 500)).as("an incremental without changes holds no rows: no alert")
                    .isNull();

            for (UUID id : environment.emulator().state().ids("account").subList(0, 6)) {
                environment.emulator().state().deleteRow("account", id);
            }
            assertThat(app.template().request("dataverse:backup", e -> e.getIn().setHeader(
                    org.dataversebackup.backup.BackupHeaders.KIND, "incremental")).getException()).isNull();
            JsonNode alert = new ObjectMapper().readTree(events.receiveBody("seda:alerts", 5000, String.class));
            assertThat(alert.path("table").asText()).isEqualTo("account");
            assertThat(alert.path("records").asLong()).isEqualTo(14);
            assertThat(alert.path("previousRecords").asLong()).isEqualTo(20);
            assertThat(alert.path("previousSnapshotId").asText()).as("the last whole count of the table").isEqualTo(full);
        }
    }

    @Test
    void anIncrementalWhoseChangedRowsExceedMaxChangePercentRaisesAMassChangeAlert() throws Exception {
        try (EmulatorEnvironment environment = EmulatorEnvironment.start(
                DataSetSpec.builder().accounts(20).contactsPerAccount(1).projects(0).build());
                CamelApplication app = environment.startApplication(Map.of("service.triggers", "false",
                        "backup.target", "file:" + folder.resolve("backups"), "backup.work-dir", folder.resolve("work").toString(),
                        "backup.tables", "account,contact", "alerts.max-change-percent", "30",
                        "events.uri", "seda:alerts"))) {
            ConsumerTemplate events = app.context().createConsumerTemplate();
            String full = app.template().request("dataverse:backup", e -> { }).getMessage()
                    .getHeader(org.dataversebackup.backup.BackupHeaders.SNAPSHOT_ID, String.class);
            var state = environment.emulator().state();
            for (UUID id : state.ids("account").subList(0, 8)) { // 40% of 20 accounts
                var row = state.row("account", id).orElseThrow();
                row.put("name", row.path("name").asText() + " (renamed)");
                state.putRow("account", row);
            }
            var contact = state.row("contact", state.ids("contact").get(0)).orElseThrow(); // 5%: under the threshold
            contact.put("lastname", "Changed");
            state.putRow("contact", contact);
            String incremental = app.template().request("dataverse:backup", e -> e.getIn().setHeader(
                    org.dataversebackup.backup.BackupHeaders.KIND, "incremental")).getMessage()
                    .getHeader(org.dataversebackup.backup.BackupHeaders.SNAPSHOT_ID, String.class);

            JsonNode alert = new ObjectMapper().readTree(events.receiveBody("seda:alerts", 5000, String.class));
            assertThat(alert.path("alert").asText()).isEqualTo("mass-change");
            assertThat(alert.path("table").asText()).isEqualTo("account");
            assertThat(alert.path("changedRecords").asLong()).isEqualTo(8);
            assertThat(alert.path("previousRecords").asLong()).isEqualTo(20);
            assertThat(alert.path("changedPercent").asDouble()).isEqualTo(40.0);
            assertThat(alert.path("snapshotId").asText()).isEqualTo(incremental);
            assertThat(alert.path("previousSnapshotId").asText()).isEqualTo(full);
            assertThat(events.receiveBody("seda:alerts", 500)).as("only the account table").isNull();
        }
    }

    @Test
    void aTablesOwnThresholdOverridesTheGeneralOne() throws Exception {
        try (EmulatorEnvironment environment = EmulatorEnvironment.start(
                DataSetSpec.builder().accounts(20).contactsPerAccount(1).projects(0).build());
                CamelApplication app = environment.startApplication(Map.of("service.triggers", "false",
                        "backup.target", "file:" + folder.resolve("backups"), "backup.work-dir", folder.resolve("work").toString(),
                        "backup.tables", "account,contact", "alerts.max-delete-percent", "25",
                        "alerts.tables.account.max-delete-percent", "50", "events.uri", "seda:alerts"))) {
            ConsumerTemplate events = app.context().createConsumerTemplate();
            assertThat(app.template().request("dataverse:backup", e -> { }).getException()).isNull();
            var state = environment.emulator().state();
            for (UUID id : state.ids("account").subList(0, 6)) { // 30%: under the account's own 50%
                state.deleteRow("account", id);
            }
            List<UUID> contacts = state.ids("contact");
            for (UUID id : contacts.subList(0, contacts.size() * 3 / 10 + 1)) { // over 30%: over the general 25%
                state.deleteRow("contact", id);
            }
            assertThat(app.template().request("dataverse:backup", e -> { }).getException()).isNull();

            JsonNode alert = new ObjectMapper().readTree(events.receiveBody("seda:alerts", 5000, String.class));
            assertThat(alert.path("table").asText()).isEqualTo("contact");
            assertThat(alert.path("maxDeletePercent").asDouble()).isEqualTo(25.0);
            assertThat(events.receiveBody("seda:alerts", 500)).as("the account table is under its own threshold").isNull();
        }
    }

    @Test
    void anAlertedSnapshotAndTheOneBeforeItAreKeptOutOfPruningUntilAcknowledged() throws Exception {
        Path backups = folder.resolve("backups");
        String before;
        String alerted;
        String latest;
        try (EmulatorEnvironment environment = EmulatorEnvironment.start(
                DataSetSpec.builder().accounts(20).contactsPerAccount(1).projects(0).build());
                CamelApplication app = environment.startApplication(Map.of("service.triggers", "false",
                        "backup.target", "file:" + backups, "backup.work-dir", folder.resolve("work").toString(),
                        "backup.tables", "account", "alerts.max-delete-percent", "25"))) {
            before = snapshotId(app);
            for (UUID id : environment.emulator().state().ids("account").subList(0, 6)) {
                environment.emulator().state().deleteRow("account", id);
            }
            Thread.sleep(1_100); // snapshot ids and start times are to the second
            alerted = snapshotId(app);
            Thread.sleep(1_100);
            latest = snapshotId(app);
        }
        org.dataversebackup.snapshot.SnapshotStore store = org.dataversebackup.snapshot.SnapshotStore.of(
                org.dataversebackup.snapshot.SnapshotTarget.parse("file:" + backups), () -> null);
        var policy = new org.dataversebackup.snapshot.RetentionPolicy(1, 0, 0, 0, 0);
        var outcome = new org.dataversebackup.snapshot.SnapshotPruner(store).prune(policy, java.time.Duration.ofDays(1), false,
                java.time.Instant.now());
        assertThat(outcome.removed()).as("the alerted snapshot and the one before it stay").isZero();
        Path environmentFolder = java.nio.file.Files.list(backups).filter(java.nio.file.Files::isDirectory).findFirst().orElseThrow();
        assertThat(environmentFolder.resolve(before).resolve("manifest.json")).exists();
        assertThat(environmentFolder.resolve(alerted).resolve("alert.ndjson")).content().contains("mass-delete");
        var verify = new org.dataversebackup.snapshot.SnapshotVerifier(org.dataversebackup.snapshot.SnapshotStore.of(
                org.dataversebackup.snapshot.SnapshotTarget.parse(environmentFolder.resolve(alerted).toString()), () -> null)).verify();
        assertThat(verify.unlisted()).as("the alert file is no stray file for verify").isEmpty();

        for (String id : List.of(before, alerted)) {
            assertThat(org.dataversebackup.cli.DataverseBackupCommand.execute("alerts", "ack", environmentFolder.resolve(id).toString()))
                    .isEqualTo(org.dataversebackup.cli.ExitCodes.SUCCESS);
        }
        outcome = new org.dataversebackup.snapshot.SnapshotPruner(store).prune(policy, java.time.Duration.ofDays(1), false,
                java.time.Instant.now());
        assertThat(outcome.removed()).isEqualTo(2);
        assertThat(environmentFolder.resolve(before)).doesNotExist();
        assertThat(environmentFolder.resolve(alerted)).doesNotExist();
        assertThat(environmentFolder.resolve(latest).resolve("manifest.json")).exists();
        assertThat(org.dataversebackup.cli.DataverseBackupCommand.execute("alerts", "ack", environmentFolder.resolve(latest).toString()))
                .as("no alert on it: nothing to acknowledge").isEqualTo(org.dataversebackup.cli.ExitCodes.USAGE);
    }

    private static String snapshotId(CamelApplication app) {
        var result = app.template().request("dataverse:backup", e -> { });
        assertThat(result.getException()).isNull();
        return result.getMessage().getHeader(org.dataversebackup.backup.BackupHeaders.SNAPSHOT_ID, String.class);
    }
}
