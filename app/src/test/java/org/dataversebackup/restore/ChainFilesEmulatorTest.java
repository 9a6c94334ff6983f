package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.emulator.DataverseEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Files of file columns in a point-in-time restore of an incremental snapshot: a file stored only
 * in the full snapshot (its row unchanged since) comes back from the full snapshot, a file replaced
 * since comes back in its new version from the incremental, and a file deleted since does not come
 * back, although the full snapshot still holds it.
 */
class ChainFilesEmulatorTest {
    @TempDir
    Path dir;

    private static Path backup(CamelApplication app, String kind) {
        return Path.of(RestoreEmulator.backup(app, "account,contact", kind));
    }

    @Test
    void eachFileComesFromTheSnapshotOfItsRowAndADeletedOneStaysDeleted() throws Exception {
        Path incremental;
        UUID unchanged;
        UUID replaced;
        UUID deleted;
        try (DataverseEmulator source = RestoreEmulator.generated(FileColumnsBackupTest.SPEC);
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            List<UUID> accounts = source.state().ids("account");
            unchanged = accounts.get(0);
            replaced = accounts.get(1);
            deleted = accounts.get(2);
            source.state().putFile("account", unchanged, "dvb_contract", "kept.txt", "text/plain", FileColumnsBackupTest.bytes(2000, 1));
            source.state().putFile("account", replaced, "dvb_contract", "v1.txt", "text/plain", FileColumnsBackupTest.bytes(3000, 2));
            source.state().putFile("account", deleted, "dvb_contract", "gone.txt", "text/plain", FileColumnsBackupTest.bytes(4000, 3));
            backup(app, "full");
            Thread.sleep(1_100); // snapshot ids are to the second

            source.state().putFile("account", replaced, "dvb_contract", "v2.txt", "text/plain", FileColumnsBackupTest.bytes(3500, 4));
            DataverseClient client = app.context().getRegistry().lookupByNameAndType("dataverse-backup.default.dataverseClient",
                    DataverseClient.class);
            client.send("DELETE", "accounts(" + deleted + ")/dvb_contract", Map.of(), null, true);
            assertThat(source.state().file("account", deleted, "dvb_contract")).isEmpty();
            incremental = backup(app, "incremental");
        }
        assertThat(incremental.getFileName().toString()).endsWith("-incr");

        try (DataverseEmulator target = RestoreEmulator.emptied(FileColumnsBackupTest.SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("target"), Map.of())) {
            Map<String, Object> headers = new HashMap<>();
            headers.put(RestoreHeaders.SNAPSHOT, incremental.toString());
            headers.put(RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true);
            JsonNode report = RestoreEmulator.report(app, headers);
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(target.state().file("account", unchanged, "dvb_contract")).hasValue(FileColumnsBackupTest.bytes(2000, 1));
            assertThat(target.state().fileName("account", unchanged, "dvb_contract")).hasValue("kept.txt");
            assertThat(target.state().file("account", replaced, "dvb_contract")).hasValue(FileColumnsBackupTest.bytes(3500, 4));
            assertThat(target.state().fileName("account", replaced, "dvb_contract")).hasValue("v2.txt");
            assertThat(target.state().file("account", deleted, "dvb_contract")).as("deleted after the full snapshot").isEmpty();
        }
    }
}
