package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Notes round trip against the emulator: accounts and contacts with notes, some with an
 * attachment (one of about 2 MB), some without. The bodies are stored as files of their own
 * ({@code files/annotation/<id>/documentbody}, not in the records), restored into an empty
 * environment with the notes, backed up again: every byte equal; a second restore writes no body
 * again; a tampered body is refused by verify and by restore, naming it.
 */
class NotesRoundTripTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(12, 2, 0);
    static final String TABLES = "account,contact,annotation";

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static CamelApplication sourceApp;
    static Path snapshot;
    static UUID bigNote;
    static byte[] big;

    @BeforeAll
    static void backUp() {
        source = RestoreEmulator.generated(SPEC);
        big = FileColumnsBackupTest.bytes(2 * 1024 * 1024 + 17, 12);
        bigNote = UUID.randomUUID();
        UUID account = source.state().ids("account").get(1);
        ObjectNode note = org.dataversebackup.snapshot.SnapshotJson.MAPPER.createObjectNode();
        note.put("annotationid", bigNote.toString()).put("subject", "Signed contract").put("isdocument", true)
                .put("filename", "contract.pdf").put("mimetype", "application/pdf").put("filesize", big.length)
                .put("documentbody", Base64.getEncoder().encodeToString(big))
                .put("_objectid_value", account.toString()).put("_objectid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "account")
                .put("objecttypecode", "account")
                .put("_ownerid_value", org.dataversebackup.emulator.EmulatorIdentities.ADMIN_USER_ID)
                .put("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "systemuser");
        source.state().putRow("annotation", note);
        sourceApp = RestoreEmulator.app(source, dir.resolve("source"), Map.of());
        snapshot = Path.of(RestoreEmulator.backup(sourceApp, TABLES));
    }

    @AfterAll
    static void stop() {
        sourceApp.close();
        source.close();
    }

    static JsonNode restore(CamelApplication app, Path from) throws Exception {
        Map<String, Object> headers = new HashMap<>();
        headers.put(RestoreHeaders.SNAPSHOT, from.toString());
        headers.put(RestoreHeaders.TABLES, TABLES);
        headers.put(RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true);
        return RestoreEmulator.report(app, headers);
    }

    /** The notes' bodies in the snapshot: content SHA-256, size, file name and MIME type by id. */
    static Map<String, String> bodies(Path snapshot) throws Exception {
        Map<String, String> bodies = new HashMap<>();
        for (SnapshotManifest.FileEntry f : FileColumnsBackupTest.manifest(snapshot).fileEntries()) {
            if (f.table().equals("annotation")) {
                assertThat(f.column()).isEqualTo("documentbody");
                bodies.put(f.id(), f.contentSha256() + " " + f.size() + " " + f.fileName() + " " + f.mimeType());
            }
        }
        return bodies;
    }

    static long dataBytes(Path snapshot) throws Exception {
        try (var files = Files.walk(snapshot.resolve("data"))) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().contains("annotation")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void bodiesAreFilesOfTheirOwnAndComeBackByteForByte() throws Exception {
        List<UUID> withBody = source.state().ids("annotation").stream()
                .filter(id -> !source.state().row("annotation", id).orElseThrow().path("documentbody").isNull()).toList();
        assertThat(withBody).hasSizeGreaterThan(2).contains(bigNote);
        assertThat(source.state().ids("annotation")).hasSizeGreaterThan(withBody.size()); // and notes without a body

        SnapshotManifest.FileEntry bigEntry = FileColumnsBackupTest.entry(FileColumnsBackupTest.manifest(snapshot), "annotation",
                bigNote, "documentbody");
        assertThat(bigEntry.path()).isEqualTo("files/annotation/" + bigNote + "/documentbody");
        assertThat(bigEntry.size()).isEqualTo(big.length);
        assertThat(bigEntry.fileName()).isEqualTo("contract.pdf");
        assertThat(bigEntry.mimeType()).isEqualTo("application/pdf");
        assertThat(Files.readAllBytes(snapshot.resolve(bigEntry.path()))).isEqualTo(big);
        assertThat(bodies(snapshot)).hasSize(withBody.size());
        // the records keep a marker, not the 2.8 MB of base64 (random bytes do not compress)
        assertThat(dataBytes(snapshot)).isPositive().isLessThan(200_000);
        assertThat(FileColumnsBackupTest.verify(snapshot).problems()).isEmpty();

        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication targetApp = RestoreEmulator.app(target, dir.resolve("target"), Map.of())) {
            assertThat(target.state().ids("annotation")).isEmpty();
            JsonNode report = restore(targetApp, snapshot);
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(RestoreEmulator.table(report, "annotation").path("files").path("uploaded").asLong())
                    .isEqualTo(withBody.size());

            assertThat(target.state().ids("annotation")).containsExactlyInAnyOrderElementsOf(source.state().ids("annotation"));
            for (UUID id : source.state().ids("annotation")) {
                JsonNode was = source.state().row("annotation", id).orElseThrow();
                JsonNode is = target.state().row("annotation", id).orElseThrow();
                for (String column : List.of("subject", "notetext", "documentbody", "filesize", "filename", "mimetype",
                        "isdocument", "_objectid_value", "objecttypecode")) {
                    assertThat(is.path(column)).as(id + " " + column).isEqualTo(was.path(column));
                }
            }

            Path again = Path.of(RestoreEmulator.backup(targetApp, TABLES));
            assertThat(bodies(again)).isEqualTo(bodies(snapshot));
            for (SnapshotManifest.FileEntry f : FileColumnsBackupTest.manifest(again).fileEntries()) {
                if (f.table().equals("annotation")) {
                    assertThat(Files.readAllBytes(again.resolve(f.path()))).isEqualTo(Files.readAllBytes(snapshot.resolve(f.path())));
                }
            }

            // run again: every body is there with the same size and hash, none is written again
            long before = target.state().row("annotation", bigNote).orElseThrow().path("versionnumber").asLong();
            JsonNode second = restore(targetApp, snapshot);
            assertThat(second.path("ok").asBoolean()).as(second.toString()).isTrue();
            assertThat(RestoreEmulator.table(second, "annotation").path("files").path("uploaded").asLong()).isZero();
            assertThat(RestoreEmulator.table(second, "annotation").path("files").path("unchanged").asLong())
                    .isEqualTo(withBody.size());
            assertThat(target.state().row("annotation", bigNote).orElseThrow().path("versionnumber").asLong()).isEqualTo(before);
        }
    }

    @Test
    void aTamperedBodyIsRefusedByVerifyAndByRestoreNamingIt() throws Exception {
        Path copy = SnapshotFixture.copy(snapshot, dir.resolve("tampered"));
        String path = "files/annotation/" + bigNote + "/documentbody";
        byte[] data = Files.readAllBytes(copy.resolve(path));
        data[1_000_000] ^= 1;
        Files.write(copy.resolve(path), data);
        SnapshotVerifier.Report verified = FileColumnsBackupTest.verify(copy);
        assertThat(verified.problems()).extracting(SnapshotVerifier.Problem::path).containsExactly(path);

        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication targetApp = RestoreEmulator.app(target, dir.resolve("tampered-target"), Map.of())) {
            org.apache.camel.Exchange exchange = RestoreEmulator.restore(targetApp, Map.of(RestoreHeaders.SNAPSHOT, copy.toString(),
                    RestoreHeaders.TABLES, TABLES, RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true));
            JsonNode report = org.dataversebackup.snapshot.SnapshotJson.MAPPER.readTree(exchange.getMessage().getBody(String.class));
            assertThat(report.path("ok").asBoolean()).isFalse();
            assertThat(RestoreEmulator.table(report, "annotation").path("files").path("failed").asLong()).isEqualTo(1);
            String failures = Files.readString(Path.of(exchange.getMessage().getHeader(RestoreHeaders.FAILURES_FILE, String.class)));
            assertThat(failures).contains(bigNote.toString()).contains(path).contains("SHA-256");
            // the note itself is restored, without the damaged body
            assertThat(target.state().row("annotation", bigNote).orElseThrow().path("documentbody").isNull()).isTrue();
        }
    }
}
