package org.dataversebackup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's backup, snapshots and verify commands, run as the README says, on the demo profile. */
class BackupCommandIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path folder;

    @Test
    void theDemoBackupWritesACompleteSnapshotThatIsListedAndVerified() throws Exception {
        PackagedJar.Result backup = PackagedJar.run(folder, TIMEOUT, List.of("-Ddemo.accounts=40"),
                Map.of("BACKUP_CHUNK_RECORDS", "25"), "backup", "--profile", "demo");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        Path snapshot = Path.of(backup.lastStdoutLine());
        assertThat(snapshot).startsWith(folder.resolve("backups").resolve("demo"));
        SnapshotManifest manifest = SnapshotJson.MAPPER.readValue(snapshot.resolve("manifest.json").toFile(),
                SnapshotManifest.class);
        SnapshotManifest.Table accounts = manifest.tables().stream().filter(t -> t.logicalName().equals("account"))
                .findFirst().orElseThrow();
        assertThat(accounts.records()).as("-Ddemo.accounts=40").isEqualTo(40);
        assertThat(accounts.parts()).as("BACKUP_CHUNK_RECORDS=25 from the environment").hasSize(2);
        assertThat(backup.stdout()).contains("account", "total (");
        assertThat(backup.stderr()).doesNotContain("emulator-client-secret");

        PackagedJar.Result list = PackagedJar.run(folder, TIMEOUT, List.of(), Map.of(), "snapshots", "--profile", "demo");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains(manifest.snapshotId(), "1 complete snapshot in");

        PackagedJar.Result verify = PackagedJar.run(folder, TIMEOUT, List.of(), Map.of(), "verify", "--snapshot",
                snapshot.toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.lastStdoutLine()).contains("all match the manifest");

        // a corrupted part is found
        Path part = snapshot.resolve(accounts.parts().get(0).path());
        byte[] bytes = Files.readAllBytes(part);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(part, bytes);
        PackagedJar.Result corrupt = PackagedJar.run(folder, TIMEOUT, List.of(), Map.of(), "verify", "--snapshot",
                snapshot.toString());
        assertThat(corrupt.exitCode()).isEqualTo(1);
        assertThat(corrupt.stdout()).contains("FAILED " + accounts.parts().get(0).path());
    }

    @Test
    void withoutAnEnvironmentTheBackupSaysWhichSettingIsMissing() throws Exception {
        PackagedJar.Result result = PackagedJar.run(folder, TIMEOUT, List.of(), Map.of(), "backup");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("dataverse.url", "DATAVERSE_URL");
    }

    @Test
    void anIncompleteSnapshotIsNotListedButCountedAndShownWithAll() throws Exception {
        Path incomplete = Files.createDirectories(folder.resolve("backups/demo/20260101T000000Z-full/data/account"));
        Files.writeString(incomplete.resolve("part-00001.ndjson.gz"), "x");
        PackagedJar.Result list = PackagedJar.run(folder, TIMEOUT, List.of(), Map.of(), "snapshots", "--target",
                "file:backups");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).doesNotContain("20260101T000000Z-full").contains("0 complete snapshots")
                .contains("1 incomplete (list them with --all)");

        Files.writeString(incomplete.getParent().getParent().resolve("backup-failed.json"),
                "{\"snapshotId\":\"20260101T000000Z-full\",\"failedAt\":\"2026-01-01T00:01:00Z\",\"reason\":\"account: HTTP 503\"}");
        PackagedJar.Result all = PackagedJar.run(folder, TIMEOUT, List.of(), Map.of(), "snapshots", "--target",
                "file:backups", "--all");
        assertThat(all.exitCode()).as(all.stderr()).isZero();
        assertThat(all.stdout()).contains("INCOMPLETE " + folder.resolve("backups/demo/20260101T000000Z-full"))
                .contains("the backup failed at 2026-01-01T00:01:00Z: account: HTTP 503");

        PackagedJar.Result verify = PackagedJar.run(folder, TIMEOUT, List.of(), Map.of(), "verify", "--snapshot",
                folder.resolve("backups/demo/20260101T000000Z-full").toString());
        assertThat(verify.exitCode()).isEqualTo(2);
        assertThat(verify.stderr()).contains("not a complete snapshot", "manifest.json");
    }
}
