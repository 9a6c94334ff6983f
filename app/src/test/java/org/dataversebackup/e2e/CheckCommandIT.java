package org.dataversebackup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.dataversebackup.check.CheckEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.EmulatorUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's {@code check} (and the backup's preflight) against an emulator running in this
 * JVM, from a folder without config/ or routes/ (the bundled copies), settings as -D options.
 */
class CheckCommandIT {
    private static final String SUPPORT_USER = "support-it@" + EmulatorIdentities.DOMAIN;
    private static CheckEmulator env;

    @TempDir
    Path emptyFolder;

    @BeforeAll
    static void start() {
        env = new CheckEmulator();
        env.emulator.state().addUser(EmulatorUser.named(SUPPORT_USER).accessMode(3)
                .role(UUID.fromString(EmulatorIdentities.SYSTEM_ADMINISTRATOR_ROLE_ID)));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private PackagedJar.Result run(Map<String, String> settings, String... args) throws Exception {
        List<String> options = new ArrayList<>(env.trustStoreOptions());
        settings.forEach((key, value) -> options.add("-D" + key + "=" + value));
        return PackagedJar.run(emptyFolder, Duration.ofSeconds(120), options, Map.of(), args);
    }

    @Test
    void exitCodes() throws Exception {
        PackagedJar.Result passed = run(env.application(EmulatorIdentities.APP_CLIENT_ID,
                EmulatorIdentities.APP_CLIENT_SECRET), "check", "--tables", "account,contact");
        assertThat(passed.exitCode()).as(passed.stderr()).isZero();
        assertThat(passed.stdout()).contains("Preflight check for backup: PASSED");

        PackagedJar.Result failed = run(env.user(EmulatorIdentities.NO_CONTACT_WRITE_USER), "check", "--for", "restore",
                "--tables", "account,contact", "--json");
        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(3);
        assertThat(failed.stdout()).contains("\"outcome\" : \"failed\"", "prvWriteContact");

        PackagedJar.Result consent = run(env.application(EmulatorIdentities.UNCONSENTED_CLIENT_ID,
                EmulatorIdentities.UNCONSENTED_CLIENT_SECRET), "check");
        assertThat(consent.exitCode()).isEqualTo(3);
        assertThat(consent.stdout()).contains("AADSTS65001", "adminconsent?client_id=");

        PackagedJar.Result usage = run(Map.of(), "check", "--for", "nothing");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr().strip().lines()).hasSize(1);
    }

    @Test
    void backupExits3BeforeWritingAnything() throws Exception {
        Path target = emptyFolder.resolve("backups");
        Map<String, String> settings = new java.util.HashMap<>(env.user(SUPPORT_USER));
        settings.put("backup.work-dir", emptyFolder.resolve("work").toString());
        PackagedJar.Result result = run(settings, "backup", "--tables", "account", "--target", "file:" + target);
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
        assertThat(result.stdout()).contains("Preflight check for backup: FAILED", "Support User (3)");
        assertThat(result.stderr()).as("an expected outcome, not a crash").doesNotContain("Stacktrace", "\tat org.")
                .contains("dataverse-backup: Preflight check for backup failed: access-mode: Support User (3)");
        try (Stream<Path> files = Files.walk(emptyFolder)) {
            // no snapshot and no work file; the job history (history.ndjson) records the refused run
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("history.ndjson"))
                    .toList()).isEmpty();
        }
        assertThat(Files.readString(target.resolve("history.ndjson"))).containsPattern("\"type\" ?: ?\"backup\"");
    }
}
