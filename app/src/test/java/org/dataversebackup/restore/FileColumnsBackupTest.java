package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.DataverseBackupCommand;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.testing.CommandConsole;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.Sha256;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * File and image columns in snapshots: found from the metadata, each file downloaded over HTTP in
 * chunks and stored as {@code files/<table>/<record id>/<column>} with its size and SHA-256 in the
 * manifest, images full-sized where the column keeps them, else the thumbnail; verify names a
 * tampered or truncated file; {@code backup.max-file-bytes} skips and lists larger files;
 * {@code backup.files=false} leaves them out.
 */
class FileColumnsBackupTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(12, 2, 0);
    /** Above one 4 MB chunk, so the download takes two Range requests. */
    static final int BIG = 5 * 1024 * 1024 + 321;

    @TempDir
    static Path dir;
    @RegisterExtension
    final CommandConsole console = new CommandConsole();
    static DataverseEmulator source;
    static UUID bigAccount;
    static UUID smallAccount;
    static byte[] big;
    static byte[] small;
    static byte[] logo;

    @BeforeAll
    static void seed() {
        source = RestoreEmulator.generated(SPEC);
        List<UUID> seeded = seedFiles(source);
        bigAccount = seeded.get(0);
        smallAccount = seeded.get(1);
        big = bytes(BIG, 1);
        small = bytes(1024, 2);
        logo = bytes(5000, 3);
    }

    /**
     * Besides the generated files (a contract on every tenth account, a full-sized image on every
     * tenth contact): a contract of {@link #BIG} bytes on the fourth account, one of 1 KB and a logo
     * (kept as a thumbnail) on the fifth. Answers those two accounts.
     */
    static List<UUID> seedFiles(DataverseEmulator emulator) {
        List<UUID> accounts = emulator.state().ids("account");
        emulator.state().putFile("account", accounts.get(3), "dvb_contract", "big.pdf", "application/pdf", bytes(BIG, 1));
        emulator.state().putFile("account", accounts.get(4), "dvb_contract", "small.txt", "text/plain", bytes(1024, 2));
        emulator.state().putFile("account", accounts.get(4), "dvb_logo", "logo.png", "image/png", bytes(5000, 3));
        return List.of(accounts.get(3), accounts.get(4));
    }

    @AfterAll
    static void stop() {
        source.close();
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static SnapshotManifest manifest(Path snapshot) throws Exception {
        return SnapshotJson.MAPPER.readValue(snapshot.resolve("manifest.json").toFile(), SnapshotManifest.class);
    }

    static SnapshotManifest.FileEntry entry(SnapshotManifest manifest, String table, UUID id, String column) {
        return manifest.fileEntries().stream().filter(f -> f.table().equals(table) && f.id().equals(id.toString())
                && f.column().equals(column)).findFirst().orElseThrow(() -> new AssertionError("no " + table + " " + id + " "
                        + column + " in " + manifest.fileEntries()));
    }

    static SnapshotVerifier.Report verify(Path snapshot) {
        return new SnapshotVerifier(SnapshotStore.of(SnapshotTarget.parse(snapshot.toString()), () -> null)).verify();
    }

    @Test
    void everyFileOfTheFileAndImageColumnsIsInTheSnapshotWithItsSizeAndHash() throws Exception {
        Path snapshot;
        try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("all"), Map.of())) {
            snapshot = Path.of(RestoreEmulator.backup(app, "account,contact"));
        }
        SnapshotManifest manifest = manifest(snapshot);
        SnapshotManifest.FileEntry bigEntry = entry(manifest, "account", bigAccount, "dvb_contract");
        assertThat(bigEntry.path()).isEqualTo("files/account/" + bigAccount + "/dvb_contract");
        assertThat(Files.readAllBytes(snapshot.resolve(bigEntry.path()))).isEqualTo(big);
        assertThat(bigEntry.size()).isEqualTo(BIG);
        assertThat(bigEntry.bytes()).isEqualTo(BIG);
        assertThat(bigEntry.sha256()).isEqualTo(Sha256.hex(big)).isEqualTo(bigEntry.contentSha256());
        assertThat(bigEntry.fileName()).isEqualTo("big.pdf");
        assertThat(bigEntry.mimeType()).isEqualTo("application/pdf");
        assertThat(bigEntry.image()).isNull();
        assertThat(Files.readAllBytes(snapshot.resolve(entry(manifest, "account", smallAccount, "dvb_contract").path())))
                .isEqualTo(small);

        // dvb_logo keeps thumbnails only: the thumbnail is what the snapshot can hold, and says so
        SnapshotManifest.FileEntry logoEntry = entry(manifest, "account", smallAccount, "dvb_logo");
        assertThat(logoEntry.image()).isEqualTo("thumbnail");
        assertThat(Files.readAllBytes(snapshot.resolve(logoEntry.path()))).isEqualTo(java.util.Arrays.copyOf(logo, 1024));
        // entityimage keeps full-sized images: the full image (the generator gives every tenth contact one)
        List<UUID> contacts = source.state().ids("contact");
        long withImage = contacts.stream().filter(c -> source.state().file("contact", c, "entityimage").isPresent()).count();
        assertThat(withImage).isEqualTo(3);
        for (UUID contact : contacts) {
            source.state().file("contact", contact, "entityimage").ifPresent(full -> {
                SnapshotManifest.FileEntry image = entry(manifest, "contact", contact, "entityimage");
                assertThat(image.image()).isEqualTo("full");
                try {
                    assertThat(Files.readAllBytes(snapshot.resolve(image.path()))).isEqualTo(full);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        // the generated contracts of every tenth account, plus the two seeded files and the logo
        assertThat(manifest.fileEntries()).hasSize(2 + 2 + 1 + 3);
        assertThat(verify(snapshot).problems()).isEmpty();

        // a truncated file and a tampered one are named by verify
        Path smallFile = snapshot.resolve(entry(manifest, "account", smallAccount, "dvb_contract").path());
        Files.write(smallFile, java.util.Arrays.copyOf(small, 1000));
        Path bigFile = snapshot.resolve(bigEntry.path());
        byte[] tampered = big.clone();
        tampered[4_500_000] ^= 1;
        Files.write(bigFile, tampered);
        SnapshotVerifier.Report report = verify(snapshot);
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).extracting(SnapshotVerifier.Problem::path)
                .containsExactlyInAnyOrder(bigEntry.path(), "files/account/" + smallAccount + "/dvb_contract");
        assertThat(report.problems()).anySatisfy(p -> assertThat(p.problem()).contains("1000 bytes").contains("truncated"));
        assertThat(report.problems()).anySatisfy(p -> assertThat(p.problem()).contains("SHA-256"));

        // the verify command prints each, and counts them under their table
        assertThat(DataverseBackupCommand.execute("verify", "--snapshot", snapshot.toString())).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(console.out()).contains("FAILED files/account/" + smallAccount + "/dvb_contract is 1000 bytes")
                .contains("FAILED " + bigEntry.path() + " has SHA-256").contains("and 8 files checked");
    }

    @Test
    void filesAboveTheLimitAreSkippedAndListedAndTheSwitchLeavesFilesOut() throws Exception {
        Path snapshot;
        String summary;
        try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("limited"), Map.of("backup.max-file-bytes", "1MB"))) {
            org.apache.camel.Exchange result = app.template().request("dataverse:backup",
                    e -> e.getIn().setHeader(org.dataversebackup.backup.BackupHeaders.TABLES, "account"));
            assertThat(result.getException()).isNull();
            snapshot = Path.of(result.getMessage().getHeader(org.dataversebackup.backup.BackupHeaders.LOCATION, String.class));
            summary = result.getMessage().getBody(String.class);
        }
        SnapshotManifest.FileEntry skipped = entry(manifest(snapshot), "account", bigAccount, "dvb_contract");
        assertThat(skipped.stored()).isFalse();
        assertThat(skipped.skipped()).contains("backup.max-file-bytes");
        assertThat(skipped.size()).isEqualTo(BIG);
        assertThat(Files.exists(snapshot.resolve("files/account/" + bigAccount))).isFalse();
        assertThat(entry(manifest(snapshot), "account", smallAccount, "dvb_contract").stored()).isTrue();
        assertThat(SnapshotJson.MAPPER.readTree(summary).path("filesSkipped").toString()).contains(bigAccount.toString())
                .contains("big.pdf");
        assertThat(verify(snapshot).problems()).isEmpty();

        try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("none"), Map.of("backup.files", "false"))) {
            snapshot = Path.of(RestoreEmulator.backup(app, "account"));
        }
        assertThat(manifest(snapshot).fileEntries()).isEmpty();
        assertThat(Files.exists(snapshot.resolve("files"))).isFalse();
    }
}
