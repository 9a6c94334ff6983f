package org.dataversebackup.snapshot;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.zip.GZIPOutputStream;

/**
 * Writes records to a gzip NDJSON part file on local disk, one JSON record per line, streaming:
 * memory holds one record at a time. Counts the records and bytes and computes the SHA-256 of the
 * file as it is written, for the manifest. With {@code snapshot.encryption-key} the gzip stream is
 * encrypted as it is written ({@link SnapshotEncryption}); size and SHA-256 are those of the stored file.
 */
public class PartWriter {
    private final Path workDir;
    private final SnapshotEncryption encryption;
    private final String snapshotId;

    /** A writer of parts in the clear. */
    public PartWriter(Path workDir) {
        this(workDir, SnapshotEncryption.none(), "");
    }

    public PartWriter(Path workDir, SnapshotEncryption encryption, String snapshotId) {
        this.workDir = workDir;
        this.encryption = encryption;
        this.snapshotId = snapshotId;
    }

    /** Writes one data part; a part that could not be written completely is deleted, never left behind. */
    public PartFile write(Iterator<byte[]> records, String table, int partNumber) {
        return write(records, table, partNumber, PartFile.relativePath(table, partNumber));
    }

    /** Writes one part that goes to {@code relativePath} in the snapshot (data or tombstones). */
    public PartFile write(Iterator<byte[]> records, String table, int partNumber, String relativePath) {
        Path file = null;
        try {
            Files.createDirectories(workDir);
            file = Files.createTempFile(workDir, table + "-part-" + partNumber + "-", ".ndjson.gz");
            String storedPath = encryption.storedPath(relativePath);
            MessageDigest sha256 = Sha256.digest();
            long count = 0;
            CountingOutputStream counted;
            try (OutputStream fileOut = Files.newOutputStream(file);
                    CountingOutputStream counting = new CountingOutputStream(new DigestOutputStream(fileOut, sha256));
                    GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(
                            encryption.encrypting(counting, snapshotId, storedPath), 1 << 16), 1 << 16)) {
                counted = counting;
                while (records.hasNext()) {
                    gzip.write(records.next());
                    gzip.write('\n');
                    count++;
                }
            }
            return new PartFile(file, storedPath, count, counted.count(), Sha256.hex(sha256));
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(DiskSpace.describe("Cannot write data part " + partNumber + " of " + table
                    + " in " + workDir, workDir, e), e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the backup's work folder is deleted when it ends
            }
        }
    }
}
