package org.dataversebackup.backup;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.dataversebackup.dataverse.FileColumn;
import org.dataversebackup.snapshot.SnapshotJson;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The records of a table that hold a file or image value, noted while its rows are read (one line
 * per record and column in a file of the run's work folder, so memory does not grow with the
 * table), and read back once the rows are stored: the files are downloaded after the rows.
 * Attachment bodies inside the records (notes) are taken out there and then ({@link RecordBodies})
 * and noted with the local file that holds them.
 */
final class FileReferences {
    /**
     * One file to back up: the record and its column; {@code extracted} when the body was taken out
     * of the record (nothing to download), else null.
     */
    record Ref(String table, String entitySetName, String id, FileColumn column, RecordBodies.Extracted extracted) {
    }

    private final String table;
    private final String entitySetName;
    private final String primaryKey;
    private final List<FileColumn> columns;
    private final Path file;
    private BufferedWriter out;
    private long count;

    /** Takes attachment bodies out of the records, or null when the table has none. */
    private final RecordBodies bodies;

    FileReferences(Path workDir, TableScope scope, List<FileColumn> columns, RecordBodies bodies) {
        this.bodies = bodies != null && bodies.any() ? bodies : null;
        this.table = scope.logicalName();
        this.entitySetName = scope.entitySetName();
        this.primaryKey = scope.primaryIdAttribute();
        this.columns = columns;
        try {
            Files.createDirectories(workDir);
            this.file = Files.createTempFile(workDir, table + "-files-", ".txt");
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot note the files of " + table + " in " + workDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Notes the record's file and image values (a record as the Web API returned it) and takes its
     * attachment bodies out: the record to store.
     */
    byte[] add(byte[] record) {
        RecordBodies.Result result;
        try {
            result = bodies == null ? new RecordBodies.Result(record, List.of()) : bodies.extract(record);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot take the attachment bodies out of a " + table + " record: " + e.getMessage(), e);
        }
        note(result);
        return result.record();
    }

    private synchronized void note(RecordBodies.Result result) {
        JsonNode row;
        try {
            row = SnapshotJson.MAPPER.readTree(result.record());
            String id = row.path(primaryKey).asText("");
            if (id.isEmpty()) {
                return;
            }
            for (RecordBodies.Extracted body : result.bodies()) {
                out.write(id);
                out.write('\t');
                out.write(Integer.toString(indexOf(body.column())));
                out.write('\t');
                out.write(extractedJson(body).toString()); // compact: one line
                out.write('\n');
                count++;
            }
            for (int i = 0; i < columns.size(); i++) {
                if (!columns.get(i).inRecord() && columns.get(i).hasValue(row)) {
                    out.write(id);
                    out.write('\t');
                    out.write(Integer.toString(i));
                    out.write('\n');
                    count++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot note the files of " + table + ": " + e.getMessage(), e);
        }
    }

    private int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).logicalName().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(column);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode extractedJson(RecordBodies.Extracted b) {
        return SnapshotJson.MAPPER.createObjectNode().put("local", b.local().toString()).put("storedPath", b.storedPath())
                .put("storedBytes", b.storedBytes()).put("storedSha256", b.storedSha256()).put("size", b.size())
                .put("sha256", b.sha256()).put("fileName", b.fileName()).put("mimeType", b.mimeType());
    }

    private static RecordBodies.Extracted extracted(String column, String json) throws IOException {
        JsonNode b = SnapshotJson.MAPPER.readTree(json);
        return new RecordBodies.Extracted(column, Path.of(b.path("local").asText()), b.path("storedPath").asText(),
                b.path("storedBytes").asLong(), b.path("storedSha256").asText(), b.path("size").asLong(),
                b.path("sha256").asText(), b.path("fileName").isNull() ? null : b.path("fileName").asText(null),
                b.path("mimeType").isNull() ? null : b.path("mimeType").asText(null));
    }

    synchronized long count() {
        return count;
    }

    /** The noted files, in the order the rows came; the note is closed first. */
    synchronized Iterator<Ref> read() {
        try {
            out.close();
            BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            return new Iterator<>() {
                private String next = in.readLine();

                @Override
                public boolean hasNext() {
                    if (next == null) {
                        close(in);
                    }
                    return next != null;
                }

                @Override
                public Ref next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    String[] fields = next.split("\t", 3);
                    FileColumn column = columns.get(Integer.parseInt(fields[1]));
                    try {
                        Ref ref = new Ref(table, entitySetName, fields[0], column,
                                fields.length == 3 ? extracted(column.logicalName(), fields[2]) : null);
                        next = in.readLine();
                        return ref;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the files of " + table + " noted in " + file + ": " + e.getMessage(), e);
        }
    }

    private void close(BufferedReader in) {
        try {
            in.close();
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the work folder goes when the run ends
        }
    }
}
