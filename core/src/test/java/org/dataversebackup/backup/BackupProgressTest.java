package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class BackupProgressTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(BackupProgress.class);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private static SnapshotRun.TableState table() {
        SnapshotRun run = new SnapshotRun(SnapshotRun.newId(Instant.now(), "full"), Instant.now(), SnapshotTarget.parse("file:/tmp/x"),
                new SnapshotManifest.Source("https://x", "org", "env"),
                List.of(new TableScope("account", "accounts", "accountid", true)), java.nio.file.Path.of("/tmp/x"), null);
        SnapshotRun.TableState state = run.table("account");
        state.started(Instant.now().minusSeconds(2));
        return state;
    }

    @Test
    void withDataversesCountProgressSaysHowFarAndAboutHowLongIsLeft() {
        SnapshotRun.TableState state = table();
        state.expectedRecords(1_000);
        new BackupProgress(Duration.ZERO).pageRead(state, 100, 10_000);
        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("account: 100 of about 1,000 records read (10%), ").contains(" left");
    }

    @Test
    void withoutACountOrBeyondItProgressSaysWhatWasRead() {
        SnapshotRun.TableState state = table();
        new BackupProgress(Duration.ZERO).pageRead(state, 100, 10_000);
        state.expectedRecords(50); // an estimate up to a day old: the table may have grown
        new BackupProgress(Duration.ZERO).pageRead(state, 100, 10_000);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .allSatisfy(line -> assertThat(line).doesNotContain("about").contains("records read"));
    }
}
