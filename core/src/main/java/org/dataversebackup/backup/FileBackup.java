package org.dataversebackup.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.FileColumnTransfer;
import org.dataversebackup.snapshot.CountingOutputStream;
import org.dataversebackup.snapshot.DiskSpace;
import org.dataversebackup.snapshot.Sha256;
import org.dataversebackup.snapshot.SnapshotEncryption;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up the contents of file and image columns, one file at a time per table, after the
 * table's rows: each noted record's file is downloaded in chunks ({@link FileColumnTransfer}; the
 * full-sized image where the column keeps it, else the thumbnail) into a local file of the run's
 * work folder, encrypted as it is written with {@code snapshot.encryption-key}, then stored by
 * {@code snapshot-write} at {@code files/<table>/<record id>/<column>} like a data part. Memory
 * holds one chunk whatever the file's size. Size and SHA-256 of the stored file and of the content
 * go to the manifest with Dataverse's file name and MIME type. A file larger than
 * {@code backup.max-file-bytes} is skipped with a warning and listed in the manifest as skipped.
 */
public class FileBackup {
    private static final Logger LOG = LoggerFactory.getLogger(FileBackup.class);
    static final String ENTRY_HEADER = "dvbFileEntry";
    static final String LOCAL_FILE_HEADER = "dvbFileLocal";

    private final Supplier<DataverseClient> client;
    private final SnapshotEncryption encryption;
    private final long maxFileBytes;

    /** @param maxFileBytes files larger than this are skipped ({@code Long.MAX_VALUE}: none) */
    public FileBackup(Supplier<DataverseClient> client, SnapshotEncryption encryption, long maxFileBytes) {
        this.client = client;
        this.encryption = encryption;
        this.maxFileBytes = maxFileBytes;
    }

    /** The table's files to back up, as noted while its rows were read (none without file or image columns). */
    public Iterator<FileReferences.Ref> references(@Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        FileReferences references = run.table(table).fileReferences();
        return references == null ? Collections.emptyIterator() : references.read();
    }

    /**
     * Downloads one file to the work folder: the body becomes the local file, with where it goes;
     * null when there is nothing to store (the file was removed since its row was read, or it is
     * larger than {@code backup.max-file-bytes}: recorded as skipped).
     */
    public java.io.File download(FileReferences.Ref ref, @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run,
            Message message) {
        if (run.ended()) {
            throw new IllegalStateException("Backup " + run.snapshotId() + " has ended; " + ref.table() + " stops here");
        }
        if (ref.extracted() != null) {
            return takenFromRecord(ref, run, message);
        }
        String relative = SnapshotManifest.FileEntry.relativePath(ref.table(), ref.id(), ref.column().logicalName());
        String storedPath = encryption.storedPath(relative);
        Path local = null;
        try {
            Files.createDirectories(run.workDir());
            local = Files.createTempFile(run.workDir(), ref.table() + "-file-", ".bin");
            MessageDigest stored = Sha256.digest();
            Optional<FileColumnTransfer.Downloaded> downloaded;
            CountingOutputStream counted;
            try (OutputStream fileOut = Files.newOutputStream(local);
                    CountingOutputStream counting = new CountingOutputStream(new DigestOutputStream(fileOut, stored));
                    OutputStream out = new BufferedOutputStream(encryption.encrypting(counting, run.snapshotId(), storedPath),
                            1 << 16)) {
                counted = counting;
                downloaded = new FileColumnTransfer(client.get()).download(ref.entitySetName(), UUID.fromString(ref.id()),
                        ref.column().logicalName(), ref.column().fullImage(), maxFileBytes, out);
            }
            if (downloaded.isEmpty()) {
                LOG.info("{} {}: the {} file was removed since the row was read; not in the snapshot", ref.table(), ref.id(),
                        ref.column().logicalName());
                Files.deleteIfExists(local);
                return null;
            }
            FileColumnTransfer.Downloaded file = downloaded.get();
            SnapshotManifest.FileEntry entry = new SnapshotManifest.FileEntry(ref.table(), ref.id(), ref.column().logicalName(),
                    storedPath, counted.count(), Sha256.hex(stored), file.size(), file.sha256(), file.fileName(),
                    file.mimeType(), ref.column().imageSize(), null);
            message.setHeader(ENTRY_HEADER, entry);
            message.setHeader(LOCAL_FILE_HEADER, local);
            message.setHeader(BackupRoutes.STORAGE_KEY_HEADER, run.storageKey(storedPath));
            message.setHeader(BackupSteps.CONTENT_LENGTH, counted.count());
            return local.toFile();
        } catch (FileColumnTransfer.TooLarge e) {
            deleteQuietly(local);
            LOG.warn("{} {}: the {} file {} is {} bytes, more than backup.max-file-bytes ({}); skipped", ref.table(), ref.id(),
                    ref.column().logicalName(), e.fileName(), e.size(), maxFileBytes);
            run.table(ref.table()).fileWritten(new SnapshotManifest.FileEntry(ref.table(), ref.id(),
                    ref.column().logicalName(), null, null, null, e.size(), null, e.fileName(), null, ref.column().imageSize(),
                    "larger than backup.max-file-bytes (" + maxFileBytes + ")"));
            return null;
        } catch (IOException e) {
            deleteQuietly(local);
            throw new UncheckedIOException(DiskSpace.describe("Cannot write the " + ref.column().logicalName() + " file of "
                    + ref.table() + " " + ref.id() + " in " + run.workDir(), run.workDir(), e), e);
        } catch (RuntimeException e) {
            deleteQuietly(local);
            throw e;
        }
    }

    /**
     * An attachment body already taken out of its record while the rows were read: nothing to
     * download, the local file is stored as it is (or skipped when larger than backup.max-file-bytes).
     */
    private java.io.File takenFromRecord(FileReferences.Ref ref, SnapshotRun run, Message message) {
        RecordBodies.Extracted body = ref.extracted();
        if (body.size() > maxFileBytes) {
            deleteQuietly(body.local());
            LOG.warn("{} {}: the {} {} is {} bytes, more than backup.max-file-bytes ({}); skipped", ref.table(), ref.id(),
                    body.column(), body.fileName(), body.size(), maxFileBytes);
            run.table(ref.table()).fileWritten(new SnapshotManifest.FileEntry(ref.table(), ref.id(), body.column(), null,
                    null, null, body.size(), null, body.fileName(), null, null,
                    "larger than backup.max-file-bytes (" + maxFileBytes + ")"));
            return null;
        }
        SnapshotManifest.FileEntry entry = new SnapshotManifest.FileEntry(ref.table(), ref.id(), body.column(),
                body.storedPath(), body.storedBytes(), body.storedSha256(), body.size(), body.sha256(), body.fileName(),
                body.mimeType(), null, null);
        message.setHeader(ENTRY_HEADER, entry);
        message.setHeader(LOCAL_FILE_HEADER, body.local());
        message.setHeader(BackupRoutes.STORAGE_KEY_HEADER, run.storageKey(body.storedPath()));
        message.setHeader(BackupSteps.CONTENT_LENGTH, body.storedBytes());
        return body.local().toFile();
    }

    /** The file is in the target: recorded for the manifest, the local copy removed. */
    public void stored(@Header(ENTRY_HEADER) SnapshotManifest.FileEntry entry, @Header(LOCAL_FILE_HEADER) Path local,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        run.table(entry.table()).fileWritten(entry);
        deleteQuietly(local);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the work folder is deleted when the run ends
            }
        }
    }
}
