package org.dataversebackup.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.dataversebackup.config.ConfigurationException;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;

/**
 * Client-side encryption of a snapshot's schemas and data parts ({@code snapshot.encryption-key}),
 * so that a bucket or a stolen disk holds no readable business data. The scheme is Tink's streaming
 * AEAD {@value #SCHEME} (AES-256-GCM in 1 MB segments, each segment's key derived with HKDF-SHA256
 * from the configured key and a random salt per file): files are encrypted and decrypted as they
 * stream, in flat memory, and any change to a segment, its order or a truncation is detected.
 *
 * <p>Each file's associated data is {@code <snapshot id>/<path in the snapshot>}, so a file cannot
 * be swapped for another of the same or another snapshot. Encrypted files carry the suffix
 * {@value #SUFFIX}; the manifest stays readable and names the scheme and a key id (a hash of the
 * key, never the key), so a wrong key is found before anything is decrypted.
 *
 * <p>The key: a file of 32 random bytes, or of their base64 ({@code openssl rand -base64 32});
 * or {@code env:NAME} for the base64 in environment variable NAME.
 */
public final class SnapshotEncryption {
    public static final String SCHEME = "AES256_GCM_HKDF_1MB";
    public static final String SUFFIX = ".enc";
    private static final int KEY_BYTES = 32;
    private static final int CIPHERTEXT_SEGMENT_BYTES = 1 << 20;

    private final Optional<byte[]> key;
    private final String source;

    private SnapshotEncryption(Optional<byte[]> key, String source) {
        this.key = key;
        this.source = source;
    }

    /** No key: snapshots are written in the clear; an encrypted snapshot cannot be read. */
    public static SnapshotEncryption none() {
        return new SnapshotEncryption(Optional.empty(), "");
    }

    /** From {@code snapshot.encryption-key}: a file path, or {@code env:NAME}. */
    public static SnapshotEncryption of(Optional<String> setting) {
        if (setting.isEmpty() || setting.get().isBlank()) {
            return none();
        }
        String value = setting.get().trim();
        String source = "snapshot.encryption-key " + value;
        byte[] content;
        if (value.startsWith("env:")) {
            String variable = value.substring("env:".length());
            String text = System.getenv(variable);
            if (text == null || text.isBlank()) {
                throw new ConfigurationException(source + ": environment variable " + variable + " is not set (it should"
                        + " hold the base64 of 32 random bytes, e.g. from 'openssl rand -base64 32').");
            }
            content = text.getBytes(StandardCharsets.US_ASCII);
        } else {
            try {
                content = Files.readAllBytes(Path.of(value));
            } catch (IOException e) {
                throw new ConfigurationException(source + " cannot be read: " + e.getMessage());
            }
        }
        return new SnapshotEncryption(Optional.of(key(content, source)), source);
    }

    /** 32 bytes as they are, or base64 of 32 bytes (whitespace around it ignored). */
    private static byte[] key(byte[] content, String source) {
        if (content.length == KEY_BYTES) {
            return content;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII).trim());
            if (decoded.length == KEY_BYTES) {
                return decoded;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below with what a key must be
        }
        throw new ConfigurationException(source + " is not a key: it must hold 32 random bytes or their base64"
                + " (make one with 'openssl rand -base64 32 > snapshot.key').");
    }

    /** Backups encrypt (a key is configured). */
    public boolean encrypts() {
        return key.isPresent();
    }

    /** What the manifest records: the scheme and the key's id; null when backups are not encrypted. */
    public SnapshotManifest.Encryption manifestEntry() {
        return key.map(k -> new SnapshotManifest.Encryption(SCHEME, keyId(k))).orElse(null);
    }

    /** Where a file of the snapshot is stored: with {@value #SUFFIX} when it is encrypted. */
    public String storedPath(String path) {
        return encrypts() ? path + SUFFIX : path;
    }

    /** Encrypts what is written to {@code out} (closing the stream writes the last segment); {@code out} when not encrypting. */
    public OutputStream encrypting(OutputStream out, String snapshotId, String storedPath) throws IOException {
        if (key.isEmpty()) {
            return out;
        }
        try {
            return aead(key.get()).newEncryptingStream(out, associatedData(snapshotId, storedPath));
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot encrypt " + storedPath + ": " + e.getMessage(), e);
        }
    }

    /** A small file (a schema), encrypted; as it is when not encrypting. */
    public byte[] encrypt(byte[] content, String snapshotId, String storedPath) {
        if (key.isEmpty()) {
            return content;
        }
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream(content.length + 64);
        try (OutputStream out = encrypting(encrypted, snapshotId, storedPath)) {
            out.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return encrypted.toByteArray();
    }

    /**
     * Whether this snapshot can be read with the configured key: empty when it is not encrypted or
     * the key is the one it was encrypted with, else one line saying what to configure.
     */
    public Optional<String> problem(SnapshotManifest manifest) {
        SnapshotManifest.Encryption used = manifest.encryption();
        if (used == null) {
            return Optional.empty();
        }
        if (!SCHEME.equals(used.scheme())) {
            return Optional.of("is encrypted with scheme " + used.scheme() + ", which this version cannot decrypt (it"
                    + " knows " + SCHEME + ")");
        }
        if (key.isEmpty()) {
            return Optional.of("is encrypted (key id " + used.keyId() + "); set snapshot.encryption-key to the key it was"
                    + " made with");
        }
        String configured = keyId(key.get());
        if (!configured.equals(used.keyId())) {
            return Optional.of("is encrypted with key id " + used.keyId() + ", but " + source + " is key id " + configured
                    + ": configure the key the snapshot was made with");
        }
        return Optional.empty();
    }

    /**
     * The plain content of a stored file of this snapshot; {@code in} itself when the snapshot is not
     * encrypted. Reading throws an IOException when the file was changed, truncated or moved.
     *
     * @throws IllegalStateException when the snapshot cannot be decrypted with the configured key ({@link #problem})
     */
    public InputStream decrypting(InputStream in, SnapshotManifest manifest, String storedPath) throws IOException {
        if (manifest.encryption() == null) {
            return in;
        }
        Optional<String> problem = problem(manifest);
        if (problem.isPresent()) {
            throw new IllegalStateException("Snapshot " + manifest.snapshotId() + " " + problem.get() + ".");
        }
        try {
            return aead(key.get()).newDecryptingStream(in, associatedData(manifest.snapshotId(), storedPath));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot be decrypted: " + e.getMessage(), e);
        }
    }

    /** A key's id: the first 8 bytes of a SHA-256 over a fixed label and the key, in hex. */
    static String keyId(byte[] key) {
        var digest = Sha256.digest();
        digest.update("dataverse-backup snapshot key id".getBytes(StandardCharsets.US_ASCII));
        digest.update(key);
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static byte[] associatedData(String snapshotId, String storedPath) {
        return (snapshotId + "/" + storedPath).getBytes(StandardCharsets.UTF_8);
    }

    private static AesGcmHkdfStreaming aead(byte[] key) throws GeneralSecurityException {
        // Tink's AES256_GCM_HKDF_1MB template: 32-byte derived AES keys, HKDF-SHA256, 1 MB ciphertext segments
        return new AesGcmHkdfStreaming(key, "HmacSha256", KEY_BYTES, CIPHERTEXT_SEGMENT_BYTES, 0);
    }
}
