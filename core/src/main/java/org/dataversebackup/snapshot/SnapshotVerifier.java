package org.dataversebackup.snapshot;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import org.dataversebackup.config.ConfigurationException;

/**
 * Checks a snapshot against its manifest: every table's schema file exists, has the recorded
 * SHA-256, is a JSON object and describes that table; every part exists, has the recorded size
 * and SHA-256, decompresses, and holds the recorded number of records. Streams each part once.
 * An encrypted snapshot is decrypted as it streams, which also proves each file authentic; without
 * its key only sizes and SHA-256 are checked ({@link Report#contentsUnchecked()} says so).
 */
public class SnapshotVerifier {
    private final SnapshotStore snapshot;
    private final SnapshotKeys keys;
    private SnapshotManifest manifest;

    /** @param snapshot a store rooted at the snapshot folder (where manifest.json is) */
    public SnapshotVerifier(SnapshotStore snapshot) {
        this(snapshot, SnapshotKeys.none());
    }

    /**
     * @param keys the configured keys: with a signing or verify key an unsigned or badly signed manifest is
     *             refused; the encryption key decrypts an encrypted snapshot
     */
    public SnapshotVerifier(SnapshotStore snapshot, SnapshotKeys keys) {
        this.snapshot = snapshot;
        this.keys = keys;
    }

    public record Problem(String path, String problem) {
    }

    /**
     * @param problems files that do not match the manifest (the snapshot cannot be trusted)
     * @param unlisted files in the snapshot that the manifest does not list (a warning: nothing reads them)
     * @param contentsUnchecked why the contents of an encrypted snapshot were not checked (no key configured)
     */
    public record Report(SnapshotManifest manifest, int partsChecked, List<Problem> problems, List<String> unlisted,
            Optional<String> contentsUnchecked) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** The stored files of file and image columns checked (besides the parts). */
        public long filesChecked() {
            return manifest.fileEntries().stream().filter(SnapshotManifest.FileEntry::stored).count();
        }
    }

    /**
     * The manifest, checked: format version, paths inside the snapshot and, with a key configured,
     * its signature. Read once.
     *
     * @throws ConfigurationException when it is missing or not a manifest, or encrypted with another key
     * @throws IllegalStateException  naming {@value SnapshotManifest#FILE_NAME} when its signature does not hold
     */
    public synchronized SnapshotManifest manifest() {
        if (manifest == null) {
            manifest = readManifest();
        }
        return manifest;
    }

    private SnapshotManifest readManifest() {
        Optional<InputStream> in = snapshot.open(SnapshotManifest.FILE_NAME);
        if (in.isEmpty()) {
            throw new ConfigurationException(snapshot.location("") + " is not a complete snapshot: it has no "
                    + SnapshotManifest.FILE_NAME + " (an interrupted backup, or not a snapshot folder).");
        }
        byte[] bytes;
        try (InputStream manifest = in.get()) {
            bytes = manifest.readAllBytes();
        } catch (IOException e) {
            throw new ConfigurationException(snapshot.location(SnapshotManifest.FILE_NAME) + " cannot be read: " + e.getMessage(), e);
        }
        Optional<String> signature = keys.signing().problem(bytes, read(SnapshotSigning.FILE_NAME));
        if (signature.isPresent()) {
            throw new IllegalStateException(snapshot.location(SnapshotManifest.FILE_NAME) + " " + signature.get()
                    + ": the snapshot cannot be trusted and is not used.");
        }
        try {
            SnapshotManifest parsed = SnapshotJson.MAPPER.readValue(bytes, SnapshotManifest.class);
            if (parsed.formatVersion() != parsed.requiredVersion()) {
                throw new ConfigurationException(snapshot.location(SnapshotManifest.FILE_NAME) + " has format version "
                        + parsed.formatVersion() + "; this version of dataverse-backup reads version "
                        + SnapshotManifest.FORMAT_VERSION + " (and " + SnapshotManifest.VERSION_2
                        + " when encrypted or incremental).");
            }
            confined(parsed);
            if (parsed.encryption() != null && keys.encryption().encrypts()) {
                // a key is configured but not this snapshot's: one clear line instead of a decryption error per file
                keys.encryption().problem(parsed).ifPresent(p -> {
                    throw new ConfigurationException(snapshot.location("") + " " + p + ".");
                });
            }
            return parsed;
        } catch (IOException e) {
            throw new ConfigurationException(snapshot.location(SnapshotManifest.FILE_NAME) + " is not a valid manifest: "
                    + e.getMessage(), e);
        }
    }

    private Optional<byte[]> read(String path) {
        Optional<InputStream> in = snapshot.open(path);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream file = in.get()) {
            return Optional.of(file.readAllBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + snapshot.location(path) + ": " + e.getMessage(), e);
        }
    }

    public Report verify() {
        SnapshotManifest manifest = manifest();
        List<Problem> problems = new ArrayList<>();
        int checked = 0;
        for (SnapshotManifest.Table table : manifest.tables()) {
            if (table.skipped() == null) {
                SchemaFile schema = readSchema(table);
                schema.problem().ifPresent(p -> problems.add(new Problem(schemaPath(table), p)));
            }
            for (SnapshotManifest.Part part : table.allParts()) {
                checked++;
                checkPart(part).ifPresent(p -> problems.add(new Problem(part.path(), p)));
            }
        }
        for (SnapshotManifest.FileEntry file : manifest.fileEntries()) {
            if (file.stored()) {
                checkFile(file).ifPresent(p -> problems.add(new Problem(file.path(), p)));
            }
        }
        return new Report(manifest, checked, problems, unlisted(manifest), keys.encryption().problem(manifest));
    }

    /** The contents can be read: the snapshot is not encrypted, or the configured key is its key. */
    private boolean readable() {
        return keys.encryption().problem(manifest()).isEmpty();
    }

    /** Files of the snapshot the manifest does not name (besides the manifest and a failure note). */
    private List<String> unlisted(SnapshotManifest manifest) {
        java.util.Set<String> listed = new java.util.HashSet<>(List.of(SnapshotManifest.FILE_NAME, SnapshotSigning.FILE_NAME,
                SnapshotCatalog.FAILURE_NOTE, SnapshotAlerts.FILE_NAME, SnapshotAlerts.ACK_FILE_NAME));
        for (SnapshotManifest.Table table : manifest.tables()) {
            if (table.schema() != null) {
                listed.add(table.schema());
            }
            table.allParts().forEach(p -> listed.add(p.path()));
        }
        manifest.fileEntries().stream().filter(SnapshotManifest.FileEntry::stored).forEach(f -> listed.add(f.path()));
        return snapshot.files("").stream().filter(f -> !listed.contains(f)).sorted().toList();
    }

    /**
     * Every path the manifest names must stay inside the snapshot: relative, no {@code ..}, no
     * backslash. A manifest that points elsewhere (../../etc/passwd) is refused whole.
     */
    private void confined(SnapshotManifest manifest) {
        for (SnapshotManifest.Table table : manifest.tables()) {
            if (table.schema() != null) {
                confined(table.schema(), table.logicalName());
            }
            for (SnapshotManifest.Part part : table.allParts()) {
                confined(part.path(), table.logicalName());
            }
        }
        for (SnapshotManifest.FileEntry file : manifest.fileEntries()) {
            if (file.path() != null) {
                confined(file.path(), file.table());
            }
        }
    }

    private void confined(String path, String table) {
        boolean inside = path != null && !path.isBlank() && !path.startsWith("/") && !path.contains("\\")
                && !path.matches("^[A-Za-z]:.*") && java.util.Arrays.stream(path.split("/")).noneMatch(s -> s.equals("..") || s.isEmpty());
        if (!inside) {
            throw new ConfigurationException(snapshot.location(SnapshotManifest.FILE_NAME) + " names a file outside the snapshot"
                    + " for table '" + table + "': '" + path + "'. The manifest is refused: a snapshot's files are relative"
                    + " paths inside its folder.");
        }
    }

    /** A table's schema file as read, and what is wrong with it (empty when it matches the manifest). */
    public record SchemaFile(byte[] content, Optional<String> problem) {
        static SchemaFile wrong(String problem) {
            return new SchemaFile(null, Optional.of(problem));
        }
    }

    /** Where a table's schema is, or would be when the manifest names none. */
    public static String schemaPath(SnapshotManifest.Table table) {
        return table.schema() != null ? table.schema() : "schema/" + table.logicalName() + ".json";
    }

    /**
     * Reads a table's schema and checks it: named in the manifest with a SHA-256, present, the same
     * SHA-256, a JSON object, and the EntityDefinition of this table (its {@code LogicalName}). A
     * schema of another table would make a restore map no column and write nothing.
     */
    public SchemaFile readSchema(SnapshotManifest.Table table) {
        if (table.schema() == null) {
            return SchemaFile.wrong("is not named in the manifest for table '" + table.logicalName() + "'");
        }
        if (table.schemaSha256() == null || table.schemaSha256().isBlank()) {
            return SchemaFile.wrong("has no SHA-256 in the manifest, so it cannot be checked");
        }
        Optional<InputStream> in = snapshot.open(table.schema());
        if (in.isEmpty()) {
            return SchemaFile.wrong("is missing");
        }
        byte[] content;
        try (InputStream schema = in.get()) {
            content = schema.readAllBytes();
        } catch (IOException e) {
            return SchemaFile.wrong("cannot be read: " + e.getMessage());
        }
        String hash = Sha256.hex(content);
        if (!hash.equalsIgnoreCase(table.schemaSha256())) {
            return SchemaFile.wrong("has SHA-256 " + hash + ", the manifest says " + table.schemaSha256()
                    + " (changed or replaced after the backup)");
        }
        if (!readable()) {
            return new SchemaFile(null, Optional.empty()); // encrypted, no key: the hash is all that can be checked
        }
        try (InputStream plain = keys.encryption().decrypting(new java.io.ByteArrayInputStream(content), manifest(),
                table.schema())) {
            content = plain.readAllBytes();
        } catch (IOException e) {
            return SchemaFile.wrong("cannot be decrypted (replaced, or moved from another snapshot): " + e.getMessage());
        }
        com.fasterxml.jackson.databind.JsonNode definition;
        try {
            definition = SnapshotJson.MAPPER.readTree(content);
        } catch (IOException e) {
            return SchemaFile.wrong("is not valid JSON: " + e.getMessage());
        }
        if (definition == null || !definition.isObject()) {
            return SchemaFile.wrong("is not a JSON object (a table definition)");
        }
        String described = definition.path("LogicalName").asText("");
        if (!described.equalsIgnoreCase(table.logicalName())) {
            return SchemaFile.wrong(described.isEmpty() ? "has no LogicalName, so it is not the schema of table '"
                    + table.logicalName() + "'" : "is the schema of table '" + described + "', not of '" + table.logicalName() + "'");
        }
        return new SchemaFile(content, Optional.empty());
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
            MessageDigest sha256 = Sha256.digest();
            CountingInputStream counted = new CountingInputStream(new DigestInputStream(raw, sha256), copy);
            boolean readable = readable();
            long records = -1;
            String unreadable = null;
            if (readable) {
                try {
                    InputStream plain = keys.encryption().decrypting(new BufferedInputStream(counted, 1 << 16), manifest(),
                            part.path());
                    records = countLines(new GZIPInputStream(plain, 1 << 16));
                    plain.transferTo(java.io.OutputStream.nullOutputStream()); // so that the last segment is authenticated too
                } catch (IOException e) {
                    unreadable = e.getMessage();
                }
            }
            counted.transferTo(java.io.OutputStream.nullOutputStream()); // trailing bytes count towards size and hash
            String hash = Sha256.hex(sha256);
            if (counted.count != part.bytes()) {
                return Optional.of("is " + counted.count + " bytes, the manifest says " + part.bytes() + " (truncated or replaced)");
            }
            if (!hash.equalsIgnoreCase(part.sha256())) {
                return Optional.of("has SHA-256 " + hash + ", the manifest says " + part.sha256() + " (corrupt)");
            }
            if (!readable) {
                return Optional.empty(); // encrypted, no key: size and hash are all that can be checked
            }
            if (unreadable != null) {
                return Optional.of(manifest().encryption() != null
                        ? "cannot be decrypted and decompressed (replaced, or moved from another snapshot): " + unreadable
                        : "is not a readable gzip file");
            }
            if (records != part.records()) {
                return Optional.of("holds " + records + " records, the manifest says " + part.records());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
    }

    /** What is wrong with the stored file of a file or image column, or empty when it matches the manifest. */
    public Optional<String> checkFile(SnapshotManifest.FileEntry file) {
        return checkFile(file, java.io.OutputStream.nullOutputStream());
    }

    /**
     * Checks the stored file of a file or image column: present, the recorded size and SHA-256 and,
     * when it can be read, the content's size and SHA-256 (decrypted). The content is copied to
     * {@code content} as it is checked (restore uploads from a verified local copy); the copy is
     * only to be used when nothing is wrong.
     */
    public Optional<String> checkFile(SnapshotManifest.FileEntry file, java.io.OutputStream content) {
        if (file.bytes() == null || file.sha256() == null) {
            return Optional.of("has no size or SHA-256 in the manifest, so it cannot be checked");
        }
        Optional<InputStream> in = snapshot.open(file.path());
        if (in.isEmpty()) {
            return Optional.of("is missing");
        }
        try (InputStream raw = in.get()) {
            MessageDigest sha256 = Sha256.digest();
            CountingInputStream counted = new CountingInputStream(new DigestInputStream(raw, sha256),
                    java.io.OutputStream.nullOutputStream());
            boolean readable = readable();
            MessageDigest contentSha = Sha256.digest();
            long contentBytes = 0;
            String unreadable = null;
            if (readable) {
                try {
                    // not closed here: the stored file goes on being counted and hashed to its end below
                    InputStream plain = keys.encryption().decrypting(new BufferedInputStream(counted, 1 << 16), manifest(),
                            file.path());
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = plain.read(buffer)) > 0) {
                        contentSha.update(buffer, 0, n);
                        content.write(buffer, 0, n);
                        contentBytes += n;
                    }
                } catch (IOException e) {
                    unreadable = e.getMessage();
                }
            }
            counted.transferTo(java.io.OutputStream.nullOutputStream());
            String hash = Sha256.hex(sha256);
            if (counted.count != file.bytes()) {
                return Optional.of("is " + counted.count + " bytes, the manifest says " + file.bytes() + " (truncated or replaced)");
            }
            if (!hash.equalsIgnoreCase(file.sha256())) {
                return Optional.of("has SHA-256 " + hash + ", the manifest says " + file.sha256() + " (corrupt)");
            }
            if (!readable) {
                return Optional.empty();
            }
            if (unreadable != null) {
                return Optional.of("cannot be decrypted (replaced, or moved from another snapshot): " + unreadable);
            }
            String contentHash = Sha256.hex(contentSha);
            if (file.size() != null && contentBytes != file.size()) {
                return Optional.of("holds " + contentBytes + " bytes of content, the manifest says " + file.size());
            }
            if (file.contentSha256() != null && !contentHash.equalsIgnoreCase(file.contentSha256())) {
                return Optional.of("holds content with SHA-256 " + contentHash + ", the manifest says " + file.contentSha256());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
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
