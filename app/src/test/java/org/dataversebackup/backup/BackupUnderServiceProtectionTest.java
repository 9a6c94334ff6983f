package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.dataversebackup.testsupport.SnapshotFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 16, scaled down: a backup reading four tables at once (and each table's next page ahead)
 * against an emulator that allows 6 requests per 2 s, where every request sent before Retry-After
 * has passed extends the wait. Threads that each obeyed their own Retry-After kept the wait going
 * and ran out of attempts (the backup failed); the shared limiter pauses them all, and the backup
 * completes.
 */
class BackupUnderServiceProtectionTest {
    private static EmulatorEnvironment environment;

    @TempDir
    Path target;

    @BeforeAll
    static void startEmulator() {
        environment = EmulatorEnvironment.start(DataSetSpec.builder().accounts(30).contactsPerAccount(2).projects(10).build());
    }

    @AfterAll
    static void stopEmulator() {
        environment.close();
    }

    @Test
    void fourTablesReadAtOnceUnderATightRequestLimitCompleteWithEveryRecord() throws Exception {
        // small pages: about 45 requests in all, more than seven windows' worth
        Map<String, String> settings = Map.of("backup.target", "file:" + target.resolve("snapshots"),
                "backup.work-dir", target.resolve("work").toString(), "backup.page-size", "5",
                "backup.chunk-records", "20", "backup.parallelism", "4");
        try (CamelApplication app = environment.startApplication(settings)) {
            environment.emulator().serviceProtection(6, Duration.ofSeconds(2), 52);
            Exchange result;
            try {
                result = app.template().request("dataverse:backup",
                        e -> e.getIn().setHeader(BackupHeaders.TABLES, "account,contact,dvb_project,dvb_project_contact"));
            } finally {
                environment.emulator().serviceProtection(6000, Duration.ofSeconds(300), 52);
            }
            assertThat(result.getException()).isNull();
            // the summary names the limit that held the backup back
            assertThat(result.getMessage().getBody(String.class)).contains("\"limitedBy\" : \"limited by ")
                    .contains("'s number of requests (");

            SnapshotStore snapshot = SnapshotStore.of(SnapshotTarget.parse(
                    result.getMessage().getHeader(BackupHeaders.LOCATION, String.class)), () -> null);
            SnapshotManifest manifest = SnapshotFiles.manifest(snapshot);
            assertThat(manifest.tables()).extracting(SnapshotManifest.Table::logicalName)
                    .containsExactlyInAnyOrder("account", "contact", "dvb_project", "dvb_project_contact");
            for (SnapshotManifest.Table table : manifest.tables()) {
                List<JsonNode> records = SnapshotFiles.records(snapshot, table);
                int expected = environment.emulator().state().count(table.logicalName());
                assertThat(expected).as(table.logicalName()).isPositive();
                assertThat(table.records()).as(table.logicalName()).isEqualTo(expected);
                assertThat(records.stream().map(r -> r.path(table.primaryIdAttribute()).asText()).distinct())
                        .as(table.logicalName()).hasSize(expected);
            }
            assertThat(new SnapshotVerifier(snapshot).verify().problems()).isEmpty();
        }
    }
}
