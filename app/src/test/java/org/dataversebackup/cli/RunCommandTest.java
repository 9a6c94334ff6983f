package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run says what it serves when it has started, and that it stopped. */
class RunCommandTest {
    @TempDir
    Path inbox;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        // camel-main stops by itself after this
        System.setProperty("camel.main.duration-max-seconds", "1");
        System.setProperty("restore.inbox", inbox.toString());
        System.setProperty("dataverse.url", "https://contoso.crm.dynamics.com");
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.clearProperty("camel.main.duration-max-seconds");
        System.clearProperty("restore.inbox");
        System.clearProperty("dataverse.url");
    }

    @Test
    void theBannerNamesEnvironmentTablesTargetNextBackupAndInboxAndTheStopIsReported() {
        assertThat(DataverseBackupCommand.execute("run")).isZero();

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("dataverse-backup ", " is running", "environment  https://contoso.crm.dynamics.com",
                        "tables       *", "target       file:backups", "(backup.schedule 0 0 2 * * ?)",
                        "inbox        " + inbox.toAbsolutePath())
                .containsPattern("next backup  \\d{4}-\\d\\d-\\d\\d 02:00")
                .containsPattern("dataverse-backup stopped after \\d+ min \\d+ s\\.");
    }
}
