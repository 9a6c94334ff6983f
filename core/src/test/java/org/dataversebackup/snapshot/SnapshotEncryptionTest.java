package org.dataversebackup.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotEncryptionTest {
    @TempDir
    Path dir;

    private Path rawKey() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Files.write(dir.resolve("raw-" + System.nanoTime() + ".key"), key);
    }

    private static SnapshotManifest manifest(SnapshotManifest.Encryption encryption) {
        return new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, null, "20261205T120000Z-ab12-full", "full", null,
                null, null, List.of()).encrypted(encryption);
    }

    @Test
    void aKeyIsThirtyTwoBytesOrTheirBase64AndAnythingElseIsRefusedWithHowToMakeOne() throws Exception {
        Path raw = rawKey();
        Path base64 = Files.writeString(dir.resolve("b64.key"), Base64.getEncoder().encodeToString(Files.readAllBytes(raw)) + "\n");
        SnapshotEncryption fromRaw = SnapshotEncryption.of(Optional.of(raw.toString()));
        SnapshotEncryption fromBase64 = SnapshotEncryption.of(Optional.of(base64.toString()));
        assertThat(fromRaw.manifestEntry()).as("the same key, the same id").isEqualTo(fromBase64.manifestEntry());
        assertThat(fromRaw.manifestEntry().scheme()).isEqualTo("AES256_GCM_HKDF_1MB");
        assertThat(fromRaw.manifestEntry().keyId()).hasSize(16).doesNotContain(Base64.getEncoder()
                .encodeToString(Files.readAllBytes(raw)).substring(0, 8));

        Path shortKey = Files.write(dir.resolve("short.key"), new byte[16]);
        assertThatThrownBy(() -> SnapshotEncryption.of(Optional.of(shortKey.toString())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(shortKey.toString())
                .hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> SnapshotEncryption.of(Optional.of(dir.resolve("missing.key").toString())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> SnapshotEncryption.of(Optional.of("env:DVB_TEST_NO_SUCH_VARIABLE_SET")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("DVB_TEST_NO_SUCH_VARIABLE_SET is not set");
        assertThat(SnapshotEncryption.of(Optional.of(" ")).encrypts()).isFalse();
    }

    @Test
    void aFileOfSeveralSegmentsRoundTripsAndIsBoundToItsSnapshotAndPath() throws Exception {
        SnapshotEncryption encryption = SnapshotEncryption.of(Optional.of(rawKey().toString()));
        SnapshotManifest manifest = manifest(encryption.manifestEntry());
        byte[] plain = new byte[3 * (1 << 20) + 12345]; // four 1 MB segments
        new java.util.Random(7).nextBytes(plain);
        String path = encryption.storedPath("data/account/part-00001.ndjson.gz");
        assertThat(path).endsWith(".ndjson.gz.enc");
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = encryption.encrypting(stored, manifest.snapshotId(), path)) {
            out.write(plain);
        }
        assertThat(stored.size()).isGreaterThan(plain.length);
        try (InputStream in = encryption.decrypting(new ByteArrayInputStream(stored.toByteArray()), manifest, path)) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
        // the same bytes under another name (a part moved or swapped) do not decrypt
        assertThatThrownBy(() -> {
            try (InputStream in = encryption.decrypting(new ByteArrayInputStream(stored.toByteArray()), manifest,
                    encryption.storedPath("data/account/part-00002.ndjson.gz"))) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
        // a truncated file (its last segment cut off) does not decrypt
        byte[] truncated = java.util.Arrays.copyOf(stored.toByteArray(), 2 * (1 << 20));
        assertThatThrownBy(() -> {
            try (InputStream in = encryption.decrypting(new ByteArrayInputStream(truncated), manifest, path)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void aSnapshotSaysWhichKeyItNeeds() throws Exception {
        SnapshotEncryption key = SnapshotEncryption.of(Optional.of(rawKey().toString()));
        SnapshotEncryption other = SnapshotEncryption.of(Optional.of(rawKey().toString()));
        SnapshotManifest encrypted = manifest(key.manifestEntry());
        assertThat(encrypted.formatVersion()).isEqualTo(SnapshotManifest.VERSION_2);
        assertThat(key.problem(encrypted)).isEmpty();
        assertThat(other.problem(encrypted)).get().asString().contains("key id " + key.manifestEntry().keyId())
                .contains("configure the key the snapshot was made with");
        assertThat(SnapshotEncryption.none().problem(encrypted)).get().asString().contains("set snapshot.encryption-key");
        assertThat(other.problem(manifest(null))).as("a snapshot in the clear needs no key").isEmpty();
        byte[] schema = "{\"LogicalName\":\"account\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(SnapshotEncryption.none().encrypt(schema, "id", "schema/account.json")).isSameAs(schema);
        assertThat(new String(key.encrypt(schema, "id", "schema/account.json.enc"), StandardCharsets.ISO_8859_1))
                .doesNotContain("LogicalName");
    }
}
