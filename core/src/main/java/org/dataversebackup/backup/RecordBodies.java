package org.dataversebackup.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.dataversebackup.dataverse.FileColumn;
import org.dataversebackup.snapshot.CountingOutputStream;
import org.dataversebackup.snapshot.Sha256;
import org.dataversebackup.snapshot.SnapshotEncryption;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Takes the attachment bodies that the Web API returns inside records (a note's
 * {@code documentbody}, an email attachment's {@code body}: base64 strings) out of the record as it
 * is read: the base64 is decoded by the JSON parser straight into a local file of the run's work
 * folder (encrypted as it is written, like any stored file), never as a Java string, and the
 * record keeps {@code "documentbody": null} with the marker {@code "documentbody@dvb.file":
 * "files/annotation/<id>/documentbody"}. So parts stay small whatever the attachments weigh, a
 * body is stored and checked like the file of a file column, and restore knows the null stands
 * for a body kept apart. Memory holds the record as the page gave it, nothing more.
 */
final class RecordBodies {
    /** The suffix of the marker property that says where a body taken out of the record is stored. */
    static final String MARKER = SnapshotManifest.FileEntry.RECORD_MARKER;

    /** A body taken out of a record, in a local file ready to be stored. */
    record Extracted(String column, Path local, String storedPath, long storedBytes, String storedSha256, long size,
            String sha256, String fileName, String mimeType) {
    }

    /** The record without its bodies, and the bodies taken out. */
    record Result(byte[] record, List<Extracted> bodies) {
    }

    private final Path workDir;
    private final String table;
    private final String primaryKey;
    private final List<FileColumn> columns;
    private final SnapshotEncryption encryption;
    private final String snapshotId;

    RecordBodies(Path workDir, String table, String primaryKey, List<FileColumn> columns, SnapshotEncryption encryption,
            String snapshotId) {
        this.workDir = workDir;
        this.table = table;
        this.primaryKey = primaryKey;
        this.columns = columns.stream().filter(FileColumn::inRecord).toList();
        this.encryption = encryption;
        this.snapshotId = snapshotId;
    }

    boolean any() {
        return !columns.isEmpty();
    }

    /** The record with its non-empty bodies taken out (unchanged when it has none). */
    Result extract(byte[] record) throws IOException {
        String id = null;
        String fileName = null;
        String mimeType = null;
        boolean hasBody = false;
        // first pass: the id names the stored file, whatever the order of the properties; string values are skipped unread
        try (JsonParser p = SnapshotJson.MAPPER.getFactory().createParser(record)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Result(record, List.of());
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(primaryKey) && value == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else if ("filename".equals(name) && value == JsonToken.VALUE_STRING) {
                    fileName = p.getText();
                } else if ("mimetype".equals(name) && value == JsonToken.VALUE_STRING) {
                    mimeType = p.getText();
                } else if (body(name) != null && value == JsonToken.VALUE_STRING) {
                    hasBody = true;
                } else {
                    p.skipChildren();
                }
            }
        }
        if (!hasBody || id == null) {
            return new Result(record, List.of());
        }
        List<Extracted> bodies = new ArrayList<>();
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream(Math.min(record.length, 1 << 16));
        try (JsonParser p = SnapshotJson.MAPPER.getFactory().createParser(record);
                JsonGenerator g = SnapshotJson.MAPPER.getFactory().createGenerator(rewritten)) {
            p.nextToken();
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                FileColumn column = body(name);
                if (column != null && value == JsonToken.VALUE_STRING) {
                    Extracted body = write(p, id, column, fileName, mimeType);
                    if (body.size() > 0) {
                        bodies.add(body);
                        g.writeNullField(name);
                        g.writeStringField(name + MARKER, SnapshotManifest.FileEntry.relativePath(table, id, name));
                    } else {
                        Files.deleteIfExists(body.local());
                        g.writeStringField(name, "");
                    }
                } else {
                    g.writeFieldName(name);
                    g.copyCurrentStructure(p);
                }
            }
            g.writeEndObject();
        } catch (IOException | RuntimeException e) {
            for (Extracted body : bodies) {
                Files.deleteIfExists(body.local());
            }
            throw e;
        }
        return new Result(rewritten.toByteArray(), bodies);
    }

    private FileColumn body(String property) {
        for (FileColumn c : columns) {
            if (c.logicalName().equals(property)) {
                return c;
            }
        }
        return null;
    }

    /** Decodes the base64 value the parser is on into an encrypted local file. */
    private Extracted write(JsonParser p, String id, FileColumn column, String fileName, String mimeType) throws IOException {
        String relative = SnapshotManifest.FileEntry.relativePath(table, id, column.logicalName());
        String storedPath = encryption.storedPath(relative);
        Files.createDirectories(workDir);
        Path local = Files.createTempFile(workDir, table + "-body-", ".bin");
        MessageDigest stored = Sha256.digest();
        MessageDigest content = Sha256.digest();
        long size;
        CountingOutputStream storedCount;
        try (OutputStream fileOut = Files.newOutputStream(local);
                CountingOutputStream counting = new CountingOutputStream(new DigestOutputStream(fileOut, stored));
                OutputStream encrypted = encryption.encrypting(counting, snapshotId, storedPath);
                CountingOutputStream plain = new CountingOutputStream(new DigestOutputStream(encrypted, content))) {
            storedCount = counting;
            p.readBinaryValue(plain);
            plain.flush();
            size = plain.count();
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
            // Jackson reports a bad base64 character as IllegalArgumentException, bad JSON as JacksonException
            Files.deleteIfExists(local);
            throw new IllegalArgumentException(table + " " + id + ": the " + column.logicalName()
                    + " value is not base64: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(local);
            throw e;
        }
        return new Extracted(column.logicalName(), local, storedPath, storedCount.count(), Sha256.hex(stored), size,
                Sha256.hex(content), fileName, mimeType);
    }
}
