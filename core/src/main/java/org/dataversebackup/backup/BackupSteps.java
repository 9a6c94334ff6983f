package org.dataversebackup.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.dataversebackup.snapshot.PartFile;
import org.dataversebackup.snapshot.Sha256;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotSigning;
import org.dataversebackup.text.Quantities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the backup routes that need Java: each prepares one file of the snapshot (schema,
 * data part, manifest) as the message body, with where it goes in header
 * {@value BackupRoutes#STORAGE_KEY_HEADER}, for {@code direct:snapshot-write} to store; and records what
 * was stored in the {@link SnapshotRun}.
 */
public class BackupSteps {
    private static final Logger LOG = LoggerFactory.getLogger(BackupSteps.class);
    static final String PART_HEADER = "dvbPartFile";
    static final String CONTENT_LENGTH = "CamelAwsS3ContentLength";

    static final String MANIFEST_BYTES = "dvbManifestBytes";

    private final TableSchemas schemas;
    private final BackupProgress progress;
    private final SnapshotKeys keys;
    /** {@code backup.files}: the contents of file and image columns are backed up too. */
    private final boolean files;

    public BackupSteps(TableSchemas schemas, BackupProgress progress, SnapshotKeys keys) {
        this(schemas, progress, keys, true);
    }

    public BackupSteps(TableSchemas schemas, BackupProgress progress, SnapshotKeys keys, boolean files) {
        this.schemas = schemas;
        this.progress = progress;
        this.keys = keys;
        this.files = files;
    }

    /** The table's schema, for schema/<table>.json (encrypted, as schema/<table>.json.enc, with snapshot.encryption-key). */
    public byte[] schema(@Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run, Message message) {
        SnapshotRun.TableState state = run.table(table);
        byte[] schema = schemas.read(state.scope());
        if (files) {
            try {
                state.fileColumns(org.dataversebackup.dataverse.FileColumn.of(SnapshotJson.MAPPER.readTree(schema)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String path = keys.encryption().storedPath(TableSchemas.path(state.scope()));
        byte[] stored = keys.encryption().encrypt(schema, run.snapshotId(), path);
        state.schemaWritten(path, Sha256.hex(stored));
        return file(message, run.storageKey(path), stored);
    }

    /** A part written locally, to be stored: the body becomes its file. */
    public java.io.File part(PartFile part, @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run, Message message) {
        message.setHeader(PART_HEADER, part);
        message.setHeader(BackupRoutes.STORAGE_KEY_HEADER, run.storageKey(part.relativePath()));
        message.setHeader(CONTENT_LENGTH, part.bytes());
        return part.localFile().toFile();
    }

    /** The part is in the target: record it in the manifest and remove the local copy. */
    public void partStored(@Header(PART_HEADER) PartFile part, @Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        run.table(table).partWritten(part);
        try {
            Files.deleteIfExists(part.localFile());
        } catch (IOException e) {
            LOG.warn("Could not remove the local copy {} of a stored part: {}", part.localFile(), e.getMessage());
        }
    }

    public void tableDone(@Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        SnapshotRun.TableState state = run.table(table);
        if (state.startedAt() == null) {
            state.started(Instant.now());
        }
        state.completed(Instant.now());
        progress.tableCompleted(state);
    }

    /**
     * A table failed. Normally the snapshot fails, naming the table (and gets no manifest). Only a
     * table found through {@code *} that Dataverse does not let be read as a collection at all
     * (400, 404, 405 or 501: a virtual or internal table) is recorded as skipped instead, with the
     * reason, so that {@code *} works on real environments; a table asked for by name never is.
     */
    public void tableFailed(@Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run,
            @ExchangeProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT) Exception failure) {
        SnapshotRun.TableState state = run.table(table);
        org.dataversebackup.dataverse.DataverseException refused = find(failure);
        if (!state.scope().named() && refused != null
                && java.util.Set.of(400, 404, 405, 501).contains(refused.status())) {
            LOG.warn("{}: skipped, Dataverse does not let it be read as a collection: {}", table, refused.getMessage());
            state.skipped(refused.getMessage(), Instant.now());
            return;
        }
        throw new TableBackupException(table, failure);
    }

    private static org.dataversebackup.dataverse.DataverseException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.dataversebackup.dataverse.DataverseException e) {
                return e;
            }
        }
        return null;
    }

    /**
     * Every table is stored: the manifest is fixed now (header {@code dvbManifest}, its bytes in an
     * exchange property). Answers whether it is to be signed ({@code snapshot.signing-key}).
     */
    public boolean seal(@ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run, org.apache.camel.Exchange exchange) {
        SnapshotManifest manifest = run.manifest(Instant.now()).encrypted(keys.encryption().manifestEntry());
        exchange.getMessage().setHeader("dvbManifest", manifest);
        try {
            exchange.setProperty(MANIFEST_BYTES, SnapshotJson.MAPPER.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys.signing().signs();
    }

    /** The manifest's signature, stored before the manifest so that a complete snapshot is always signed. */
    public byte[] signature(@ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run,
            @ExchangeProperty(MANIFEST_BYTES) byte[] manifest, Message message) {
        return file(message, run.storageKey(SnapshotSigning.FILE_NAME), keys.signing().signatureFile(manifest));
    }

    /** The manifest, written last: only a snapshot with a manifest is complete. */
    public byte[] manifest(@ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run,
            @ExchangeProperty(MANIFEST_BYTES) byte[] manifest, Message message) {
        return file(message, run.storageKey(SnapshotManifest.FILE_NAME), manifest);
    }

    /**
     * The snapshot is complete: logs the summary and answers the caller with it (JSON), the
     * location and id in headers.
     */
    public String complete(@ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run,
            @Header("dvbManifest") SnapshotManifest manifest, @Header(BackupHeaders.ENVIRONMENT) String environment,
            Message message) throws IOException {
        message.setHeader(BackupHeaders.LOCATION, run.location());
        message.setHeader(BackupHeaders.SNAPSHOT_ID, run.snapshotId());
        List<Map<String, Object>> tables = run.tables().stream().map(t -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("table", t.scope().logicalName());
            row.put("records", t.recordsInParts());
            row.put("bytes", t.bytesInParts());
            row.put("jsonBytes", t.jsonBytesRead());
            row.put("seconds", t.elapsed().toMillis() / 1000.0);
            if (t.skippedReason() != null) {
                row.put("skipped", t.skippedReason());
            }
            return row;
        }).toList();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("outcome", "success");
        summary.put("environment", environment);
        summary.put("snapshotId", run.snapshotId());
        summary.put("location", run.location());
        summary.put("records", manifest.totalRecords());
        summary.put("bytes", manifest.totalBytes());
        summary.put("jsonBytes", run.tables().stream().mapToLong(SnapshotRun.TableState::jsonBytesRead).sum());
        summary.put("seconds", java.time.Duration.between(java.time.Instant.parse(manifest.startedAt()),
                java.time.Instant.parse(manifest.completedAt())).toMillis() / 1000.0);
        run.limitedBy().ifPresent(limit -> {
            summary.put("limitedBy", limit);
            LOG.info("Backup {}: {}", run.snapshotId(), limit);
        });
        summary.put("tables", tables);
        List<SnapshotManifest.FileEntry> files = manifest.fileEntries();
        if (!files.isEmpty()) {
            summary.put("files", files.stream().filter(SnapshotManifest.FileEntry::stored).count());
            List<String> skipped = files.stream().filter(f -> !f.stored())
                    .map(f -> f.table() + " " + f.id() + " " + f.column() + " (" + f.fileName() + ", " + f.size() + " bytes)")
                    .toList();
            if (!skipped.isEmpty()) {
                summary.put("filesSkipped", skipped);
                LOG.warn("Backup {}: {} larger than backup.max-file-bytes not in the snapshot: {}", run.snapshotId(),
                        Quantities.count(skipped.size(), "file"), String.join("; ", skipped));
            }
        }
        LOG.info("Backup {} complete: {}, {}, {}, at {}", run.snapshotId(), Quantities.count(tables.size(), "table"),
                Quantities.count(manifest.totalRecords(), "record"), Quantities.count(manifest.totalBytes(), "byte"),
                run.location());
        return SnapshotJson.MAPPER.writeValueAsString(summary);
    }

    private static byte[] file(Message message, String storageKey, byte[] content) {
        message.setHeader(BackupRoutes.STORAGE_KEY_HEADER, storageKey);
        message.setHeader(CONTENT_LENGTH, (long) content.length);
        return content;
    }
}
