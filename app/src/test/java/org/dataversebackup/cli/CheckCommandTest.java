package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.check.CheckEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.EmulatorUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The check command and the backup command's preflight, in process; settings as -D system properties. */
class CheckCommandTest {
    private static final String SUPPORT_USER = "support-cli@" + EmulatorIdentities.DOMAIN;
    private static CheckEmulator env;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> properties = new ArrayList<>();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @TempDir
    Path folder;

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

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        properties.forEach(System::clearProperty);
    }

    private void as(Map<String, String> settings) {
        settings.forEach((key, value) -> {
            System.setProperty(key, value);
            properties.add(key);
        });
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passingCheckExits0WithTheTable() {
        as(env.application(EmulatorIdentities.APP_CLIENT_ID, EmulatorIdentities.APP_CLIENT_SECRET));
        assertThat(DataverseBackupCommand.execute("check", "--tables", "account,contact")).as(err.toString())
                .isEqualTo(ExitCodes.SUCCESS);
        assertThat(stdout()).contains("Preflight check for backup: PASSED", "STEP", "RESULT", "sign-in", "access-mode",
                "privileges contact", "Non-interactive (4)");
    }

    @Test
    void aReadAccessModeUserFailsRestoreWithExit3() {
        as(env.user(EmulatorIdentities.READ_ONLY_USER));
        assertThat(DataverseBackupCommand.execute("check", "--for", "restore", "--tables", "account"))
                .isEqualTo(ExitCodes.PREFLIGHT_FAILED);
        assertThat(stdout()).contains("Preflight check for restore: FAILED").containsPattern("access-mode +FAIL")
                .contains("Read (2)", "fix: Set Access Mode to Read-Write");
    }

    @Test
    void jsonPrintsTheReport() throws IOException {
        as(env.user(EmulatorIdentities.NO_CONTACT_WRITE_USER));
        assertThat(DataverseBackupCommand.execute("check", "--for", "RESTORE", "--tables", "contact", "--json"))
                .isEqualTo(ExitCodes.PREFLIGHT_FAILED);
        JsonNode report = new ObjectMapper().readTree(stdout());
        assertThat(report.path("outcome").asText()).isEqualTo("failed");
        assertThat(report.path("for").asText()).isEqualTo("restore");
        assertThat(report.toString()).contains("prvWriteContact");
    }

    @Test
    void badUsageExits2() {
        assertThat(DataverseBackupCommand.execute("check", "--for", "everything")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("everything");
        assertThat(DataverseBackupCommand.execute("check", "--for", "restore", "--incremental"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--incremental");
    }

    @Test
    void withoutAnEnvironmentNothingIsCheckedAndTheMissingSettingIsNamed() {
        assertThat(DataverseBackupCommand.execute("check")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Setting '");
    }

    @Test
    void backupExits3WithTheReportBeforeWritingAnything() throws IOException {
        as(env.user(SUPPORT_USER));
        as(Map.of("backup.work-dir", folder.resolve("work").toString()));
        int exit = DataverseBackupCommand.execute("backup", "--tables", "account", "--target", "file:"
                + folder.resolve("backups"));
        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.PREFLIGHT_FAILED);
        assertThat(stdout()).contains("Preflight check for backup: FAILED", "Support User (3)");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("dataverse-backup: Preflight check for backup failed");
        assertThat(files(folder)).isZero();
    }

    @Test
    void backupJsonPrintsTheJsonReportWhenTheCheckFails() throws IOException {
        as(env.user(SUPPORT_USER));
        as(Map.of("backup.work-dir", folder.resolve("work").toString()));
        int exit = DataverseBackupCommand.execute("backup", "--json", "--tables", "account", "--target", "file:"
                + folder.resolve("backups"));
        assertThat(exit).isEqualTo(ExitCodes.PREFLIGHT_FAILED);
        JsonNode report = new ObjectMapper().readTree(stdout());
        assertThat(report.path("for").asText()).isEqualTo("backup");
        assertThat(report.path("outcome").asText()).isEqualTo("failed");
    }

    @Test
    void withPreflightDisabledTheBackupCommandSkipsTheCheck() throws IOException {
        as(env.user(SUPPORT_USER));
        as(Map.of("backup.work-dir", folder.resolve("work").toString(), "preflight.enabled", "false"));
        int exit = DataverseBackupCommand.execute("backup", "--tables", "account", "--target", "file:"
                + folder.resolve("backups"));
        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(stdout()).doesNotContain("Preflight check");
        assertThat(files(folder.resolve("backups"))).isPositive();
    }

    private static long files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
