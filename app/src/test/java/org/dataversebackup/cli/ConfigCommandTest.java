package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config show prints each setting with its layer, secrets masked; config check validates offline. */
class ConfigCommandTest {
    private static final String MINIMAL = """
            dataverse.url = https://contoso.crm.dynamics.com
            auth.tenant-id = 3b1f7c2a-9d4e-4f6a-8b2c-5e7d9f1a3c5e
            auth.client-id = 0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d
            auth.client-secret = very-secret-value
            """;

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

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
        System.clearProperty("backup.page-size");
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path config(String text) throws Exception {
        Path file = folder.resolve("dataverse.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void showPrintsEachValueWithItsLayerAndMasksSecrets() throws Exception {
        Path file = config(MINIMAL);
        System.setProperty("backup.page-size", "250");

        assertThat(DataverseBackupCommand.execute("config", "show", "--config", file.toString())).isZero();

        assertThat(stdout()).doesNotContain("very-secret-value")
                .containsPattern("auth\\.client-secret = \\*\\*\\*\\* +# " + file)
                .containsPattern("dataverse\\.url = https://contoso\\.crm\\.dynamics\\.com +# " + file)
                .containsPattern("backup\\.page-size = 250 +# -Dbackup\\.page-size")
                .containsPattern("restore\\.inbox = restore-inbox +# ")
                .containsPattern("auth\\.authority = https://login\\.microsoftonline\\.com/3b1f7c2a-9d4e-4f6a-8b2c-5e7d9f1a3c5e +#");
    }

    @Test
    void checkPassesAMinimalConfiguration() throws Exception {
        assertThat(DataverseBackupCommand.execute("config", "check", "--config", config(MINIMAL).toString()))
                .as(stderr()).isZero();
        assertThat(stdout()).contains("usable");
    }

    @Test
    void checkPrintsOneLinePerProblemNamingKeyAndFileAndExits2() throws Exception {
        Path file = config("""
                auth.client-id = 0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d
                auth.client-secret = s
                backup.page-size = many
                backup.schedule = at two
                restore.mode = merge
                backup.tabels = account
                """);

        assertThat(DataverseBackupCommand.execute("config", "check", "--config", file.toString())).isEqualTo(ExitCodes.USAGE);

        // (another test's --debug may have left Camel's own log lines on)
        assertThat(stderr().lines().filter(line -> line.startsWith("dataverse-backup: ")).toList()).hasSize(5);
        assertThat(stderr()).contains("dataverse.url is not set", "DATAVERSE_URL")
                .containsPattern("backup\\.page-size.*many.*\\(from " + file + "\\)")
                .containsPattern("backup\\.schedule 'at two' is not a Quartz cron expression.*\\(from " + file + "\\)")
                .containsPattern("restore\\.mode: .*merge")
                .contains("warning: backup.tabels (" + file + ") is not a setting of dataverse-backup; did you mean backup.tables?")
                .doesNotContain("Exception", "\tat ");
    }
}
