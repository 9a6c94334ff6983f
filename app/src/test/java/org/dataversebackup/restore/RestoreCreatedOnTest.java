package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Record history through a round trip: backup, restore into an empty emulator, backup again. The
 * restore sends the saved createdon as overriddencreatedon, so createdon comes back as it was;
 * modifiedon cannot be set, and the report says so once.
 */
class RestoreCreatedOnTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(6, 1, 2);
    static final List<String> TABLES = List.of("account", "contact", "dvb_project");

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static Path snapshot;

    @BeforeAll
    static void backUp() {
        source = RestoreEmulator.generated(SPEC);
        try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            snapshot = Path.of(RestoreEmulator.backup(app, String.join(",", TABLES)));
        }
    }

    @AfterAll
    static void stop() {
        source.close();
    }

    @Test
    void createdOnIsTheSourcesAfterARestoreIntoAnEmptyEnvironment() throws Exception {
        List<String> differences = restoredAndBackedUpAgain(Map.of());
        assertThat(differences).isEmpty();
    }

    @Test
    void theReportSaysOnceThatModifiedOnCannotBeSet() throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("note-" + UUID.randomUUID()), settings(Map.of()))) {
            JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString()));
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.path("notes").toString().split("modifiedon", -1)).hasSize(2);
        }
    }

    @Test
    void withPreserveCreatedOnOffRestoredRowsAreCreatedNow() throws Exception {
        List<String> differences = restoredAndBackedUpAgain(Map.of("restore.preserve-created-on", "false"));
        assertThat(differences).isNotEmpty().allSatisfy(d -> assertThat(d).contains(" createdon: "));
    }

    private List<String> restoredAndBackedUpAgain(Map<String, String> extra) throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("target-" + UUID.randomUUID()), settings(extra))) {
            JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString()));
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            Path again = Path.of(RestoreEmulator.backup(app, String.join(",", TABLES)));
            return SnapshotComparison.differences(snapshot, again, TABLES, dir.resolve("compare-" + UUID.randomUUID()));
        }
    }

    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("restore.allowed-snapshot-roots", "file:" + dir);
        return settings;
    }
}
