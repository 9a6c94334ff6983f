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
class MassDeleteAlertTest {
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
}
