package org.dataversebackup.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.dataversebackup.config.ApplicationVersion;
import org.dataversebackup.snapshot.PartFile;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotTarget;

/**
 * One backup in progress: its id, where it goes, the tables in scope and what has been written
 * for each. Travels with the exchange (property {@value #PROPERTY}); tables, and the key ranges of
 * a table, are read in parallel, so the per-table state is thread-safe. The manifest can only be built once every table is done.
 */
public final class SnapshotRun {
    public static final String PROPERTY = "dvbSnapshot";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final DateTimeFormatter ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String snapshotId;
    private final String kind;
    private final SnapshotTarget target;
    private final String snapshotKey;
    private final SnapshotManifest.Source source;
    private final Instant startedAt;
    private final Map<String, TableState> tables = new LinkedHashMap<>();
    private final java.nio.file.Path workDir;
    /** What an incremental continues from; null for a full snapshot. */
    private final IncrementalBase base;
    private volatile boolean ended;
    /** In a full snapshot: the newest complete one before it, whose delta tokens give a partitioned read its own cheaply. */
    private volatile IncrementalBase previous;
    /** Names the service protection limit that held this run's requests back ({@link #throttledBy}); none until set. */
    private volatile java.util.function.Supplier<java.util.Optional<String>> limitedBy = java.util.Optional::empty;

    /**
     * @param snapshotId from {@link #newId(Instant, String)}
     * @param workDir    this run's own local folder for data parts
     * @param base       null for a full snapshot; for an incremental, the snapshot it continues from
     */
    public SnapshotRun(String snapshotId, Instant startedAt, SnapshotTarget target, SnapshotManifest.Source source,
            List<TableScope> scope, java.nio.file.Path workDir, IncrementalBase base) {
        this.base = base;
        this.startedAt = startedAt;
        this.kind = base == null ? SnapshotManifest.FULL : SnapshotManifest.INCREMENTAL;
        this.snapshotId = snapshotId;
        this.workDir = workDir;
        this.target = target;
        this.snapshotKey = source.environment() + "/" + snapshotId;
        this.source = source;
        scope.forEach(t -> tables.put(t.logicalName(), new TableState(t)));
    }

    /**
     * {@code <UTC time>-<4 random hex digits>-<kind>}, e.g. {@code 20261129T020000Z-3f2a-full}: two
     * backups started in the same second get different ids (and the folder is claimed exclusively).
     */
    public static String newId(Instant startedAt, String kind) {
        return ID_FORMAT.format(startedAt) + "-" + String.format("%04x", RANDOM.nextInt(0x10000)) + "-" + kind;
    }

    /** What names the limit that bounded this run: the client's throttling since the run began. */
    public void throttledBy(java.util.function.Supplier<java.util.Optional<String>> limitedBy) {
        this.limitedBy = limitedBy;
    }

    /** The service protection limit that held this run's requests back; empty when Dataverse did not throttle them. */
    public java.util.Optional<String> limitedBy() {
        return limitedBy.get();
    }

    public String snapshotId() {
        return snapshotId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The snapshot an incremental continues from; empty for a full snapshot. */
    public java.util.Optional<IncrementalBase> base() {
        return java.util.Optional.ofNullable(base);
    }

    /** A full snapshot: the newest complete snapshot in the target before it. */
    public void previous(IncrementalBase newest) {
        this.previous = newest;
    }

    /**
     * In a full snapshot, the newest complete snapshot before it (the delta tokens it obtained); empty
     * when there is none, and in an incremental (which has its {@link #base()}).
     */
    public java.util.Optional<IncrementalBase> previous() {
        return java.util.Optional.ofNullable(previous);
    }

    /**
     * The job has ended (failed, most likely): tables still being read by other threads stop at
     * their next part instead of writing into a work folder that is gone.
     */
    public void end() {
        ended = true;
    }

    public boolean ended() {
        return ended;
    }

    /** This run's own local folder for data parts (deleted when the run ends). */
    public java.nio.file.Path workDir() {
        return workDir;
    }

    public SnapshotTarget target() {
        return target;
    }

    /** {@code <environment>/<snapshot id>}: the snapshot's folder or key prefix under the target. */
    public String snapshotKey() {
        return snapshotKey;
    }

    /**
     * Where a file of the snapshot is stored: the object key under the S3 prefix, or the file
     * name under the file endpoint's folder ({@link SnapshotTarget.Folder#fileName(String)}).
     */
    public String storageKey(String path) {
        String inSnapshot = snapshotKey + "/" + path;
        return target instanceof SnapshotTarget.S3 s3 ? s3.key(inSnapshot) : ((SnapshotTarget.Folder) target).fileName(inSnapshot);
    }

    /** Where the snapshot is, as shown to users. */
    public String location() {
        return target.locationOf(snapshotKey);
    }

    public List<TableScope> scope() {
        return tables.values().stream().map(t -> t.scope).toList();
    }

    public TableState table(String logicalName) {
        TableState state = tables.get(logicalName);
        if (state == null) {
            throw new IllegalArgumentException("Table " + logicalName + " is not in snapshot " + snapshotId);
        }
        return state;
    }

    public SnapshotManifest manifest(Instant completedAt) {
        List<SnapshotManifest.Table> done = new ArrayList<>();
        List<SnapshotManifest.FileEntry> files = new ArrayList<>();
        for (TableState table : tables.values()) {
            if (table.completedAt == null) {
                throw new IllegalStateException("Table " + table.scope.logicalName() + " of snapshot " + snapshotId
                        + " is not complete: no manifest is written");
            }
            done.add(table.toManifest(base != null));
            files.addAll(table.files());
        }
        return new SnapshotManifest(base == null ? SnapshotManifest.FORMAT_VERSION : SnapshotManifest.VERSION_2,
                new SnapshotManifest.Tool("dataverse-backup", ApplicationVersion.get()), snapshotId, kind,
                base == null ? null : base.snapshotId(), base == null ? null : base.chainFull(), source,
                startedAt.toString(), completedAt.toString(), null, done, files.isEmpty() ? null : files);
    }

    public List<TableState> tables() {
        return List.copyOf(tables.values());
    }

    /** What has been read and written for one table. */
    public static final class TableState {
        private final TableScope scope;
        private final List<SnapshotManifest.Part> parts = Collections.synchronizedList(new ArrayList<>());
        private final List<SnapshotManifest.Part> tombstones = Collections.synchronizedList(new ArrayList<>());
        /** Rows Dataverse counts for the table (RetrieveTotalRecordCount, an estimate), or -1 when not known. */
        private volatile long expectedRecords = -1;
        /** In an incremental: why the table is copied whole (null: only its changes). */
        private volatile String copiedWhole;
        private volatile String deltaTokenUsed;
        private volatile String deltaToken;
        private final AtomicLong recordsRead = new AtomicLong();
        private final AtomicLong jsonBytesRead = new AtomicLong();
        private volatile String schemaPath;
        private volatile String schemaSha256;
        private volatile Instant startedAt;
        private volatile Instant completedAt;
        private volatile String skipped;
        /** The table's file and image columns, from its schema (none until the schema is read). */
        private volatile List<org.dataversebackup.dataverse.FileColumn> fileColumns = List.of();
        /** Records with a file or image value, collected while the rows are read. */
        private volatile FileReferences fileReferences;
        private final List<SnapshotManifest.FileEntry> files = Collections.synchronizedList(new ArrayList<>());

        TableState(TableScope scope) {
            this.scope = scope;
        }

        public TableScope scope() {
            return scope;
        }

        public void started(Instant at) {
            startedAt = at;
        }

        public void fileColumns(List<org.dataversebackup.dataverse.FileColumn> columns) {
            fileColumns = List.copyOf(columns);
        }

        public List<org.dataversebackup.dataverse.FileColumn> fileColumns() {
            return fileColumns;
        }

        void fileReferences(FileReferences references) {
            fileReferences = references;
        }

        /** The records with a file or image value, once the rows are read; null when the table has none to back up. */
        FileReferences fileReferences() {
            return fileReferences;
        }

        /** A file stored, or skipped, for the manifest. */
        public void fileWritten(SnapshotManifest.FileEntry entry) {
            files.add(entry);
        }

        public List<SnapshotManifest.FileEntry> files() {
            synchronized (files) {
                return List.copyOf(files);
            }
        }

        public void schemaWritten(String path, String sha256) {
            schemaPath = path;
            schemaSha256 = sha256;
        }

        public long addRecordsRead(int count, long jsonBytes) {
            jsonBytesRead.addAndGet(jsonBytes);
            return recordsRead.addAndGet(count);
        }

        /** Bytes of JSON records received (before compression). */
        public long jsonBytesRead() {
            return jsonBytesRead.get();
        }

        public long recordsRead() {
            return recordsRead.get();
        }

        public void partWritten(PartFile part) {
            (part.relativePath().startsWith(PartFile.TOMBSTONES + "/") ? tombstones : parts).add(part.toManifestPart());
        }

        public void expectedRecords(long rows) {
            expectedRecords = rows;
        }

        /** Rows Dataverse counts for the table, or -1 when not known (or when only changes are read). */
        public long expectedRecords() {
            return copiedWhole == null && deltaTokenUsed != null ? -1 : expectedRecords;
        }

        /** In an incremental: the table is read whole, for this reason. */
        public void copiedWhole(String reason) {
            copiedWhole = reason;
            deltaTokenUsed = null;
        }

        /** In an incremental: the table's changes are read since this token. */
        public void changesSince(String token) {
            deltaTokenUsed = token;
        }

        /** The change-tracking token of the read (from its last page's delta link). */
        public void deltaTokenObtained(String token) {
            deltaToken = token;
        }

        public String copiedWholeReason() {
            return copiedWhole;
        }

        public long tombstonesInParts() {
            synchronized (tombstones) {
                return tombstones.stream().mapToLong(SnapshotManifest.Part::records).sum();
            }
        }

        public void completed(Instant at) {
            long inParts = recordsInParts() + tombstonesInParts();
            if (inParts != recordsRead.get()) {
                throw new IllegalStateException(scope.logicalName() + ": " + recordsRead.get() + " records read but "
                        + inParts + " written to parts (" + parts + ", deleted " + tombstones + ")");
            }
            completedAt = at;
        }

        /** The table cannot be read through the Web API at all: recorded in the manifest, without parts. */
        public void skipped(String reason, Instant at) {
            synchronized (parts) {
                parts.clear();
            }
            skipped = reason;
            completedAt = at;
        }

        public String skippedReason() {
            return skipped;
        }

        public Instant startedAt() {
            return startedAt;
        }

        public Duration elapsed() {
            Instant end = completedAt != null ? completedAt : Instant.now();
            return startedAt == null ? Duration.ZERO : Duration.between(startedAt, end);
        }

        public long recordsInParts() {
            synchronized (parts) {
                return parts.stream().mapToLong(SnapshotManifest.Part::records).sum();
            }
        }

        public long bytesInParts() {
            synchronized (parts) {
                return parts.stream().mapToLong(SnapshotManifest.Part::bytes).sum();
            }
        }

        /** The table's line in the manifest; {@code incremental} adds how it was copied. */
        SnapshotManifest.Table toManifest(boolean incremental) {
            SnapshotManifest.Table table = toManifest();
            if (!incremental || skipped != null) {
                return deltaToken == null ? table : new SnapshotManifest.Table(table.logicalName(), table.entitySetName(),
                        table.primaryIdAttribute(), table.records(), table.schema(), table.schemaSha256(), table.parts(),
                        table.skipped(), null, null, null, null, null, deltaToken);
            }
            return new SnapshotManifest.Table(table.logicalName(), table.entitySetName(), table.primaryIdAttribute(),
                    table.records(), table.schema(), table.schemaSha256(), table.parts(), null,
                    copiedWhole == null ? SnapshotManifest.Table.CHANGES : SnapshotManifest.Table.WHOLE, copiedWhole,
                    tombstonesInParts(), List.copyOf(tombstones), deltaTokenUsed, deltaToken);
        }

        SnapshotManifest.Table toManifest() {
            synchronized (parts) {
                // in path order: the parts of a partitioned read are stored as its ranges finish them
                return new SnapshotManifest.Table(scope.logicalName(), scope.entitySetName(), scope.primaryIdAttribute(),
                        recordsInParts(), skipped == null ? schemaPath : null, skipped == null ? schemaSha256 : null,
                        parts.stream().sorted(java.util.Comparator.comparing(SnapshotManifest.Part::path)).toList(), skipped);
            }
        }
    }
}
