package org.dataversebackup.snapshot;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.zip.GZIPOutputStream;

/**
 * Writes records to a gzip NDJSON part file on local disk, one JSON record per line, streaming:
 * memory holds one record at a time. Counts the records and bytes and computes the SHA-256 of the
 * file as it is written, for the manifest.
 */
public class PartWriter {
    private final Path workDir;

    public PartWriter(Path workDir) {
        this.workDir = workDir;
    }

    public PartFile write(Iterator<byte[]> records, String table, int partNumber) {
        try {
            Files.createDirectories(workDir);
            Path file = Files.createTempFile(workDir, table + "-part-" + partNumber + "-", ".ndjson.gz");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long count = 0;
            CountingOutputStream counted;
            try (OutputStream fileOut = Files.newOutputStream(file);
                    CountingOutputStream counting = new CountingOutputStream(new DigestOutputStream(fileOut, sha256));
                    GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(counting, 1 << 16), 1 << 16)) {
                counted = counting;
                while (records.hasNext()) {
                    gzip.write(records.next());
                    gzip.write('\n');
                    count++;
                }
            }
            return new PartFile(file, PartFile.relativePath(table, partNumber), count, counted.count,
                    HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a data part of " + table + " in " + workDir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
