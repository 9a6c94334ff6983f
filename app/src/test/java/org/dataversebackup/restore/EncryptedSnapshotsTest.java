package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotEncryption;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotSigning;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.testsupport.InProcessS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * snapshot.encryption-key: backups through the routes write no readable business data (folder and
 * S3), verify and restore decrypt with the key, and a missing or wrong key, or a file swapped
 * inside the snapshot, is one clear message.
 */
class EncryptedSnapshotsTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(12, 2, 4);
    static final List<String> TABLES = RestoreEmulator.DATA_TABLES;

    @TempDir
    static Path dir;
    static Path key;
    static DataverseEmulator source;
    static CamelApplication sourceApp;
    static Path snapshot;

    DataverseEmulator target;
    CamelApplication targetApp;

    @BeforeAll
    static void backUpTheSourceEncrypted() throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        key = Files.writeString(dir.resolve("snapshot.key"), Base64.getEncoder().encodeToString(secret) + "\n");
        source = RestoreEmulator.generated(SPEC);
        sourceApp = RestoreEmulator.app(source, dir.resolve("source"), Map.of("backup.chunk-records", "5",
                "snapshot.encryption-key", key.toString()));
        snapshot = Path.of(RestoreEmulator.backup(sourceApp, String.join(",", TABLES)));
    }

    @AfterAll
    static void stopTheSource() {
        sourceApp.close();
        source.close();
    }

    @AfterEach
    void stopTheTarget() {
        if (targetApp != null) {
            targetApp.close();
        }
        if (target != null) {
            target.close();
        }
    }

    private void emptyTarget(Map<String, String> settings) {
        target = RestoreEmulator.emptied(SPEC);
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("restore.allowed-snapshot-roots", "file:" + dir + ",s3://backups");
        targetApp = RestoreEmulator.app(target, dir.resolve("target-" + UUID.randomUUID()), all);
    }

    /** Names and e-mail addresses of the source's rows: what must never be readable in the target. */
    private static List<String> businessValues() {
        List<String> values = new ArrayList<>();
        for (UUID id : source.state().ids("account")) {
            values.add(source.state().row("account", id).orElseThrow().path("name").asText());
        }
        for (UUID id : source.state().ids("contact")) {
            values.add(source.state().row("contact", id).orElseThrow().path("emailaddress1").asText());
        }
        values.removeIf(String::isBlank);
        assertThat(values).as("the data set has names to look for").hasSizeGreaterThan(10);
        return values;
    }

    private static SnapshotVerifier verifier(Path snapshot, Optional<Path> encryptionKey) {
        return new SnapshotVerifier(SnapshotStore.of(SnapshotTarget.parse(snapshot.toString()), () -> null),
                new SnapshotKeys(SnapshotSigning.none(), SnapshotEncryption.of(encryptionKey.map(Path::toString))));
    }

    private static Path otherKey() throws Exception {
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        return Files.write(dir.resolve("other-" + UUID.randomUUID() + ".key"), other);
    }

    @Test
    void theSnapshotHoldsNoReadableDataAndItsManifestNamesSchemeAndKeyIdNeverTheKey() throws Exception {
        JsonNode manifest = SnapshotJson.MAPPER.readTree(snapshot.resolve("manifest.json").toFile());
        SnapshotEncryption encryption = SnapshotEncryption.of(Optional.of(key.toString()));
        assertThat(manifest.path("formatVersion").asInt()).isEqualTo(2);
        assertThat(manifest.path("encryption").path("scheme").asText()).isEqualTo("AES256_GCM_HKDF_1MB");
        assertThat(manifest.path("encryption").path("keyId").asText()).isEqualTo(encryption.manifestEntry().keyId());
        assertThat(Files.readString(snapshot.resolve("manifest.json"))).doesNotContain(Files.readString(key).trim());

        List<String> values = businessValues();
        List<Path> files;
        try (var walk = Files.walk(snapshot)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("manifest.json")).toList();
        }
        assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(f.toString()).endsWith(".enc"));
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(values).as(file + " holds no readable value").noneMatch(content::contains);
            assertThat(content).as(file + " is no readable schema").doesNotContain("LogicalName");
            assertThatThrownBy(() -> new java.util.zip.GZIPInputStream(Files.newInputStream(file)).readAllBytes())
                    .as(file + " is not gzip in the clear");
        }
    }

    @Test
    void verifyDecryptsWithTheKeyChecksSizesWithoutItAndRefusesAnotherKeyInOneLine() throws Exception {
        SnapshotVerifier.Report withKey = verifier(snapshot, Optional.of(key)).verify();
        assertThat(withKey.problems()).isEmpty();
        assertThat(withKey.unlisted()).isEmpty();
        assertThat(withKey.contentsUnchecked()).isEmpty();
        assertThat(withKey.partsChecked()).as("several parts per table").isGreaterThan(TABLES.size());

        SnapshotVerifier.Report withoutKey = verifier(snapshot, Optional.empty()).verify();
        assertThat(withoutKey.ok()).as("sizes and SHA-256 match").isTrue();
        assertThat(withoutKey.contentsUnchecked()).get().asString().contains("is encrypted (key id");

        Path other = otherKey();
        assertThatThrownBy(() -> verifier(snapshot, Optional.of(other)).verify()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is encrypted with key id").hasMessageContaining(other.toString())
                .hasMessageNotContaining("\n");
    }

    @Test
    void aPartSwappedForAnotherWithAManifestToMatchDoesNotDecrypt() throws Exception {
        Path copy = dir.resolve("swapped-" + UUID.randomUUID());
        try (var files = Files.walk(snapshot)) {
            for (Path file : files.toList()) {
                Path to = copy.resolve(snapshot.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        Path first = copy.resolve("data/account/part-00001.ndjson.gz.enc");
        Path second = copy.resolve("data/account/part-00002.ndjson.gz.enc");
        Files.copy(first, second, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // whoever swapped it also fixed the (unsigned) manifest: size and SHA-256 now match
        ObjectNode manifest = (ObjectNode) SnapshotJson.MAPPER.readTree(copy.resolve("manifest.json").toFile());
        for (JsonNode table : manifest.path("tables")) {
            ArrayNode parts = (ArrayNode) table.path("parts");
            if (table.path("logicalName").asText().equals("account")) {
                ObjectNode swapped = (ObjectNode) parts.get(1);
                swapped.put("bytes", Files.size(second));
                swapped.put("sha256", org.dataversebackup.snapshot.Sha256.hex(Files.readAllBytes(second)));
                swapped.put("records", parts.get(0).path("records").asLong());
            }
        }
        SnapshotJson.MAPPER.writeValue(copy.resolve("manifest.json").toFile(), manifest);

        SnapshotVerifier.Report report = verifier(copy, Optional.of(key)).verify();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("data/account/part-00002.ndjson.gz.enc");
            assertThat(p.problem()).contains("cannot be decrypted");
        });
    }

    @Test
    void aRestoreWithTheKeyBringsEveryRowBackAndWithoutItStopsBeforeWritingSayingWhichKey() throws Exception {
        emptyTarget(Map.of());
        Exchange refused = RestoreEmulator.restore(targetApp, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString()));
        assertThat(refused.getException()).isNotNull();
        assertThat(rootMessage(refused.getException())).contains("is encrypted (key id").contains("snapshot.encryption-key");
        assertThat(target.state().count("account")).isZero();
        stopTheTarget();

        emptyTarget(Map.of("snapshot.encryption-key", key.toString()));
        JsonNode report = RestoreEmulator.report(targetApp, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString()));
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(target.state().count("account")).isEqualTo(source.state().count("account"));
        assertThat(target.state().count("contact")).isEqualTo(source.state().count("contact"));
        Path again = Path.of(RestoreEmulator.backup(targetApp, String.join(",", TABLES)));
        assertThat(SnapshotComparison.differences(snapshot, again, TABLES, dir.resolve("compare-" + UUID.randomUUID()),
                new SnapshotKeys(SnapshotSigning.none(), SnapshotEncryption.of(Optional.of(key.toString()))))).isEmpty();
    }

    @Test
    void anEncryptedBackupToS3LeavesNothingReadableInTheBucketAndRestoresFromIt() throws Exception {
        try (InProcessS3 s3 = InProcessS3.start("backups");
                software.amazon.awssdk.services.s3.S3Client client = s3.client()) {
            Map<String, String> settings = new HashMap<>(s3.settings());
            settings.put("backup.target", "s3://backups/dataverse");
            settings.put("backup.chunk-records", "5");
            settings.put("snapshot.encryption-key", key.toString());
            String location;
            try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("s3-source-" + UUID.randomUUID()), settings)) {
                location = RestoreEmulator.backup(app, String.join(",", TABLES));
            }
            assertThat(location).startsWith("s3://backups/dataverse/");
            List<String> values = businessValues();
            List<S3Object> objects = client.listObjectsV2(ListObjectsV2Request.builder().bucket("backups").build()).contents();
            assertThat(objects).hasSizeGreaterThan(TABLES.size() * 2);
            for (S3Object object : objects) {
                ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(GetObjectRequest.builder().bucket("backups")
                        .key(object.key()).build());
                String content = new String(bytes.asByteArray(), StandardCharsets.ISO_8859_1);
                assertThat(values).as(object.key() + " holds no readable value").noneMatch(content::contains);
            }

            Map<String, String> targetSettings = new HashMap<>(s3.settings());
            targetSettings.put("snapshot.encryption-key", key.toString());
            emptyTarget(targetSettings);
            JsonNode report = RestoreEmulator.report(targetApp, Map.of(RestoreHeaders.SNAPSHOT, location));
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(target.state().count("account")).isEqualTo(source.state().count("account"));
        }
    }

    /**
     * docs/decrypt-snapshot.py, the documented way to read a snapshot without this tool, decrypts
     * every file (where python3 with the cryptography package is installed; skipped elsewhere).
     */
    @Test
    void theDocumentedScriptDecryptsTheSnapshotWithoutThisTool() throws Exception {
        Path script = Path.of("docs", "decrypt-snapshot.py").toAbsolutePath(); // tests run in the project root
        assertThat(script).exists();
        org.junit.jupiter.api.Assumptions.assumeTrue(python("-c", "import cryptography") == 0,
                "python3 with the cryptography package is not installed");
        Path plain = dir.resolve("plain-" + UUID.randomUUID());
        assertThat(python(script.toString(), key.toString(), snapshot.toString(), plain.toString())).isZero();

        JsonNode manifest = SnapshotJson.MAPPER.readTree(snapshot.resolve("manifest.json").toFile());
        for (JsonNode table : manifest.path("tables")) {
            String schema = table.path("schema").asText();
            assertThat(SnapshotJson.MAPPER.readTree(plain.resolve(schema.replaceAll("\\.enc$", "")).toFile())
                    .path("LogicalName").asText()).isEqualTo(table.path("logicalName").asText());
            for (JsonNode part : table.path("parts")) {
                Path file = plain.resolve(part.path("path").asText().replaceAll("\\.enc$", ""));
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                        new java.util.zip.GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8)).lines()) {
                    assertThat(lines.count()).as(file.toString()).isEqualTo(part.path("records").asLong());
                }
            }
        }
    }

    private static int python(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("python-" + UUID.randomUUID() + ".log").toFile()).start();
            return process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (java.io.IOException noPython) {
            return -1;
        }
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" | ");
        }
        return messages.toString();
    }
}
