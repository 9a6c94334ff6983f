package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.snapshot.PartFile;
import org.dataversebackup.snapshot.PartWriter;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

class SnapshotReaderTest {
    @TempDir
    Path dir;

    /** A snapshot folder with one table of {@code records} rows in parts of 3. */
    private Path snapshot(int records) throws Exception {
        Path snapshot = dir.resolve("contoso/20260101T020000Z-full");
        PartWriter writer = new PartWriter(dir.resolve("work"));
        List<SnapshotManifest.Part> parts = new ArrayList<>();
        for (int part = 1; part <= (records + 2) / 3; part++) {
            List<byte[]> rows = new ArrayList<>();
            for (int i = (part - 1) * 3; i < Math.min(records, part * 3); i++) {
                rows.add(("{\"accountid\":\"" + i + "\",\"name\":\"Account " + i + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            PartFile file = writer.write(rows.iterator(), "account", part);
            Path target = snapshot.resolve(file.relativePath());
            Files.createDirectories(target.getParent());
            Files.move(file.localFile(), target);
            parts.add(file.toManifestPart());
        }
        Files.createDirectories(snapshot.resolve("schema"));
        String schema = "{\"LogicalName\":\"account\"}";
        Files.writeString(snapshot.resolve("schema/account.json"), schema);
        SnapshotManifest manifest = new SnapshotManifest(1, new SnapshotManifest.Tool("dataverse-backup", "test"),
                "20260101T020000Z-full", "full", new SnapshotManifest.Source("https://contoso.crm.dynamics.com", "org", "contoso"),
                "2026-01-01T02:00:00Z", "2026-01-01T02:01:00Z",
                List.of(new SnapshotManifest.Table("account", "accounts", "accountid", records, "schema/account.json",
                        org.dataversebackup.snapshot.Sha256.hex(schema.getBytes(StandardCharsets.UTF_8)), parts)));
        Files.write(snapshot.resolve("manifest.json"), SnapshotJson.MAPPER.writeValueAsBytes(manifest));
        return snapshot;
    }

    @Test
    void verifiedLocalCopiesStreamEveryRecordInOrder() throws Exception {
        Path snapshot = snapshot(7);
        SnapshotReader reader = SnapshotReader.open(snapshot.toString(), () -> null);
        SnapshotManifest.Table table = reader.manifest().tables().get(0);
        List<SnapshotReader.LocalPart> local = reader.verifiedParts(table, dir.resolve("restore-work"));
        assertThat(local).hasSize(3).allMatch(p -> p.file().startsWith(dir.resolve("restore-work")));
        List<String> names = new ArrayList<>();
        Iterator<ObjectNode> records = reader.records(local);
        records.forEachRemaining(r -> names.add(r.get("name").asText()));
        assertThat(names).hasSize(7).startsWith("Account 0").endsWith("Account 6");
        assertThat(reader.schema(table).get("LogicalName").asText()).isEqualTo("account");
    }

    @Test
    void aCorruptPartIsRefusedBeforeAnythingIsRead() throws Exception {
        Path snapshot = snapshot(7);
        Path second = snapshot.resolve("data/account/part-00002.ndjson.gz");
        byte[] bytes = Files.readAllBytes(second);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(second, bytes);
        SnapshotReader reader = SnapshotReader.open(snapshot.toString(), () -> null);
        assertThatThrownBy(() -> reader.verifiedParts(reader.manifest().tables().get(0), dir.resolve("restore-work")))
                .isInstanceOf(SnapshotIntegrityException.class)
                .hasMessageContaining("part-00002.ndjson.gz").hasMessageContaining("SHA-256").hasMessageContaining("corrupt");
    }

    @Test
    void aSchemaWithoutSha256OrOfAnotherTableOrNotJsonIsReportedAndRefused() throws Exception {
        Path snapshot = snapshot(4);
        Path manifestFile = snapshot.resolve("manifest.json");
        String manifest = Files.readString(manifestFile);
        Files.writeString(manifestFile, manifest.replaceAll("\"schemaSha256\"\\s*:\\s*\"[0-9a-f]+\",?", ""));
        assertThat(new org.dataversebackup.snapshot.SnapshotVerifier(org.dataversebackup.snapshot.SnapshotStore.of(
                org.dataversebackup.snapshot.SnapshotTarget.parse(snapshot.toString()), () -> null)).verify().problems())
                .singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("schema/account.json");
                    assertThat(p.problem()).contains("no SHA-256");
                });
        for (String content : List.of("{\"LogicalName\":\"contact\"}", "[1,2]", "{not json", "{}")) {
            Files.writeString(snapshot.resolve("schema/account.json"), content);
            Files.writeString(manifestFile, manifest.replaceAll("(\"schemaSha256\"\\s*:\\s*\")[0-9a-f]+",
                    "$1" + org.dataversebackup.snapshot.Sha256.hex(content.getBytes(StandardCharsets.UTF_8))));
            SnapshotReader reader = SnapshotReader.open(snapshot.toString(), () -> null);
            assertThatThrownBy(() -> reader.schema(reader.manifest().tables().get(0))).as(content)
                    .isInstanceOf(SnapshotIntegrityException.class).hasMessageContaining("schema/account.json")
                    .hasMessageMatching("(?s).*(schema of table 'contact'|not a JSON object|not valid JSON|no LogicalName).*");
        }
    }

    @Test
    void aManifestNamingAFileOutsideTheSnapshotIsRefused() throws Exception {
        Path snapshot = snapshot(4);
        Path manifestFile = snapshot.resolve("manifest.json");
        String manifest = Files.readString(manifestFile);
        for (String outside : List.of("../../../etc/passwd", "/etc/passwd", "data/../../x.ndjson.gz", "data//x", "C:/x")) {
            Files.writeString(manifestFile, manifest.replace("data/account/part-00001.ndjson.gz", outside));
            assertThatThrownBy(() -> SnapshotReader.open(snapshot.toString(), () -> null))
                    .as(outside).hasMessageContaining("names a file outside the snapshot").hasMessageContaining(outside);
        }
    }

    @Test
    void filesTheManifestDoesNotListAreReportedByVerify() throws Exception {
        Path snapshot = snapshot(4);
        Files.writeString(snapshot.resolve("data/account/part-00009.ndjson.gz"), "added later");
        Files.writeString(snapshot.resolve("notes.txt"), "x");
        var report = new org.dataversebackup.snapshot.SnapshotVerifier(org.dataversebackup.snapshot.SnapshotStore.of(
                org.dataversebackup.snapshot.SnapshotTarget.parse(snapshot.toString()), () -> null)).verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.unlisted()).containsExactly("data/account/part-00009.ndjson.gz", "notes.txt");
    }

    @Test
    void aTruncatedOrMissingPartIsRefused() throws Exception {
        Path snapshot = snapshot(7);
        Path third = snapshot.resolve("data/account/part-00003.ndjson.gz");
        byte[] bytes = Files.readAllBytes(third);
        Files.write(third, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        SnapshotReader reader = SnapshotReader.open(snapshot.toString(), () -> null);
        assertThatThrownBy(() -> reader.verifiedParts(reader.manifest().tables().get(0), dir.resolve("restore-work")))
                .hasMessageContaining("part-00003.ndjson.gz").hasMessageContaining("truncated");
        Files.delete(third);
        assertThatThrownBy(() -> reader.verifiedParts(reader.manifest().tables().get(0), dir.resolve("restore-work")))
                .hasMessageContaining("part-00003.ndjson.gz is missing");
    }

    @Test
    void aFolderWithoutManifestIsNotASnapshot() throws Exception {
        Files.createDirectories(dir.resolve("half"));
        assertThatThrownBy(() -> SnapshotReader.open(dir.resolve("half").toString(), () -> null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("not a complete snapshot");
        assertThatThrownBy(() -> SnapshotReader.open(dir.resolve("nowhere").toString(), () -> null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("does not exist");
    }
}
