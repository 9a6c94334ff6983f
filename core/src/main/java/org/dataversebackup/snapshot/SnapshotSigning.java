package org.dataversebackup.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.dataversebackup.config.ConfigurationException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tamper evidence for snapshots. The manifest lists the SHA-256 of every schema and part, so
 * signing the manifest's bytes covers the whole snapshot: {@value #FILE_NAME} holds the signature,
 * written just before the manifest.
 *
 * <ul>
 * <li>{@code snapshot.signing-key}: a PEM Ed25519 private key ({@code BEGIN PRIVATE KEY}) signs
 * with Ed25519; any other file is an HMAC-SHA256 secret (its bytes as they are).</li>
 * <li>{@code snapshot.verify-key}: the PEM Ed25519 public key ({@code BEGIN PUBLIC KEY}), for
 * hosts that only verify and restore.</li>
 * </ul>
 * With either configured, verify and restore refuse an unsigned or badly signed snapshot. Ed25519
 * signatures are deterministic, so a host holding only the private key verifies by signing again.
 */
public final class SnapshotSigning {
    public static final String FILE_NAME = "manifest.json.sig";
    private static final String ED25519 = "Ed25519";
    private static final String HMAC = "HMAC-SHA256";

    private final Optional<PrivateKey> privateKey;
    private final Optional<PublicKey> publicKey;
    private final Optional<byte[]> secret;
    private final String source;

    private SnapshotSigning(Optional<PrivateKey> privateKey, Optional<PublicKey> publicKey, Optional<byte[]> secret, String source) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.secret = secret;
        this.source = source;
    }

    /** No key: snapshots are neither signed nor checked for a signature. */
    public static SnapshotSigning none() {
        return new SnapshotSigning(Optional.empty(), Optional.empty(), Optional.empty(), "");
    }

    /** From {@code snapshot.signing-key} and {@code snapshot.verify-key} (file paths; either may be absent). */
    public static SnapshotSigning of(Optional<String> signingKey, Optional<String> verifyKey) {
        Optional<PrivateKey> privateKey = Optional.empty();
        Optional<byte[]> secret = Optional.empty();
        Optional<PublicKey> publicKey = Optional.empty();
        if (signingKey.isPresent()) {
            byte[] content = read(signingKey.get(), "snapshot.signing-key");
            String text = new String(content, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN PRIVATE KEY-----")) {
                privateKey = Optional.of(ed25519Private(pem(text, "PRIVATE KEY"), signingKey.get()));
            } else if (text.contains("-----BEGIN")) {
                throw new ConfigurationException("snapshot.signing-key " + signingKey.get() + " is a PEM file but not an"
                        + " unencrypted PKCS#8 private key (BEGIN PRIVATE KEY): make one with"
                        + " 'openssl genpkey -algorithm ed25519 -out signing-key.pem', or give a file of random bytes (HMAC).");
            } else {
                if (content.length < 32) {
                    throw new ConfigurationException("snapshot.signing-key " + signingKey.get() + " holds " + content.length
                            + " bytes; an HMAC secret needs at least 32 random bytes (e.g. 'openssl rand 32 > key').");
                }
                secret = Optional.of(content);
            }
        }
        if (verifyKey.isPresent()) {
            String text = new String(read(verifyKey.get(), "snapshot.verify-key"), StandardCharsets.US_ASCII);
            if (!text.contains("-----BEGIN PUBLIC KEY-----")) {
                throw new ConfigurationException("snapshot.verify-key " + verifyKey.get() + " is not a PEM public key (BEGIN"
                        + " PUBLIC KEY): make it with 'openssl pkey -in signing-key.pem -pubout -out verify-key.pem'.");
            }
            publicKey = Optional.of(ed25519Public(pem(text, "PUBLIC KEY"), verifyKey.get()));
        }
        return new SnapshotSigning(privateKey, publicKey, secret,
                signingKey.map(k -> "snapshot.signing-key " + k).orElse(verifyKey.map(k -> "snapshot.verify-key " + k).orElse("")));
    }

    /** A key is configured: snapshots are signed (with a signing key) and must carry a good signature. */
    public boolean required() {
        return privateKey.isPresent() || publicKey.isPresent() || secret.isPresent();
    }

    /** Backups sign (a signing key is configured). */
    public boolean signs() {
        return privateKey.isPresent() || secret.isPresent();
    }

    /** The content of {@value #FILE_NAME} for these manifest bytes. */
    public byte[] signatureFile(byte[] manifest) {
        Map<String, String> file = new LinkedHashMap<>();
        file.put("algorithm", privateKey.isPresent() ? ED25519 : HMAC);
        file.put("signs", SnapshotManifest.FILE_NAME);
        file.put("signature", Base64.getEncoder().encodeToString(sign(manifest)));
        try {
            return SnapshotJson.MAPPER.writeValueAsBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What is wrong with the signature of these manifest bytes, or empty when it is good (or none is required). */
    public Optional<String> problem(byte[] manifest, Optional<byte[]> signatureFile) {
        if (!required()) {
            return Optional.empty();
        }
        if (signatureFile.isEmpty()) {
            return Optional.of("is not signed (no " + FILE_NAME + "), and " + source + " requires a signature");
        }
        JsonNode file;
        byte[] signature;
        try {
            file = SnapshotJson.MAPPER.readTree(signatureFile.get());
            signature = Base64.getDecoder().decode(file.path("signature").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("has an unreadable " + FILE_NAME + ": " + e.getMessage());
        }
        String algorithm = file.path("algorithm").asText("");
        boolean good;
        try {
            if (ED25519.equals(algorithm) && publicKey.isPresent()) {
                Signature verifier = Signature.getInstance(ED25519);
                verifier.initVerify(publicKey.get());
                verifier.update(manifest);
                good = verifier.verify(signature);
            } else if ((ED25519.equals(algorithm) && privateKey.isPresent()) || (HMAC.equals(algorithm) && secret.isPresent())) {
                good = MessageDigest.isEqual(sign(manifest), signature);
            } else {
                return Optional.of("is signed with " + (algorithm.isEmpty() ? "an unknown algorithm" : algorithm)
                        + ", which " + source + " cannot check");
            }
        } catch (GeneralSecurityException e) {
            good = false;
        }
        return good ? Optional.empty() : Optional.of("has a signature that does not match (changed after the backup, or"
                + " signed with another key than " + source + ")");
    }

    private byte[] sign(byte[] manifest) {
        try {
            if (privateKey.isPresent()) {
                Signature signer = Signature.getInstance(ED25519);
                signer.initSign(privateKey.get());
                signer.update(manifest);
                return signer.sign();
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.orElseThrow(() -> new IllegalStateException("no signing key")), "HmacSHA256"));
            return mac.doFinal(manifest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign the manifest with " + source + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(String path, String key) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new ConfigurationException(key + " " + path + " cannot be read: " + e.getMessage());
        }
    }

    private static byte[] pem(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new ConfigurationException("No " + type + " block in the PEM file.");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    private static PrivateKey ed25519Private(byte[] der, String path) {
        try {
            return KeyFactory.getInstance(ED25519).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("snapshot.signing-key " + path + " is not an Ed25519 private key: " + e.getMessage());
        }
    }

    private static PublicKey ed25519Public(byte[] der, String path) {
        try {
            return KeyFactory.getInstance(ED25519).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("snapshot.verify-key " + path + " is not an Ed25519 public key: " + e.getMessage());
        }
    }
}
