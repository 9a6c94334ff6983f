package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk index of a restore journal: the last state of every id, whatever the number of sorted runs. */
class JournalIndexTest {
    @TempDir
    Path dir;

    private static String line(UUID id, String state) {
        return "{\"id\":\"" + id + "\",\"state\":\"" + state + "\"}\n";
    }

    @Test
    void theLastStateOfEveryIdWinsAcrossRuns() throws Exception {
        Random random = new Random(7);
        List<UUID> ids = new ArrayList<>();
        StringBuilder journal = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            ids.add(id);
            journal.append(line(id, "sent"));
        }
        for (int i = 0; i < 50; i += 2) {
            journal.append(line(ids.get(i), i % 4 == 0 ? "created" : "not-created"));
        }
        journal.append(line(ids.get(2), "sent")); // a later attempt sent it again
        journal.append("{\"id\":\"").append(ids.get(3)); // the last line, cut short by kill -9
        Path file = dir.resolve("account.ndjson");
        Files.writeString(file, journal, StandardCharsets.UTF_8);

        // runs of 7 entries: many runs, merged; the same id in several of them
        try (JournalIndex index = JournalIndex.build(file, dir.resolve("index/account.idx"), 7)) {
            assertThat(index.size()).isEqualTo(50);
            for (int i = 0; i < 50; i++) {
                byte expected = i == 2 ? JournalIndex.SENT
                        : i % 2 == 1 ? JournalIndex.SENT : i % 4 == 0 ? JournalIndex.CREATED : JournalIndex.NOT_CREATED;
                assertThat(index.state(ids.get(i).toString())).as("id " + i).isEqualTo(expected);
            }
            assertThat(index.state(UUID.randomUUID().toString())).isZero();
            assertThat(index.state("not a guid")).isZero();
        }
        try (var left = Files.list(dir.resolve("index"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("account.idx");
        }
    }

    @Test
    void anEmptyJournalListsNothing() throws Exception {
        Path file = dir.resolve("contact.ndjson");
        Files.writeString(file, "");
        try (JournalIndex index = JournalIndex.build(file, dir.resolve("index/contact.idx"))) {
            assertThat(index.size()).isZero();
            assertThat(index.state(UUID.randomUUID().toString())).isZero();
        }
    }
}
