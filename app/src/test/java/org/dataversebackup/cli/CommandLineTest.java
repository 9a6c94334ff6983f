package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.dataversebackup.cli.ExitCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandLineTest {
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
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(DataverseBackupCommand.execute("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("run", "backup", "restore", "check", "verify", "snapshots", "history", "emulator");
    }

    @Test
    void unknownCommandIsBadUsageWithOneLineReason() {
        assertThat(DataverseBackupCommand.execute("bakup")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip().lines()).hasSize(1).first()
                .asString().contains("bakup");
    }

    @Test
    void unknownOptionIsBadUsage() {
        assertThat(DataverseBackupCommand.execute("backup", "--no-such-option")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--no-such-option");
    }

    @Test
    void anEmptyTableSelectionIsBadUsageForBackupAndCheck() {
        for (String command : new String[] {"backup", "check"}) {
            for (String blank : new String[] {"", ",,", " "}) {
                assertThat(DataverseBackupCommand.execute(command, "--tables", blank)).as(command + " --tables '" + blank + "'")
                        .isEqualTo(ExitCodes.USAGE);
            }
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tables is empty");
    }

    @Test
    void missingConfigFolderIsBadUsageNamingIt() {
        assertThat(DataverseBackupCommand.execute("run", "--config", "no/such/folder")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no/such/folder");
    }

    @Test
    void unknownProfileIsBadUsageNamingTheMissingFile() {
        assertThat(DataverseBackupCommand.execute("--profile", "nosuch", "run")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("application-nosuch.properties");
    }

    @Test
    void aBrokenRouteFileIsOneLineAndTheStackTraceOnlyWithDebug(@org.junit.jupiter.api.io.TempDir java.nio.file.Path routes)
            throws Exception {
        java.nio.file.Files.writeString(routes.resolve("mine.camel.yaml"), "- route:\n    from:\n      uri: timer:x\n"
                + "      steps:\n        - lg: hi\n");
        assertThat(DataverseBackupCommand.execute("check", "--routes", routes.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip().lines()).hasSize(1).first().asString()
                .contains("mine.camel.yaml, line 5");

        err.reset();
        assertThat(DataverseBackupCommand.execute("check", "--debug", "--routes", routes.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\tat ");
    }
}
