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
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** snapshots lists backup.target without --target, and starts nothing it does not use. */
class SnapshotsCommandTest {
    @TempDir
    Path target;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private final Logger app = (Logger) LoggerFactory.getLogger("org.dataversebackup.app");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        originalOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        logged.start();
        app.addAppender(logged);
        System.setProperty("backup.target", "file:" + target);
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        app.detachAppender(logged);
        System.clearProperty("backup.target");
    }

    @Test
    void theDemoProfileListsBackupTargetWithoutStartingTheEmulator() {
        assertThat(DataverseBackupCommand.execute("snapshots", "--profile", "demo")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 complete snapshots in " + target);
        assertThat(logged.list).noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains("emulator"));
    }
}
