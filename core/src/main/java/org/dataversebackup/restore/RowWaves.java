package org.dataversebackup.restore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rows of a table whose lookups point into the table itself ({@code account.parentaccountid},
 * {@code contact.parentcustomerid} to a contact) in waves, so that parents are written before their
 * children and most rows are written once, their lookups with them: wave 0 holds the rows whose
 * lookups into the table are empty or point to rows that are not restored in this run; wave
 * <i>n</i> the rows whose parents were all written in earlier waves. A row whose parent is still
 * not written after {@value #MAX_WAVES} waves (deeper hierarchies, cycles, a parent that failed)
 * goes in the last wave, and only that lookup waits for the second pass.
 *
 * <p>Memory does not grow with the table: the ids of the run's rows, and of the rows handed out
 * and written, are kept in files of the attempt's work folder and looked up on disk
 * ({@link JournalIndex}, rebuilt once per wave). Each wave reads the table's verified local parts
 * again (local files, no request).
 *
 * <p>Used by one table at a time; the writers of a wave record the rows written in parallel
 * ({@link #written}), the next wave starts once every chunk of the wave is done (the route's
 * nested splits).
 */
final class RowWaves implements AutoCloseable {
    /** Waves before the rest: hierarchies deeper than this have their deepest lookups written in the second pass. */
    static final int MAX_WAVES = 8;

    private final Path folder;
    /** The selected records of the table, read again from its local parts for each wave. */
    private final java.util.function.Supplier<Iterator<JsonNode>> records;
    /** The ids the record's lookups into its own table point to (lower case). */
    private final Function<JsonNode, List<String>> parents;
    private final Function<JsonNode, String> idOf;
    private final JournalIndex runIds;
    private final long rows;
    private final Path progressFile;
    private BufferedWriter progress;
    private JournalIndex done;
    private final AtomicLong handedOut = new AtomicLong();
    private int wave = -1;

    private RowWaves(Path folder, java.util.function.Supplier<Iterator<JsonNode>> records,
            Function<JsonNode, List<String>> parents, Function<JsonNode, String> idOf, JournalIndex runIds, long rows) {
        this.folder = folder;
        this.records = records;
        this.parents = parents;
        this.idOf = idOf;
        this.runIds = runIds;
        this.rows = rows;
        this.progressFile = folder.resolve("progress.ndjson");
    }

    /**
     * Reads the selected records once to index their ids.
     *
     * @param folder  a folder of the attempt's work folder for this table
     * @param records the table's selected records, from the start each time it is called
     */
    static RowWaves of(Path folder, java.util.function.Supplier<Iterator<JsonNode>> records,
            Function<JsonNode, List<String>> parents, Function<JsonNode, String> idOf) {
        try {
            Files.createDirectories(folder);
            Path ids = folder.resolve("run.ids");
            long rows = 0;
            try (BufferedWriter out = Files.newBufferedWriter(ids, StandardCharsets.UTF_8)) {
                for (Iterator<JsonNode> it = records.get(); it.hasNext();) {
                    String id = idOf.apply(it.next());
                    if (id != null) {
                        out.write(id);
                        out.write('\n');
                    }
                    rows++; // a record without id is handed out too (in the first wave), and reported
                }
            }
            JournalIndex runIds = JournalIndex.ofIds(ids, folder.resolve("run.index"));
            return new RowWaves(folder, records, parents, idOf, runIds, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot order the rows of " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The waves to write, one after the other: their numbers, until every row was handed out. */
    Iterator<Integer> waves() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return handedOut.get() < rows && wave < MAX_WAVES;
            }

            @Override
            public Integer next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return startWave();
            }
        };
    }

    private synchronized int startWave() {
        wave++;
        closeProgress();
        if (done != null) {
            done.close();
        }
        done = Files.exists(progressFile) ? JournalIndex.build(progressFile, folder.resolve("progress.index")) : null;
        return wave;
    }

    /**
     * The records of the current wave: not handed out before, and every parent written (or not in
     * the run); in the last wave every record left.
     */
    Iterator<JsonNode> records() {
        Iterator<JsonNode> all = records.get();
        boolean last = wave == MAX_WAVES || lastRowsLeftWaitForEachOther();
        return new Iterator<>() {
            private JsonNode next;

            @Override
            public boolean hasNext() {
                while (next == null && all.hasNext()) {
                    JsonNode record = all.next();
                    String id = idOf.apply(record);
                    if (id == null ? wave == 0 : state(id) == 0 && (last || parents.apply(record).stream().noneMatch(pending()))) {
                        next = record;
                    }
                }
                return next != null;
            }

            @Override
            public JsonNode next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                JsonNode record = next;
                next = null;
                String id = idOf.apply(record);
                if (id != null) {
                    record(id, "sent");
                }
                handedOut.incrementAndGet();
                return record;
            }
        };
    }

    /**
     * A wave after the first in which no row left was ready would hand out nothing: the rows left
     * wait for each other (a cycle) or for parents that failed, so they all go now.
     */
    private boolean lastRowsLeftWaitForEachOther() {
        if (wave == 0) {
            return false;
        }
        for (Iterator<JsonNode> all = records.get(); all.hasNext();) {
            JsonNode record = all.next();
            String id = idOf.apply(record);
            if (id != null && state(id) == 0 && parents.apply(record).stream().noneMatch(pending())) {
                return false;
            }
        }
        wave = MAX_WAVES;
        return true;
    }

    /**
     * Whether a lookup into the table waits for the second pass: its row is in this run and not
     * written by an earlier wave.
     */
    Predicate<String> pending() {
        return id -> id != null && runIds.contains(id) && state(id) != JournalIndex.CREATED;
    }

    /** The row exists in the target now (created, updated, unchanged, created before): lookups to it can be written. */
    void written(String id) {
        record(id, "created");
    }

    private byte state(String id) {
        return done == null ? 0 : done.state(id);
    }

    private synchronized void record(String id, String state) {
        try {
            if (progress == null) {
                progress = Files.newBufferedWriter(progressFile, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            progress.write("{\"id\":\"" + id + "\",\"state\":\"" + state + "\"}\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + progressFile + ": " + e.getMessage(), e);
        }
    }

    private synchronized void closeProgress() {
        if (progress != null) {
            try {
                progress.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            progress = null;
        }
    }

    @Override
    public synchronized void close() {
        closeProgress();
        runIds.close();
        if (done != null) {
            done.close();
        }
    }
}
