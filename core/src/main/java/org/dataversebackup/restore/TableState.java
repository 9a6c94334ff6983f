package org.dataversebackup.restore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One table of a restore: its schema and local parts, the counts for the summary, and the rows
 * waiting for the second pass (a local NDJSON file, so memory does not grow with the table).
 * Updated by parallel writers: thread-safe.
 */
public final class TableState {
    private static final ObjectMapper JSON = RestoreJson.MAPPER;

    /** What restore does with a table. */
    public enum Kind {
        /** rows written in dependency order */
        ROWS,
        /** an N:N intersect table: links associated through $ref */
        LINKS
    }

    private final SnapshotManifest.Table manifest;
    private final TableSchema schema;
    private final Kind kind;
    private volatile Path deferredFile;
    private volatile List<SnapshotReader.LocalPart> parts;
    private volatile String error;
    private volatile String skipped;
    private volatile RecordMapper mapper;
    private volatile TableSchema.ManyToMany relationship;
    private BufferedWriter deferred;
    private final AtomicLong deferredRows = new AtomicLong();
    /** Of the values in the second pass: lookups (into this table, or a table restored later) whose row was not written yet. */
    private final AtomicLong deferredLookups = new AtomicLong();
    /** The rows in waves, parents first, when the table's lookups point into itself (null: one wave). */
    private volatile RowWaves waves;
    /** With deletes: the ids of the rows the snapshot holds, one per line (null: no deletes). */
    private volatile Path keptFile;
    private BufferedWriter kept;
    /** The table had no row when its first pass began: nothing to compare, so no live row is read. */
    private volatile boolean emptyAtStart;
    /** With deletes: live rows the snapshot does not hold, deleted (or to delete, in a dry run). */
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong failedDeletes = new AtomicLong();

    final AtomicLong read = new AtomicLong();
    final AtomicLong selected = new AtomicLong();
    final AtomicLong created = new AtomicLong();
    final AtomicLong updated = new AtomicLong();
    final AtomicLong unchanged = new AtomicLong();
    final AtomicLong existing = new AtomicLong();
    final AtomicLong missing = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong failedSecondPass = new AtomicLong();
    /** Links whose answer was lost and that could not be read back: not known to be written (see {@link LinkWriter}). */
    final AtomicLong unverified = new AtomicLong();
    /** Files of file and image columns: uploaded, already there with the same size and hash, failed (or refused). */
    final AtomicLong filesUploaded = new AtomicLong();
    final AtomicLong filesUnchanged = new AtomicLong();
    final AtomicLong filesFailed = new AtomicLong();
    /** The snapshot's files of this table, by record id (stored ones), and the ids of the rows selected that have any. */
    private volatile Map<String, List<SnapshotManifest.FileEntry>> files = Map.of();
    /** The files to restore of the rows selected, by record: those whose column the restored row holds. */
    private final Map<String, List<SnapshotManifest.FileEntry>> filesSelected = new java.util.concurrent.ConcurrentHashMap<>();
    /** Of created: an earlier attempt of this restore created them (its journal says so). */
    final AtomicLong createdBefore = new AtomicLong();
    /** Of created: the answer was lost, the row or link read back and found. */
    final AtomicLong createdVerified = new AtomicLong();
    /** Of created: the answer was lost and the read-back failed: counted on the journal's word (this restore sent them). */
    final AtomicLong createdPerJournal = new AtomicLong();
    /** Second pass, rows an earlier attempt created: lookups and states written by this attempt. */
    final AtomicLong lookupsWrittenOnResume = new AtomicLong();
    final AtomicLong stateChangesWrittenOnResume = new AtomicLong();
    private volatile long startedAt;
    private volatile long elapsedMillis;
    private final java.util.concurrent.atomic.AtomicLong lastProgress = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

    TableState(SnapshotManifest.Table manifest, TableSchema schema, Kind kind) {
        this.manifest = manifest;
        this.schema = schema;
        this.kind = kind;
    }

    /** Where the rows waiting for the second pass are kept: the attempt's work folder, known once the run starts. */
    void deferredIn(Path workDir) {
        this.deferredFile = workDir.resolve("deferred-" + manifest.logicalName() + ".ndjson");
    }

    /** A restore with deletes: the ids of the snapshot's rows are kept in the attempt's work folder. */
    void keepIdsIn(Path workDir) {
        this.keptFile = workDir.resolve("kept-" + manifest.logicalName() + ".ids");
    }

    boolean deletes() {
        return keptFile != null && kind == Kind.ROWS;
    }

    /** A row of the snapshot (with deletes): its live row stays. */
    synchronized void keep(String id) {
        if (!deletes()) {
            return;
        }
        try {
            if (kept == null) {
                Files.createDirectories(keptFile.getParent());
                kept = Files.newBufferedWriter(keptFile, StandardCharsets.UTF_8);
            }
            kept.write(id);
            kept.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + keptFile + ": " + e.getMessage(), e);
        }
    }

    /** The ids of the snapshot's rows, indexed (the file is closed for writing). */
    synchronized JournalIndex keptIds() {
        try {
            if (kept != null) {
                kept.close();
                kept = null;
            } else if (!Files.exists(keptFile)) {
                Files.createDirectories(keptFile.getParent());
                Files.createFile(keptFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JournalIndex.ofIds(keptFile, keptFile.resolveSibling(keptFile.getFileName() + ".index"));
    }

    /** The table's rows are written in waves, parents first. */
    void waves(RowWaves waves) {
        this.waves = waves;
    }

    RowWaves waves() {
        return waves;
    }

    /** The row exists in the target now: lookups of later rows to it are written with them. */
    void written(String id) {
        RowWaves current = waves;
        if (current != null) {
            current.written(id);
        }
    }

    /** Done with the waves: their files are closed. */
    void closeWaves() {
        RowWaves current = waves;
        if (current != null) {
            current.close();
        }
    }

    void emptyAtStart(boolean empty) {
        this.emptyAtStart = empty;
    }

    boolean emptyAtStart() {
        return emptyAtStart;
    }

    public String name() {
        return manifest.logicalName();
    }

    public SnapshotManifest.Table manifest() {
        return manifest;
    }

    public TableSchema schema() {
        return schema;
    }

    public Kind kind() {
        return kind;
    }

    public List<SnapshotReader.LocalPart> parts() {
        return parts;
    }

    void parts(List<SnapshotReader.LocalPart> parts) {
        this.parts = parts;
    }

    RecordMapper mapper() {
        return mapper;
    }

    void mapper(RecordMapper mapper) {
        this.mapper = mapper;
    }

    TableSchema.ManyToMany relationship() {
        return relationship;
    }

    void relationship(TableSchema.ManyToMany relationship) {
        this.relationship = relationship;
    }

    /** Why the table was not restored (a corrupt part, ...), or null. */
    public String error() {
        return error;
    }

    void error(String error) {
        this.error = error;
    }

    /** Why the table was left out on purpose (the filter does not apply), or null. */
    public String skipped() {
        return skipped;
    }

    void skipped(String reason) {
        this.skipped = reason;
    }

    void started() {
        startedAt = System.nanoTime();
    }

    void finished() {
        if (startedAt != 0) {
            elapsedMillis += (System.nanoTime() - startedAt) / 1_000_000;
            startedAt = 0;
        }
    }

    /**
     * A progress line for a long table, at most one per {@code interval}: empty when it is not time.
     */
    java.util.Optional<String> progress(java.time.Duration interval) {
        long now = System.nanoTime();
        long last = lastProgress.get();
        if (now - last < interval.toNanos() || !lastProgress.compareAndSet(last, now) || startedAt == 0) {
            return java.util.Optional.empty();
        }
        double seconds = (now - startedAt) / 1e9;
        long done = created.get() + updated.get() + unchanged.get() + existing.get() + missing.get() + failed.get()
                + unverified.get();
        double rate = done / Math.max(seconds, 0.001);
        // an incremental's table holds only the changes: the rows of the whole chain are not counted anywhere
        long total = manifest.changesOnly() ? -1 : manifest.records();
        String left = total > done && rate >= 1 ? ", about " + org.dataversebackup.text.Quantities.duration((total - done) / rate)
                + " left" : "";
        return java.util.Optional.of(String.format(java.util.Locale.ROOT, "%s: %,d%s records done (%,d failed), %,.0f/s, %.0f s%s",
                name(), done, total >= 0 ? String.format(java.util.Locale.ROOT, " of %,d", total) : "", failed.get(), rate,
                seconds, left));
    }

    /**
     * Remembers what a row still needs once every row of the run exists.
     *
     * @param resumed the row was created by an earlier attempt of the restore (the report counts what is written for it)
     */
    void defer(String id, List<ColumnValue> values, boolean resumed) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", id);
        if (resumed) {
            line.put("resumed", true);
        }
        ArrayNode array = line.putArray("values");
        values.forEach(v -> array.add(v.toJson()));
        deferredLookups.addAndGet(values.stream().filter(v -> v instanceof ColumnValue.Lookup).count());
        synchronized (this) {
            try {
                if (deferred == null) {
                    Files.createDirectories(deferredFile.getParent());
                    deferred = Files.newBufferedWriter(deferredFile, StandardCharsets.UTF_8);
                }
                deferred.write(JSON.writeValueAsString(line));
                deferred.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + deferredFile + ": " + e.getMessage(), e);
            }
        }
        deferredRows.incrementAndGet();
    }

    /** The rows waiting for the second pass (the file is closed for writing). */
    synchronized Path deferredFile() {
        if (deferred != null) {
            try {
                deferred.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            deferred = null;
        }
        return deferredRows.get() == 0 ? null : deferredFile;
    }

    public long deferredRows() {
        return deferredRows.get();
    }

    /** Lookups written in the second pass (their rows were not written yet when the row was). */
    public long deferredLookups() {
        return deferredLookups.get();
    }

    public long failed() {
        return failed.get() + failedSecondPass.get() + failedDeletes.get() + filesFailed.get();
    }

    /** The snapshot's stored files of this table's records. */
    void files(Map<String, List<SnapshotManifest.FileEntry>> byRecord) {
        files = byRecord;
    }

    /**
     * A selected row, in the version restored: its files are restored after the rows, those whose
     * column the row still holds (a file deleted after an older snapshot stored it is not brought back).
     */
    void selectedForFiles(String id, JsonNode row) {
        List<SnapshotManifest.FileEntry> entries = files.get(id);
        if (entries != null) {
            List<SnapshotManifest.FileEntry> held = entries.stream().filter(entry -> holds(row, entry.column())).toList();
            if (!held.isEmpty()) {
                filesSelected.put(id, held);
            }
        }
    }

    /**
     * The row has a value in the file or image column (an image column's thumbnail, or its image id),
     * or the backup took the column's value out of the record into its own file (a note's body).
     */
    private static boolean holds(JsonNode row, String column) {
        return present(row.get(column)) || present(row.get(column + "id"))
                || present(row.get(column + SnapshotManifest.FileEntry.RECORD_MARKER));
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.asText("").isEmpty();
    }

    boolean hasFiles() {
        return !files.isEmpty();
    }

    /** The files of the rows selected, in no particular order. */
    List<SnapshotManifest.FileEntry> selectedFiles() {
        List<SnapshotManifest.FileEntry> selected = new java.util.ArrayList<>();
        filesSelected.values().forEach(selected::addAll);
        return selected;
    }

    /** Links whose answer was lost and that could not be read back: not known to be written. */
    public long unverified() {
        return unverified.get();
    }

    /** This table's line of the report. */
    Map<String, Object> summary(boolean dryRun) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("table", name());
        row.put("kind", kind == Kind.LINKS ? "links" : "rows");
        if (relationship != null) {
            row.put("relationship", relationship.schemaName());
        }
        row.put("inSnapshot", manifest.records());
        row.put("selected", selected.get());
        row.put(dryRun ? "toCreate" : "created", created.get());
        putIfAny(row, "createdBefore", createdBefore.get());
        putIfAny(row, "createdVerified", createdVerified.get());
        putIfAny(row, "createdPerJournal", createdPerJournal.get());
        if (kind == Kind.ROWS) {
            row.put(dryRun ? "toUpdate" : "updated", updated.get());
        }
        row.put("unchanged", unchanged.get());
        if (kind == Kind.ROWS) {
            row.put("exists", existing.get());
            row.put("missing", missing.get());
        }
        row.put("failed", failed());
        if (!filesSelected.isEmpty()) {
            Map<String, Object> fileCounts = new LinkedHashMap<>();
            fileCounts.put(dryRun ? "toCheck" : "uploaded", dryRun ? selectedFiles().size() : filesUploaded.get());
            fileCounts.put("unchanged", filesUnchanged.get());
            fileCounts.put("failed", filesFailed.get());
            row.put("files", fileCounts);
        }
        putIfAny(row, "unverified", unverified.get());
        if (failedSecondPass.get() > 0) {
            row.put("failedSecondPass", failedSecondPass.get());
        }
        if (kind == Kind.ROWS && !dryRun) {
            row.put("secondPass", deferredRows.get());
            row.put("deferredLookups", deferredLookups.get());
        }
        if (deletes()) {
            row.put(dryRun ? "toDelete" : "deleted", deleted.get());
            putIfAny(row, "failedDeletes", failedDeletes.get());
        }
        if (error != null) {
            row.put("error", error);
        }
        if (skipped != null) {
            row.put("skipped", skipped);
        }
        row.put("seconds", elapsedMillis / 1000.0);
        return row;
    }

    private static void putIfAny(Map<String, Object> row, String key, long count) {
        if (count > 0) {
            row.put(key, count);
        }
    }
}
