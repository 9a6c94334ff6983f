package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore journal's folder: kept after an unfinished attempt, read by the next, locked, removed after a clean finish. */
class RestoreJournalTest {
    private static final RestoreKey KEY = new RestoreKey("20260101T000000Z-full-create-0123456789abcdef",
            Map.of("snapshotId", "20260101T000000Z-full", "targetUrl", "https://contoso.crm.dynamics.com", "mode", "create"));
    private static final String A = "5a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d";
    private static final String B = "6a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d";
    private static final String C = "7a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d";

    @TempDir
    Path work;

    @Test
    void anUnfinishedAttemptLeavesItsJournalForTheNextWhichRemovesItWhenItFinishesCleanly() throws Exception {
        RestoreJournal first = RestoreJournal.open(work, KEY, "first", Instant.parse("2026-01-01T10:00:00Z"));
        Files.createDirectories(first.attemptDir().resolve("data"));
        first.sent("account", List.of(A, B, C));
        first.answered("account", List.of(A), List.of(C));
        first.close(false);
        Path folder = work.resolve(KEY.folderName());
        assertThat(folder.resolve("journal/account.ndjson")).exists();
        assertThat(folder.resolve("first")).as("the attempt's own folder is always removed").doesNotExist();
        // killed while writing a line: the next attempt still reads and appends whole lines
        Files.writeString(folder.resolve("journal/account.ndjson"), "{\"id\":\"" + C, StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        RestoreJournal second = RestoreJournal.open(work, KEY, "second", Instant.now());
        assertThat(second.previousAttempt()).contains(new RestoreJournal.Attempt("first", "2026-01-01T10:00:00Z"));
        assertThat(second.earlier("account", A)).isEqualTo(RestoreJournal.Earlier.CREATED);
        assertThat(second.earlier("account", B)).isEqualTo(RestoreJournal.Earlier.SENT);
        assertThat(second.earlier("account", C)).isEqualTo(RestoreJournal.Earlier.NOT_CREATED);
        assertThat(second.earlier("contact", A)).isEqualTo(RestoreJournal.Earlier.NOT_SENT);
        second.sent("account", List.of(C));
        second.close(false);

        RestoreJournal third = RestoreJournal.open(work, KEY, "third", Instant.now());
        assertThat(third.earlierAttempts()).isEqualTo(2);
        assertThat(third.earlier("account", C)).as("the later line wins").isEqualTo(RestoreJournal.Earlier.SENT);
        third.close(true);
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void anAttemptThatJournaledNothingLeavesNothing() {
        RestoreJournal journal = RestoreJournal.open(work, KEY, "only", Instant.now());
        journal.close(false);
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void theSameRestoreCannotBeOpenedTwice() {
        RestoreJournal running = RestoreJournal.open(work, KEY, "running", Instant.now());
        try {
            assertThatThrownBy(() -> RestoreJournal.open(work, KEY, "again", Instant.now()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("already running")
                    .hasMessageContaining(work.resolve(KEY.folderName()).toString());
        } finally {
            running.close(true);
        }
        RestoreJournal.open(work, KEY, "after", Instant.now()).close(true);
    }
}
