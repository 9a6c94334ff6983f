package org.dataversebackup.restore;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the earlier attempts of a restore journaled for one table, to be looked up by id while the
 * restore runs again: the last state of every id ({@link #SENT}, {@link #CREATED} or
 * {@link #NOT_CREATED}), in a file sorted by id and searched on disk. So memory does not grow with
 * the table, whatever the size of the journal: building it sorts runs of at most
 * {@value #RUN_ENTRIES} entries (about 10 MB) and merges them; a look-up reads a few entries of
 * {@value #ENTRY_BYTES} bytes (the operating system caches the file).
 *
 * <p>The same sorted file also holds a plain set of ids ({@link #ofIds}): the rows a restore with
 * {@code deletes} keeps.
 */
final class JournalIndex implements AutoCloseable {
    /** The create was sent; no answer said how it went (lost, or the process stopped). */
    static final byte SENT = 1;
    /** The create was answered: this restore created the row (or link). */
    static final byte CREATED = 2;
    /** The create was answered: the row was not created by this restore (rejected, or someone else's). */
    static final byte NOT_CREATED = 3;
    /** In a set of ids ({@link #ofIds}): the id is there. */
    static final byte PRESENT = 4;

    static final int RUN_ENTRIES = 200_000;
    private static final int ENTRY_BYTES = 17; // two longs of the id, one byte of state

    private final Path file;
    private final FileChannel channel;
    private final long entries;

    private JournalIndex(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.entries = channel.size() / ENTRY_BYTES;
    }

    private record Entry(long high, long low, byte state) {
        static final Comparator<Entry> BY_ID = Comparator.comparingLong(Entry::high).thenComparingLong(Entry::low);
    }

    /**
     * Builds the index of a journal file (one JSON object per line: {@code id}, {@code state}). A
     * line that cannot be read (the last one, cut short by kill -9) is left out.
     *
     * @param index where the index is written; runs are written beside it and deleted
     */
    static JournalIndex build(Path journal, Path index) {
        return build(journal, index, RUN_ENTRIES);
    }

    /** Indexes a file of ids, one per line, as a set ({@link #contains}). */
    static JournalIndex ofIds(Path ids, Path index) {
        return build(ids, index, RUN_ENTRIES, JournalIndex::parseId);
    }

    /** Whether the id is in the index (with any state). */
    boolean contains(String id) {
        return state(id) != 0;
    }

    static JournalIndex build(Path journal, Path index, int runEntries) {
        return build(journal, index, runEntries, JournalIndex::parse);
    }

    private static JournalIndex build(Path journal, Path index, int runEntries, java.util.function.Function<String, Entry> parser) {
        try {
            Files.createDirectories(index.getParent());
            List<Path> runs = new ArrayList<>();
            List<Entry> run = new ArrayList<>();
            try (BufferedReader lines = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Entry entry = parser.apply(line);
                    if (entry != null) {
                        run.add(entry);
                    }
                    if (run.size() == runEntries) {
                        runs.add(writeRun(run, index.resolveSibling(index.getFileName() + ".run" + runs.size())));
                        run.clear();
                    }
                }
            }
            if (!run.isEmpty() || runs.isEmpty()) {
                runs.add(writeRun(run, index.resolveSibling(index.getFileName() + ".run" + runs.size())));
            }
            if (runs.size() == 1) {
                Files.move(runs.get(0), index, StandardCopyOption.REPLACE_EXISTING);
            } else {
                merge(runs, index);
                for (Path r : runs) {
                    Files.deleteIfExists(r);
                }
            }
            return new JournalIndex(index);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot index the restore journal " + journal + ": " + e.getMessage(), e);
        }
    }

    /** The last state journaled for this id, or 0 when the journal does not list it. */
    byte state(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException notAGuid) {
            return 0;
        }
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_BYTES);
        long from = 0;
        long to = entries - 1;
        while (from <= to) {
            long middle = (from + to) >>> 1;
            buffer.clear();
            read(buffer, middle * ENTRY_BYTES);
            int order = compare(buffer.getLong(0), buffer.getLong(8), high, low);
            if (order == 0) {
                return buffer.get(16);
            } else if (order < 0) {
                from = middle + 1;
            } else {
                to = middle - 1;
            }
        }
        return 0;
    }

    /** Ids of the journal. */
    long size() {
        return entries;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read only
        }
    }

    Path file() {
        return file;
    }

    private void read(ByteBuffer buffer, long position) {
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new EOFException(file + " ends at " + position);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the restore journal's index " + file + ": " + e.getMessage(), e);
        }
    }

    private static int compare(long high, long low, long otherHigh, long otherLow) {
        int order = Long.compare(high, otherHigh);
        return order != 0 ? order : Long.compare(low, otherLow);
    }

    private static Entry parseId(String line) {
        try {
            UUID id = UUID.fromString(line.trim());
            return new Entry(id.getMostSignificantBits(), id.getLeastSignificantBits(), PRESENT);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static Entry parse(String line) {
        try {
            JsonNode json = RestoreJson.MAPPER.readTree(line);
            UUID id = UUID.fromString(json.path("id").asText());
            byte state = switch (json.path("state").asText()) {
                case "sent" -> SENT;
                case "created" -> CREATED;
                case "not-created" -> NOT_CREATED;
                default -> 0;
            };
            return state == 0 ? null : new Entry(id.getMostSignificantBits(), id.getLeastSignificantBits(), state);
        } catch (IOException | IllegalArgumentException | NullPointerException unreadable) {
            return null;
        }
    }

    /** Sorts a run by id, keeping the journal's order among equal ids (a stable sort), and writes the last state of each. */
    private static Path writeRun(List<Entry> run, Path file) throws IOException {
        run.sort(Entry.BY_ID);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (int i = 0; i < run.size(); i++) {
                Entry entry = run.get(i);
                boolean lastOfItsId = i + 1 == run.size() || Entry.BY_ID.compare(entry, run.get(i + 1)) != 0;
                if (lastOfItsId) {
                    write(out, entry);
                }
            }
        }
        return file;
    }

    private static final class RunReader {
        final int run;
        final DataInputStream in;
        Entry current;

        RunReader(int run, Path file) throws IOException {
            this.run = run;
            this.in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16));
            advance();
        }

        void advance() throws IOException {
            try {
                current = new Entry(in.readLong(), in.readLong(), in.readByte());
            } catch (EOFException end) {
                current = null;
                in.close();
            }
        }
    }

    /** Merges sorted runs; for an id in several runs, the later run (the later lines of the journal) wins. */
    private static void merge(List<Path> runs, Path index) throws IOException {
        PriorityQueue<RunReader> queue = new PriorityQueue<>(Comparator.<RunReader, Entry>comparing(r -> r.current, Entry.BY_ID)
                .thenComparingInt(r -> r.run));
        for (int i = 0; i < runs.size(); i++) {
            RunReader reader = new RunReader(i, runs.get(i));
            if (reader.current != null) {
                queue.add(reader);
            }
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(index), 1 << 16))) {
            while (!queue.isEmpty()) {
                RunReader reader = queue.poll();
                Entry entry = reader.current;
                reader.advance();
                if (reader.current != null) {
                    queue.add(reader);
                }
                RunReader next = queue.peek();
                boolean lastOfItsId = next == null || Entry.BY_ID.compare(entry, next.current) != 0;
                if (lastOfItsId) {
                    write(out, entry);
                }
            }
        }
    }

    private static void write(DataOutputStream out, Entry entry) throws IOException {
        out.writeLong(entry.high());
        out.writeLong(entry.low());
        out.writeByte(entry.state());
    }
}
