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
 */
final class FileReferences {
    /** One file to back up: the record and its column. */
    record Ref(String table, String entitySetName, String id, FileColumn column) {
    }

    private final String table;
    private final String entitySetName;
    private final String primaryKey;
    private final List<FileColumn> columns;
    private final Path file;
    private BufferedWriter out;
    private long count;

    FileReferences(Path workDir, TableScope scope, List<FileColumn> columns) {
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

    /** Notes the record's file and image values (a record as the Web API returned it). */
    synchronized void add(byte[] record) {
        JsonNode row;
        try {
            row = SnapshotJson.MAPPER.readTree(record);
            String id = row.path(primaryKey).asText("");
            if (id.isEmpty()) {
                return;
            }
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).hasValue(row)) {
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
                    int tab = next.indexOf('\t');
                    Ref ref = new Ref(table, entitySetName, next.substring(0, tab),
                            columns.get(Integer.parseInt(next.substring(tab + 1))));
                    try {
                        next = in.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return ref;
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
