package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * File and image columns round trip against the emulator: a file column holding a file of more
 * than one 4 MB block and a 1 KB file, image columns with full-sized images and with thumbnails
 * only; backed up, restored into an empty environment (through Web API uploads, in blocks above
 * 4 MB), backed up again: every byte of every file equal. A second restore uploads only the file
 * that differs in the target (the others have the same size and hash), a tampered file in the
 * snapshot is refused by restore, naming it, and the same holds through S3 with encryption.
 */
class FileColumnsRoundTripTest {
    static final DataSetSpec SPEC = FileColumnsBackupTest.SPEC;

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static CamelApplication sourceApp;
    static Path snapshot;
    static UUID bigAccount;
    static UUID smallAccount;

    @BeforeAll
    static void backUp() {
        source = RestoreEmulator.generated(SPEC);
        List<UUID> seeded = FileColumnsBackupTest.seedFiles(source);
        bigAccount = seeded.get(0);
        smallAccount = seeded.get(1);
        sourceApp = RestoreEmulator.app(source, dir.resolve("source"), Map.of());
        snapshot = Path.of(RestoreEmulator.backup(sourceApp, "account,contact"));
    }

    @AfterAll
    static void stop() {
        sourceApp.close();
        source.close();
    }

    static JsonNode restore(CamelApplication app, Path from) throws Exception {
        Map<String, Object> headers = new HashMap<>();
        headers.put(RestoreHeaders.SNAPSHOT, from.toString());
        headers.put(RestoreHeaders.TABLES, "account,contact");
        headers.put(RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true);
        return RestoreEmulator.report(app, headers);
    }

    /** The content SHA-256 of every stored file, by table/id/column. */
    static Map<String, String> contents(Path snapshot) throws Exception {
        Map<String, String> contents = new HashMap<>();
        for (SnapshotManifest.FileEntry f : FileColumnsBackupTest.manifest(snapshot).fileEntries()) {
            contents.put(f.table() + "/" + f.id() + "/" + f.column() + " " + f.fileName() + " " + f.image(),
                    f.contentSha256() + " " + f.size());
        }
        return contents;
    }

    @Test
    void filesComeBackByteForByteAndASecondRestoreUploadsOnlyWhatDiffers() throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication targetApp = RestoreEmulator.app(target, dir.resolve("target"), Map.of())) {
            assertThat(target.state().file("account", bigAccount, "dvb_contract")).isEmpty();
            JsonNode report = restore(targetApp, snapshot);
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            JsonNode accountFiles = RestoreEmulator.table(report, "account").path("files");
            assertThat(accountFiles.path("uploaded").asLong()).isEqualTo(5); // 2 generated contracts, big, small, logo
            assertThat(RestoreEmulator.table(report, "contact").path("files").path("uploaded").asLong()).isEqualTo(3);

            for (String table : List.of("account", "contact")) {
                for (UUID id : source.state().ids(table)) {
                    for (String column : table.equals("account") ? List.of("dvb_contract") : List.of("entityimage")) {
                        assertThat(target.state().file(table, id, column).orElse(null)).as(table + " " + id + " " + column)
                                .isEqualTo(source.state().file(table, id, column).orElse(null));
                        assertThat(target.state().fileName(table, id, column)).isEqualTo(source.state().fileName(table, id, column));
                    }
                }
            }
            // a column that keeps thumbnails only gets the thumbnail back: what Dataverse itself keeps
            assertThat(target.state().file("account", smallAccount, "dvb_logo").orElseThrow())
                    .isEqualTo(source.state().file("account", smallAccount, "dvb_logo").orElseThrow());

            Path again = Path.of(RestoreEmulator.backup(targetApp, "account,contact"));
            assertThat(contents(again)).isEqualTo(contents(snapshot)).hasSize(8);
            for (SnapshotManifest.FileEntry f : FileColumnsBackupTest.manifest(again).fileEntries()) {
                assertThat(Files.readAllBytes(again.resolve(f.path()))).isEqualTo(Files.readAllBytes(snapshot.resolve(f.path())));
            }

            // run again: only the file changed in the target since (a larger one now) is uploaded
            target.state().putFile("account", smallAccount, "dvb_contract", "changed.txt", "text/plain",
                    FileColumnsBackupTest.bytes(3000, 9));
            JsonNode second = restore(targetApp, snapshot);
            assertThat(second.path("ok").asBoolean()).isTrue();
            assertThat(RestoreEmulator.table(second, "account").path("files").path("uploaded").asLong()).isEqualTo(1);
            assertThat(RestoreEmulator.table(second, "account").path("files").path("unchanged").asLong()).isEqualTo(4);
            assertThat(RestoreEmulator.table(second, "contact").path("files").path("unchanged").asLong()).isEqualTo(3);
            assertThat(target.state().file("account", smallAccount, "dvb_contract").orElseThrow())
                    .isEqualTo(source.state().file("account", smallAccount, "dvb_contract").orElseThrow());
            assertThat(target.state().fileName("account", smallAccount, "dvb_contract")).contains("small.txt");
        }
    }

    @Test
    void aTamperedFileInTheSnapshotIsRefusedNamingIt() throws Exception {
        Path copy = SnapshotFixture.copy(snapshot, dir.resolve("tampered"));
        String path = "files/account/" + smallAccount + "/dvb_contract";
        byte[] data = Files.readAllBytes(copy.resolve(path));
        data[10] ^= 1;
        Files.write(copy.resolve(path), data);
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication targetApp = RestoreEmulator.app(target, dir.resolve("tampered-target"), Map.of())) {
            org.apache.camel.Exchange exchange = RestoreEmulator.restore(targetApp, Map.of(RestoreHeaders.SNAPSHOT, copy.toString(),
                    RestoreHeaders.TABLES, "account,contact", RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true));
            JsonNode report = org.dataversebackup.snapshot.SnapshotJson.MAPPER.readTree(exchange.getMessage().getBody(String.class));
            assertThat(report.path("ok").asBoolean()).isFalse();
            assertThat(RestoreEmulator.table(report, "account").path("files").path("failed").asLong()).isEqualTo(1);
            String failures = Files.readString(Path.of(exchange.getMessage().getHeader(RestoreHeaders.FAILURES_FILE, String.class)));
            assertThat(failures).contains(smallAccount.toString()).contains(path).contains("SHA-256");
            assertThat(target.state().file("account", smallAccount, "dvb_contract")).isEmpty();
            // the other files are restored
            assertThat(target.state().file("account", bigAccount, "dvb_contract")).isPresent();
        }
    }

    @Test
    void throughS3EncryptedTheFilesComeBackTheSame() throws Exception {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        Path key = Files.writeString(dir.resolve("snapshot.key"), java.util.Base64.getEncoder().encodeToString(secret) + "\n");
        try (org.dataversebackup.testsupport.InProcessS3 s3 = org.dataversebackup.testsupport.InProcessS3.start("files")) {
            Map<String, String> settings = new HashMap<>(s3.settings());
            settings.put("backup.target", "s3://files/dataverse");
            settings.put("snapshot.encryption-key", key.toString());
            String location;
            try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("s3-source"), settings)) {
                location = RestoreEmulator.backup(app, "account,contact");
            }
            // the stored files are encrypted: none holds the content in the clear
            byte[] big = source.state().file("account", bigAccount, "dvb_contract").orElseThrow();
            byte[] stored = s3.client().getObjectAsBytes(software.amazon.awssdk.services.s3.model.GetObjectRequest.builder()
                    .bucket("files").key(location.substring("s3://files/".length()) + "/files/account/" + bigAccount
                            + "/dvb_contract.enc").build()).asByteArray();
            assertThat(stored).hasSizeGreaterThan(big.length);
            assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain(new String(big, 1000, 64, java.nio.charset.StandardCharsets.ISO_8859_1));

            Map<String, String> targetSettings = new HashMap<>(s3.settings());
            targetSettings.put("snapshot.encryption-key", key.toString());
            try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                    CamelApplication targetApp = RestoreEmulator.app(target, dir.resolve("s3-target"), targetSettings)) {
                Map<String, Object> headers = new HashMap<>();
                headers.put(RestoreHeaders.SNAPSHOT, location);
                headers.put(RestoreHeaders.TABLES, "account,contact");
                headers.put(RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true);
                JsonNode report = RestoreEmulator.report(targetApp, headers);
                assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
                assertThat(target.state().file("account", bigAccount, "dvb_contract").orElseThrow()).isEqualTo(big);
                assertThat(target.state().file("account", smallAccount, "dvb_contract").orElseThrow())
                        .isEqualTo(source.state().file("account", smallAccount, "dvb_contract").orElseThrow());
                assertThat(RestoreEmulator.table(report, "contact").path("files").path("uploaded").asLong()).isEqualTo(3);
            }
        }
    }
}
