package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dataversebackup.cli.DataverseBackupCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 'emulator' command of the command line. */
class EmulatorCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @TempDir
    Path dir;

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
    void printsWhereTheEmulatorIsAndWhoMaySignInThenStopsAndSaves() throws Exception {
        Path state = dir.resolve("state.json");
        int code = DataverseBackupCommand.execute("emulator", "--port", "0", "--generate", "accounts=7,contacts-per-account=1,projects=2,seed=3",
                "--directory", dir.toString(), "--duration", "1", "--save", state.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(text).containsPattern("Web API +https://127\\.0\\.0\\.1:\\d+/api/data/v9\\.2/")
                .containsPattern("Authority \\(auth\\.authority\\) +https://127\\.0\\.0\\.1:\\d+/" + EmulatorIdentities.TENANT_ID)
                .contains("Trust store (PKCS12)               " + dir.resolve("emulator-truststore.p12"))
                .contains(EmulatorIdentities.APP_CLIENT_ID).contains(EmulatorIdentities.APP_CLIENT_SECRET)
                .contains(EmulatorIdentities.ADMIN_USER).contains("Press Ctrl+C to stop.");
        assertThat(Files.exists(dir.resolve("emulator-ca.pem"))).isTrue();
        assertThat(EmulatorState.load(state).count("account")).isEqualTo(7);

        out.reset();
        assertThat(DataverseBackupCommand.execute("emulator", "--data", state.toString(), "--duration", "0")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Dataverse emulator running");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(DataverseBackupCommand.execute("emulator", "--generate", "nonsense=1", "--duration", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nonsense");
        assertThat(DataverseBackupCommand.execute("emulator", "--data", dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(DataverseBackupCommand.execute("emulator", "--token-lifetime", "soon", "--duration", "0")).isEqualTo(2);
    }
}
