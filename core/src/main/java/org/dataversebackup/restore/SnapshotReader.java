package org.dataversebackup.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotEncryption;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads a snapshot (a folder or an {@code s3://} location) for restore. Each data part is read
 * once from the snapshot: copied to a local work folder while its size, SHA-256 and records are
 * checked against the manifest, so nothing from a corrupt or truncated part is ever written;
 * records are then streamed from the local copy, one line at a time. The work folder belongs to
 * the caller (a restore's is in its journal's folder: {@link RestoreJournal#attemptDir()}). The local
 * copy of an encrypted part stays encrypted: it is decrypted as its records are read.
 */
public class SnapshotReader {
    private final SnapshotStore store;
    private final SnapshotManifest manifest;
    private final SnapshotVerifier verifier;
    private final SnapshotEncryption encryption;

    /** A verified local copy of a part, and its path in the snapshot. */
    public record LocalPart(Path file, String path) {
    }

    SnapshotReader(SnapshotStore store) {
        this(store, SnapshotKeys.none());
    }

    /**
     * @param keys with a signing or verify key, an unsigned or badly signed snapshot is refused; an
     *             encrypted snapshot needs its encryption key
     * @throws ConfigurationException when the snapshot is encrypted and the key is missing or another
     */
    SnapshotReader(SnapshotStore store, SnapshotKeys keys) {
        this.store = store;
        this.verifier = new SnapshotVerifier(store, keys);
        this.manifest = verifier.manifest();
        this.encryption = keys.encryption();
        encryption.problem(manifest).ifPresent(problem -> {
            throw new ConfigurationException(store.location("") + " " + problem + ".");
        });
    }

    /**
     * Opens a snapshot and reads its manifest.
     *
     * @param location the snapshot folder, {@code file:<folder>} or {@code s3://bucket/prefix/<environment>/<id>}
     */
    public static SnapshotReader open(String location, Supplier<S3Client> s3) {
        return open(location, s3, SnapshotKeys.none());
    }

    /** As {@link #open(String, Supplier)}, checking the manifest's signature and decrypting with the configured keys. */
    public static SnapshotReader open(String location, Supplier<S3Client> s3, SnapshotKeys keys) {
        SnapshotTarget target = SnapshotTarget.parse(location);
        if (target instanceof SnapshotTarget.Folder folder && !Files.isDirectory(folder.root())) {
            throw new ConfigurationException("Snapshot " + location + " does not exist (no such folder " + folder.root() + ").");
        }
        return new SnapshotReader(SnapshotStore.of(target, s3), keys);
    }

    public SnapshotManifest manifest() {
        return manifest;
    }

    public String location() {
        return store.location("");
    }

    /**
     * The saved EntityDefinition of a table, checked against the manifest as {@code verify} does.
     *
     * @throws SnapshotIntegrityException naming the schema file when it is missing, changed, or not this table's
     */
    public JsonNode schema(SnapshotManifest.Table table) {
        SnapshotVerifier.SchemaFile schema = verifier.readSchema(table);
        if (schema.problem().isPresent()) {
            throw new SnapshotIntegrityException(store.location(SnapshotVerifier.schemaPath(table)) + " "
                    + schema.problem().get() + "; table '" + table.logicalName() + "' is not restored from a schema it"
                    + " cannot trust (run verify on the snapshot).");
        }
        try {
            return SnapshotJson.MAPPER.readTree(schema.content());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies every part of a table to a local folder, checking each against the manifest.
     *
     * @param workDir the folder of the local copies (the caller deletes it)
     * @throws SnapshotIntegrityException naming the first part that is missing, truncated or corrupt
     */
    public List<LocalPart> verifiedParts(SnapshotManifest.Table table, Path workDir) {
        List<LocalPart> local = new ArrayList<>();
        for (SnapshotManifest.Part part : table.parts()) {
            local.add(new LocalPart(copyVerified(part, workDir), part.path()));
        }
        return local;
    }

    /** The records of local, verified parts, one at a time, in order. */
    public Iterator<ObjectNode> records(List<LocalPart> parts) {
        return new RecordIterator(parts, this::plain);
    }

    /** A local part's gzip NDJSON content, decrypted when the snapshot is encrypted. */
    private InputStream plain(LocalPart part) throws IOException {
        return encryption.decrypting(new java.io.BufferedInputStream(Files.newInputStream(part.file()), 1 << 16), manifest,
                part.path());
    }

    private Path copyVerified(SnapshotManifest.Part part, Path workDir) {
        Path copy = workDir.resolve(part.path());
        Optional<String> problem;
        try {
            Files.createDirectories(copy.getParent());
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(copy), 1 << 16)) {
                problem = verifier.checkPart(part, out);
            }
        } catch (IOException e) {
            problem = Optional.of("cannot be copied to " + copy + ": " + e.getMessage());
        }
        if (problem.isPresent()) {
            throw new SnapshotIntegrityException(store.location(part.path()) + " " + problem.get());
        }
        return copy;
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Opens a local part for reading. */
    private interface PartOpener {
        InputStream open(LocalPart part) throws IOException;
    }

    private static final class RecordIterator implements Iterator<ObjectNode> {
        private final Iterator<LocalPart> parts;
        private final PartOpener opener;
        private BufferedReader reader;
        private ObjectNode next;
        private Path current;
        private long line;

        RecordIterator(List<LocalPart> parts, PartOpener opener) {
            this.parts = parts.iterator();
            this.opener = opener;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                try {
                    if (reader == null) {
                        if (!parts.hasNext()) {
                            return false;
                        }
                        LocalPart part = parts.next();
                        current = part.file();
                        line = 0;
                        reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                                opener.open(part), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
                    }
                    String text = reader.readLine();
                    if (text == null) {
                        reader.close();
                        reader = null;
                        continue;
                    }
                    line++;
                    if (text.isBlank()) {
                        continue;
                    }
                    JsonNode record = RestoreJson.MAPPER.readTree(text);
                    if (!(record instanceof ObjectNode object)) {
                        throw new SnapshotIntegrityException(current + " line " + line + " is not a JSON object");
                    }
                    next = object;
                } catch (IOException e) {
                    throw new SnapshotIntegrityException(current + " line " + line + " cannot be read: " + e.getMessage());
                }
            }
            return true;
        }

        @Override
        public ObjectNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ObjectNode record = next;
            next = null;
            return record;
        }
    }
}
