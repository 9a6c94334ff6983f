package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.snapshot.SnapshotEncryption;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotSigning;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snapshot.signing-key / snapshot.verify-key: a changed manifest, or a missing signature, is refused naming the file. */
class SignedSnapshotsTest {
    private static EmulatorEnvironment environment;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEmulator() {
        environment = EmulatorEnvironment.start(DataSetSpec.builder().accounts(6).contactsPerAccount(1).projects(0).build());
    }

    @AfterAll
    static void stopEmulator() {
        environment.close();
    }

    private Path backup(String signingKey) {
        try (CamelApplication app = environment.startApplication(Map.of("backup.target", "file:" + dir.resolve("target"),
                "backup.tables", "account,contact", "snapshot.signing-key", signingKey))) {
            Exchange result = app.template().request("dataverse:backup", e -> { });
            assertThat(result.getException()).isNull();
            return Path.of(result.getMessage().getHeader(BackupHeaders.LOCATION, String.class));
        }
    }

    private static SnapshotVerifier verifier(Path snapshot, SnapshotSigning signing) {
        return new SnapshotVerifier(SnapshotStore.of(SnapshotTarget.parse(snapshot.toString()), () -> null),
                new SnapshotKeys(signing, SnapshotEncryption.none()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void anEd25519SignedSnapshotVerifiesWithThePublicKeyAndAChangedManifestDoesNot() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path privateKey = Files.writeString(dir.resolve("signing-key.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Path publicKey = Files.writeString(dir.resolve("verify-key.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Path snapshot = backup(privateKey.toString());
        assertThat(snapshot.resolve(SnapshotSigning.FILE_NAME)).exists();

        SnapshotSigning verifyOnly = SnapshotSigning.of(Optional.empty(), Optional.of(publicKey.toString()));
        SnapshotVerifier.Report report = verifier(snapshot, verifyOnly).verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.unlisted()).isEmpty();
        assertThat(verifier(snapshot, SnapshotSigning.of(Optional.of(privateKey.toString()), Optional.empty())).verify().ok())
                .as("the signing host verifies too").isTrue();

        // someone who can write to the target changes the manifest (e.g. to match a changed part)
        Path manifest = snapshot.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"records\" ?: ?(\\d+)", "\"records\":999"));
        assertThatThrownBy(() -> verifier(snapshot, verifyOnly).verify()).hasMessageContaining(manifest.toString())
                .hasMessageContaining("signature that does not match");

        try (CamelApplication app = environment.startApplication(Map.of("snapshot.verify-key", publicKey.toString(),
                "restore.allowed-snapshot-roots", "file:" + dir))) {
            Exchange restore = app.template().request("dataverse:restore", e -> {
                e.getIn().setHeader("DataverseRestoreSnapshot", snapshot.toString());
                e.getIn().setHeader("DataverseRestoreDryRun", true);
            });
            assertThat(restore.getException()).as("restore refuses it too").isNotNull();
            Throwable cause = restore.getException();
            while (cause.getCause() != null && !String.valueOf(cause.getMessage()).contains("signature")) {
                cause = cause.getCause();
            }
            assertThat(cause).hasMessageContaining("manifest.json").hasMessageContaining("signature that does not match");
        }

        Files.delete(snapshot.resolve(SnapshotSigning.FILE_NAME));
        assertThatThrownBy(() -> verifier(snapshot, verifyOnly).verify()).hasMessageContaining("is not signed");
        assertThat(verifier(snapshot, SnapshotSigning.none()).manifest()).as("without a key nothing is required").isNotNull();
    }

    @Test
    void anHmacSecretSignsAndAnotherSecretDoesNotVerify() throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Path key = Files.write(dir.resolve("hmac.key"), secret);
        Path snapshot = backup(key.toString());
        assertThat(verifier(snapshot, SnapshotSigning.of(Optional.of(key.toString()), Optional.empty())).verify().ok()).isTrue();

        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        Path otherKey = Files.write(dir.resolve("other.key"), other);
        assertThatThrownBy(() -> verifier(snapshot, SnapshotSigning.of(Optional.of(otherKey.toString()), Optional.empty())).verify())
                .hasMessageContaining("signature that does not match");
        Path tooShort = Files.write(dir.resolve("short.key"), new byte[8]);
        assertThatThrownBy(() -> SnapshotSigning.of(Optional.of(tooShort.toString()), Optional.empty()))
                .hasMessageContaining("at least 32 random bytes");
    }
}
