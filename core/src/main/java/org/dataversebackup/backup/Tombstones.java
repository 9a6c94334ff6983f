package org.dataversebackup.backup;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import org.dataversebackup.snapshot.PartFile;
import org.dataversebackup.snapshot.PartWriter;
import org.dataversebackup.snapshot.SnapshotJson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rows an incremental read finds deleted: the {@code $deletedEntity} entries of a change-tracking
 * page ({@code {"@odata.context": "...$deletedEntity", "id": "<guid>", "reason": "deleted"}}). Each
 * becomes a tombstone line {@code {"id", "table", "seenAt"}}, appended to a local file as it comes (a
 * mass delete never fills the memory), and written as the table's tombstone parts once its rows are.
 */
final class Tombstones {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final String table;
    private final String seenAt;
    private BufferedWriter writer;
    private long count;

    /** @param seenAt when the deletions were found (the snapshot's start) */
    Tombstones(Path workDir, String table, Instant seenAt) {
        this.file = workDir.resolve(table + ".tombstones.ndjson");
        this.table = table;
        this.seenAt = seenAt.toString();
    }

    /**
     * Whether a record of a change-tracking page is a deleted row rather than a new or changed one:
     * a deleted row's first property is its {@code @odata.context}, ending in {@code /$deletedEntity}
     * (rows carry no context of their own), so a column whose text mentions it is never mistaken.
     */
    static boolean isDeletion(byte[] record) {
        try (JsonParser parser = JSON.createParser(record)) {
            return parser.nextToken() == JsonToken.START_OBJECT && parser.nextToken() == JsonToken.FIELD_NAME
                    && "@odata.context".equals(parser.currentName()) && parser.nextToken() == JsonToken.VALUE_STRING
                    && parser.getText().endsWith("/$deletedEntity");
        } catch (IOException e) {
            return false; // not JSON: left to the row's own check
        }
    }

    void add(byte[] deletedEntity) {
        try {
            JsonNode entry = SnapshotJson.MAPPER.readTree(deletedEntity);
            String id = entry.path("id").asText("");
            if (id.isEmpty()) {
                throw new IllegalStateException(table + ": a deleted row without its id in a change-tracking page: "
                        + new String(deletedEntity, StandardCharsets.UTF_8));
            }
            Map<String, String> tombstone = new LinkedHashMap<>();
            tombstone.put("id", id);
            tombstone.put("table", table);
            tombstone.put("seenAt", seenAt);
            if (writer == null) {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            writer.write(SnapshotJson.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(tombstone)); // one line each
            writer.write('\n');
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record a deleted row of " + table + " in " + file + ": " + e.getMessage(), e);
        }
    }

    long count() {
        return count;
    }

    /** The tombstone parts, written one at a time as the iterator is consumed; the local file goes with the last. */
    Iterator<PartFile> parts(PartWriter partWriter, int chunkRecords) {
        if (count == 0) {
            return Collections.emptyIterator();
        }
        BufferedReader reader;
        try {
            writer.close();
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the deleted rows of " + table + " from " + file + ": " + e.getMessage(), e);
        }
        Iterator<byte[]> lines = new Iterator<>() {
            private String next = read();

            private String read() {
                try {
                    String line = reader.readLine();
                    if (line == null) {
                        reader.close();
                        Files.deleteIfExists(file);
                    }
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public byte[] next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                byte[] line = next.getBytes(StandardCharsets.UTF_8);
                next = read();
                return line;
            }
        };
        RecordChunks chunks = new RecordChunks(lines, chunkRecords);
        return new Iterator<>() {
            private int partNumber;

            @Override
            public boolean hasNext() {
                return chunks.hasNext();
            }

            @Override
            public PartFile next() {
                partNumber++;
                return partWriter.write(chunks.next(), table, partNumber, PartFile.tombstonePath(table, partNumber));
            }
        };
    }
}
