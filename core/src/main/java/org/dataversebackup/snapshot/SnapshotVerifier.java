package org.dataversebackup.snapshot;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import org.dataversebackup.config.ConfigurationException;

/**
 * Checks a snapshot against its manifest: every part exists, has the recorded size and SHA-256,
 * decompresses, and holds the recorded number of records. Streams each part once.
 */
public class SnapshotVerifier {
    private final SnapshotStore snapshot;

    /** @param snapshot a store rooted at the snapshot folder (where manifest.json is) */
    public SnapshotVerifier(SnapshotStore snapshot) {
        this.snapshot = snapshot;
    }

    public record Problem(String path, String problem) {
    }

    public record Report(SnapshotManifest manifest, int partsChecked, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public SnapshotManifest manifest() {
        Optional<InputStream> in = snapshot.open(SnapshotManifest.FILE_NAME);
        if (in.isEmpty()) {
            throw new ConfigurationException(snapshot.location("") + " is not a complete snapshot: it has no "
                    + SnapshotManifest.FILE_NAME + " (an interrupted backup, or not a snapshot folder).");
        }
        try (InputStream manifest = in.get()) {
            SnapshotManifest parsed = SnapshotJson.MAPPER.readValue(manifest, SnapshotManifest.class);
            if (parsed.formatVersion() != SnapshotManifest.FORMAT_VERSION) {
                throw new ConfigurationException(snapshot.location(SnapshotManifest.FILE_NAME) + " has format version "
                        + parsed.formatVersion() + "; this version of dataverse-backup reads version "
                        + SnapshotManifest.FORMAT_VERSION + ".");
            }
            return parsed;
        } catch (IOException e) {
            throw new ConfigurationException(snapshot.location(SnapshotManifest.FILE_NAME) + " is not a valid manifest: "
                    + e.getMessage(), e);
        }
    }

    public Report verify() {
        SnapshotManifest manifest = manifest();
        List<Problem> problems = new ArrayList<>();
        int checked = 0;
        for (SnapshotManifest.Table table : manifest.tables()) {
            if (table.schema() != null && snapshot.open(table.schema()).map(SnapshotVerifier::closeQuietly).isEmpty()) {
                problems.add(new Problem(table.schema(), "is missing"));
            }
            for (SnapshotManifest.Part part : table.parts()) {
                checked++;
                checkPart(part).ifPresent(p -> problems.add(new Problem(part.path(), p)));
            }
        }
        return new Report(manifest, checked, problems);
    }

    /** What is wrong with a part, or empty when it matches the manifest. */
    public Optional<String> checkPart(SnapshotManifest.Part part) {
        return checkPart(part, java.io.OutputStream.nullOutputStream());
    }

    /**
     * Checks a part against the manifest while copying its bytes to {@code copy} (restore keeps a
     * verified local copy, so a part is read from the target once). Returns what is wrong, or
     * empty when it matches; the copy is only to be used when it does.
     */
    public Optional<String> checkPart(SnapshotManifest.Part part, java.io.OutputStream copy) {
        Optional<InputStream> in = snapshot.open(part.path());
        if (in.isEmpty()) {
            return Optional.of("is missing");
        }
        try (InputStream raw = in.get()) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            CountingInputStream counted = new CountingInputStream(new DigestInputStream(raw, sha256), copy);
            long records;
            try {
                records = countLines(new GZIPInputStream(new BufferedInputStream(counted, 1 << 16), 1 << 16));
            } catch (IOException notGzip) {
                records = -1;
            }
            counted.transferTo(java.io.OutputStream.nullOutputStream()); // trailing bytes count towards size and hash
            String hash = HexFormat.of().formatHex(sha256.digest());
            if (counted.count != part.bytes()) {
                return Optional.of("is " + counted.count + " bytes, the manifest says " + part.bytes() + " (truncated or replaced)");
            }
            if (!hash.equalsIgnoreCase(part.sha256())) {
                return Optional.of("has SHA-256 " + hash + ", the manifest says " + part.sha256() + " (corrupt)");
            }
            if (records != part.records()) {
                return Optional.of(records < 0 ? "is not a readable gzip file"
                        : "holds " + records + " records, the manifest says " + part.records());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long countLines(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long lines = 0;
        int read;
        while ((read = in.read(buffer)) > 0) {
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }
        return lines;
    }

    private static InputStream closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // only its existence was asked
        }
        return in;
    }

    /** Counts the bytes read and copies them to an output stream. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final java.io.OutputStream copy;
        long count;

        CountingInputStream(InputStream in, java.io.OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                copy.write(b, off, n);
            }
            return n;
        }
    }
}
