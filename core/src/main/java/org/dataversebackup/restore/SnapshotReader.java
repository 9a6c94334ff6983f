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
import org.dataversebackup.snapshot.SnapshotSigning;
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
 * the caller (a restore's is in its journal's folder: {@link RestoreJournal#attemptDir()}).
 */
public class SnapshotReader {
    private final SnapshotStore store;
    private final SnapshotManifest manifest;
    private final SnapshotVerifier verifier;

    SnapshotReader(SnapshotStore store) {
        this(store, SnapshotSigning.none());
    }

    /** @param signing with a key configured, an unsigned or badly signed snapshot is refused */
    SnapshotReader(SnapshotStore store, SnapshotSigning signing) {
        this.store = store;
        this.verifier = new SnapshotVerifier(store, signing);
        this.manifest = verifier.manifest();
    }

    /**
     * Opens a snapshot and reads its manifest.
     *
     * @param location the snapshot folder, {@code file:<folder>} or {@code s3://bucket/prefix/<environment>/<id>}
     */
    public static SnapshotReader open(String location, Supplier<S3Client> s3) {
        return open(location, s3, SnapshotSigning.none());
    }

    /** As {@link #open(String, Supplier)}, checking the manifest's signature when a key is configured. */
    public static SnapshotReader open(String location, Supplier<S3Client> s3, SnapshotSigning signing) {
        SnapshotTarget target = SnapshotTarget.parse(location);
        if (target instanceof SnapshotTarget.Folder folder && !Files.isDirectory(folder.root())) {
            throw new ConfigurationException("Snapshot " + location + " does not exist (no such folder " + folder.root() + ").");
        }
        return new SnapshotReader(SnapshotStore.of(target, s3), signing);
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
    public List<Path> verifiedParts(SnapshotManifest.Table table, Path workDir) {
        List<Path> local = new ArrayList<>();
        for (SnapshotManifest.Part part : table.parts()) {
            local.add(copyVerified(part, workDir));
        }
        return local;
    }

    /** The records of local, verified parts, one at a time, in order. */
    public static Iterator<ObjectNode> records(List<Path> parts) {
        return new RecordIterator(parts);
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

    private static final class RecordIterator implements Iterator<ObjectNode> {
        private final Iterator<Path> parts;
        private BufferedReader reader;
        private ObjectNode next;
        private Path current;
        private long line;

        RecordIterator(List<Path> parts) {
            this.parts = parts.iterator();
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                try {
                    if (reader == null) {
                        if (!parts.hasNext()) {
                            return false;
                        }
                        current = parts.next();
                        line = 0;
                        reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                                Files.newInputStream(current), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
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
