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
import org.dataversebackup.snapshot.SnapshotChain;
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
 *
 * <p>An incremental snapshot is read with its chain (its parent, the parent's parent, ... the full
 * snapshot, found beside it in the same environment folder): a table's records are those of the
 * state at the incremental's time, each row in its latest version, rows deleted by then left out
 * ({@link ChainRecords}).
 */
public class SnapshotReader {
    private final SnapshotStore store;
    private final SnapshotManifest manifest;
    private final SnapshotVerifier verifier;
    private final SnapshotEncryption encryption;
    /** This snapshot, then the older ones of its chain, down to the full snapshot. */
    private final List<SnapshotReader> chain = new ArrayList<>();

    /**
     * A verified local copy of a part, its path in its snapshot and where it belongs in the chain.
     *
     * @param generation 0 for the snapshot read, 1 for its parent, ...
     * @param tombstones a part of deleted rows ({@code {"id", ...}} per line), not of rows
     * @param source     the snapshot it comes from (its key decrypts it)
     */
    public record LocalPart(Path file, String path, int generation, boolean tombstones, SnapshotReader source) {
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
        chain.add(this);
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
        SnapshotReader reader = new SnapshotReader(SnapshotStore.of(target, s3), keys);
        String child = location;
        SnapshotManifest newest = reader.manifest;
        for (SnapshotManifest current = newest; current.incremental(); ) {
            String parentLocation = SnapshotChain.sibling(child, current.parent());
            SnapshotReader parent;
            try {
                parent = new SnapshotReader(SnapshotStore.of(SnapshotTarget.parse(parentLocation), s3), keys);
            } catch (ConfigurationException e) {
                throw new ConfigurationException("Snapshot " + location + " is incremental and needs the snapshots of its"
                        + " chain down to the full snapshot " + newest.chainFull() + ": " + e.getMessage(), e);
            }
            if (!parent.manifest.snapshotId().equals(current.parent())) {
                throw new ConfigurationException(parentLocation + " is snapshot " + parent.manifest.snapshotId() + ", not "
                        + current.parent() + " that " + current.snapshotId() + " continues from.");
            }
            reader.chain.add(parent);
            child = parentLocation;
            current = parent.manifest;
        }
        return reader;
    }

    /**
     * The stored files of file and image columns that a restore of this snapshot may need: per
     * table, record and column the newest the chain holds (a row changed since the full snapshot
     * comes from the incremental that holds it, with that incremental's files), down to the
     * snapshot that copied the table whole. Whether the row still has a file is the row's to say
     * (its column is empty once the file was deleted): the restore asks it before uploading.
     */
    public List<SnapshotManifest.FileEntry> chainFiles() {
        List<SnapshotManifest.FileEntry> files = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Set<String> wholeAlready = new java.util.HashSet<>();
        for (SnapshotReader snapshot : chain) {
            for (SnapshotManifest.FileEntry file : snapshot.manifest.fileEntries()) {
                if (file.stored() && !wholeAlready.contains(file.table())
                        && seen.add(file.table() + "/" + file.id() + "/" + file.column())) {
                    files.add(file);
                }
            }
            for (SnapshotManifest.Table table : snapshot.manifest.tables()) {
                if (!table.changesOnly()) {
                    wholeAlready.add(table.logicalName());
                }
            }
        }
        return files;
    }

    /** The snapshots read for this one: itself, then the older ones of its chain (one for a full snapshot). */
    public List<SnapshotManifest> chain() {
        return chain.stream().map(r -> r.manifest).toList();
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
        for (int generation = 0; generation < chain.size(); generation++) {
            SnapshotReader snapshot = chain.get(generation);
            SnapshotManifest.Table inSnapshot = generation == 0 ? table : snapshot.table(table.logicalName()).orElse(null);
            if (inSnapshot == null) {
                break; // not in the scope before this: the newer snapshots copied it whole
            }
            for (SnapshotManifest.Part part : inSnapshot.parts()) {
                local.add(new LocalPart(snapshot.copyVerified(part, workDir), part.path(), generation, false, snapshot));
            }
            for (SnapshotManifest.Part part : inSnapshot.tombstones()) {
                local.add(new LocalPart(snapshot.copyVerified(part, workDir), part.path(), generation, true, snapshot));
            }
            if (!inSnapshot.changesOnly()) {
                break; // a whole copy: nothing older is needed
            }
        }
        return local;
    }

    private java.util.Optional<SnapshotManifest.Table> table(String logicalName) {
        return manifest.tables().stream().filter(t -> t.logicalName().equals(logicalName) && t.skipped() == null).findFirst();
    }

    /** The records of local, verified parts, one at a time, in order (the parts of one snapshot). */
    public Iterator<ObjectNode> records(List<LocalPart> parts) {
        return new RecordIterator(parts, SnapshotReader::plain);
    }

    /**
     * The records of a table's local parts: those of one snapshot in order or, across a chain, each
     * row once in its latest version and without the rows deleted by the newest snapshot's time.
     */
    public Iterator<ObjectNode> records(List<LocalPart> parts, String primaryIdAttribute) {
        boolean oneSnapshot = parts.stream().allMatch(p -> p.generation() == 0 && !p.tombstones());
        return oneSnapshot ? records(parts) : new ChainRecords(parts, primaryIdAttribute, list -> new RecordIterator(list,
                SnapshotReader::plain));
    }

    /** A local part's gzip NDJSON content, decrypted when its snapshot is encrypted. */
    private static InputStream plain(LocalPart part) throws IOException {
        SnapshotReader source = part.source();
        return source.encryption.decrypting(new java.io.BufferedInputStream(Files.newInputStream(part.file()), 1 << 16),
                source.manifest, part.path());
    }

    private Path copyVerified(SnapshotManifest.Part part, Path workDir) {
        // each snapshot of a chain in a folder of its own: their parts have the same paths
        Path copy = workDir.resolve(String.valueOf(manifest.snapshotId()).replaceAll("[^A-Za-z0-9_-]", "_")).resolve(part.path());
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

    /**
     * The content of a file or image column's file, checked against the manifest and decrypted, in a
     * local file of {@code workDir}; a missing, truncated or tampered file is refused naming it.
     */
    public Path verifiedFile(SnapshotManifest.FileEntry file, Path workDir) {
        // the snapshot of the chain that stored this very entry (an incremental stores the files of the rows it holds)
        for (SnapshotReader snapshot : chain) {
            if (snapshot != this && snapshot.manifest.fileEntries().contains(file)) {
                return snapshot.verifiedFile(file, workDir);
            }
            if (snapshot.manifest.fileEntries().contains(file)) {
                break;
            }
        }
        Path copy = workDir.resolve("files").resolve(file.table()).resolve(file.id()).resolve(file.column());
        Optional<String> problem;
        try {
            Files.createDirectories(copy.getParent());
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(copy), 1 << 16)) {
                problem = verifier.checkFile(file, out);
            }
        } catch (IOException e) {
            problem = Optional.of("cannot be copied to " + copy + ": " + e.getMessage());
        }
        if (problem.isPresent()) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // the attempt's work folder goes when the restore ends
            }
            throw new SnapshotIntegrityException(store.location(file.path()) + " " + problem.get());
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
