package org.dataversebackup.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.PagedRecords;
import org.dataversebackup.dataverse.Urls;
import org.dataversebackup.snapshot.PartFile;
import org.dataversebackup.snapshot.PartWriter;
import org.dataversebackup.snapshot.SnapshotEncryption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table's rows page by page ({@code Prefer: odata.maxpagesize}), following
 * {@code @odata.nextLink} verbatim, with the annotations restore needs for lookups, and writes
 * them to local gzip NDJSON parts of {@code backup.chunk-records} records. The parts are handed out
 * one at a time as they are written: a streaming split over them holds one page and one part,
 * whatever the size of the table. (The part is written when the split asks for it, because Camel's
 * split looks ahead with {@code hasNext()} before it processes an element.)
 *
 * <p>Partitions ({@code backup.partitions}, {@link Partitioning}): a big table is read as several
 * disjoint ranges of its primary key at once ({@link KeySpan}, {@link KeyRanges}), each with
 * {@code $filter=<pk> ge X and <pk> lt Y} and paged with nextLink as a single read is, into parts of
 * its own ({@code part-<range>-<part>}). {@link #partitions} says what to read, {@link #parts} reads one.
 *
 * <p>Change tracking: a table with {@code ChangeTrackingEnabled} is read with
 * {@code Prefer: odata.track-changes}, and the token of the last page's {@code @odata.deltaLink} is
 * kept in the manifest. Change tracking allows no {@code $filter}, so a partitioned read takes its
 * token from a tracked read of the key column alone, whose first page is read before any range is
 * and which is followed to its deltaLink beside the ranges: the token stands for the changes since
 * that first request ("changes that have occurred since the initial request"), so every change after
 * it is in the next incremental. That read is the changes since the newest snapshot's token when
 * there is one (as many pages as changes), else every key of the table.
 * An incremental snapshot reads only the changes since its base's token (a single read): new and
 * changed rows go to the data parts, deleted rows to tombstone parts ({@link Tombstones}).
 * A table without change tracking, without a token in the base, or whose token has expired is read
 * whole (partitioned when big), and the manifest says why.
 *
 * <p>Records that hold a value in a file or image column are noted as they pass, by every partition
 * of the table into one list ({@link FileReferences}); {@link FileBackup} downloads those files once
 * the rows are stored.
 */
public class TableReader {
    private static final Logger LOG = LoggerFactory.getLogger(TableReader.class);
    /** Dataverse's answer to a delta token older than the change-tracking retention (7 days by default). */
    static final String EXPIRED_TOKEN = "0x80044352";

    private final Supplier<DataverseClient> client;
    private final int pageSize;
    private final int chunkRecords;
    private final String annotations;
    private final BackupProgress progress;
    /** Fetches each table's next page while the current one is being written (owned by the caller). */
    private final java.util.concurrent.Executor readAhead;
    private final SnapshotEncryption encryption;
    private final Partitioning partitioning;
    /** How many partitions the backup reads at once (the size of its partition pool). */
    private final IntSupplier readers;

    public TableReader(Supplier<DataverseClient> client, int pageSize, int chunkRecords, String annotations,
            BackupProgress progress, java.util.concurrent.Executor readAhead, SnapshotEncryption encryption,
            Partitioning partitioning, IntSupplier readers) {
        this.readAhead = readAhead;
        this.encryption = encryption;
        this.client = client;
        this.pageSize = pageSize;
        this.chunkRecords = chunkRecords;
        this.annotations = annotations;
        this.progress = progress;
        this.partitioning = partitioning;
        this.readers = readers;
    }

    /**
     * What to read of the table, for a parallel split: one read of the whole table (or of its
     * changes), or its key ranges and, for a change-tracked table, the key-only read that gives
     * the delta token. Requests here are the few that decide (the first page, the key span); the
     * rows are read by {@link #parts}.
     */
    public List<Partition> partitions(@Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        SnapshotRun.TableState state = run.table(table);
        state.started(Instant.now());
        state.fileReferences(state.fileColumns().isEmpty() ? null
                : new FileReferences(run.workDir(), state.scope(), state.fileColumns(), new RecordBodies(run.workDir(),
                        table, state.scope().primaryIdAttribute(), state.fileColumns(), encryption, run.snapshotId())));
        Optional<PagedRecords> changes = changesSinceBase(state, run);
        if (changes.isPresent()) {
            return List.of(Partition.whole(changes.get(), new Tombstones(run.workDir(), table, run.startedAt())));
        }
        TableScope scope = state.scope();
        int wanted = partitioning.partitions(state.expectedRecords(), readers.getAsInt());
        Optional<KeySpan> span = wanted < 2 ? Optional.empty()
                : KeySpan.of(client.get(), scope.entitySetName(), scope.primaryIdAttribute());
        List<KeyRange> ranges = span.map(s -> KeyRanges.between(s.lowest(), s.highest(), wanted)).orElse(KeyRanges.whole());
        if (ranges.size() == 1) {
            return List.of(Partition.whole(readWhole(state), new Tombstones(run.workDir(), table, run.startedAt())));
        }
        List<Partition> partitions = new ArrayList<>();
        if (scope.changeTracking()) {
            changesSincePrevious(state, run).or(() -> trackedKeys(state)).ifPresent(keys -> partitions.add(Partition.keysOnly(keys)));
        }
        // one reader per range; a reader that is done takes over half of what another still has to read
        KeyRangeWork work = new KeyRangeWork(ranges, span.get().highest(), pageSize);
        for (int reader = 0; reader < ranges.size(); reader++) {
            partitions.add(Partition.reader(work));
        }
        LOG.info("{}: read in {} key ranges at once (backup.partitions={}, about {} rows)", table, ranges.size(),
                partitioning, state.expectedRecords());
        return partitions;
    }

    /** The parts of one partition, written as the split asks for them. */
    public Iterator<PartFile> parts(Partition partition, @Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        if (partition.keysOnly) {
            // its last page has the delta token; no part of its own
            while (partition.records.hasNext()) {
                partition.records.next();
                if (run.ended()) {
                    throw new IllegalStateException("Backup " + run.snapshotId() + " has ended; " + table + " stops here");
                }
            }
            return Collections.emptyIterator();
        }
        if (partition.ranges != null) {
            return rangeParts(partition.ranges, table, run);
        }
        Tombstones tombstones = partition.tombstones;
        RecordChunks chunks = new RecordChunks(new RowsOnly(partition.records, tombstones, run.table(table).fileReferences()),
                chunkRecords);
        PartWriter partWriter = new PartWriter(run.workDir(), encryption, run.snapshotId());
        return new Iterator<>() {
            private int partNumber;
            /** Once every row is written: the tombstone parts. */
            private Iterator<PartFile> tombstoneParts;

            @Override
            public boolean hasNext() {
                if (tombstoneParts == null) {
                    if (chunks.hasNext()) {
                        return true;
                    }
                    tombstoneParts = tombstones == null ? Collections.emptyIterator() : tombstones.parts(partWriter, chunkRecords);
                }
                return tombstoneParts.hasNext();
            }

            @Override
            public PartFile next() {
                if (run.ended()) {
                    throw new IllegalStateException("Backup " + run.snapshotId() + " has ended; " + table + " stops here");
                }
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (tombstoneParts != null) {
                    return tombstoneParts.next();
                }
                return partWriter.write(chunks.next(), table, ++partNumber);
            }
        };
    }

    /**
     * The parts of one reader of a table's key ranges: the range it takes first, then any it takes
     * over from the others ({@link KeyRangeWork}), each read with its {@code $filter} and paged with
     * nextLink into parts {@code part-<range>-<part>} of its own.
     */
    private Iterator<PartFile> rangeParts(KeyRangeWork work, String table, SnapshotRun run) {
        SnapshotRun.TableState state = run.table(table);
        TableScope scope = state.scope();
        PartWriter partWriter = new PartWriter(run.workDir(), encryption, run.snapshotId());
        return new Iterator<>() {
            private KeyRangeWork.Read read;
            private RecordChunks chunks;
            private int partNumber;

            @Override
            public boolean hasNext() {
                try {
                    return nextRange();
                } catch (RuntimeException e) {
                    work.failed();
                    throw e;
                }
            }

            /** Whether there is a part to write, taking the next range when this one is read. */
            private boolean nextRange() {
                while (chunks == null || !chunks.hasNext()) {
                    if (read != null) {
                        work.finished(read);
                        read = null;
                        chunks = null;
                    }
                    Optional<KeyRangeWork.Read> next;
                    try {
                        next = work.next();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(table + ": interrupted while waiting for a key range", e);
                    }
                    if (next.isEmpty()) {
                        return false;
                    }
                    read = next.get();
                    partNumber = 0;
                    if (read.range().index() >= work.initialRanges()) {
                        LOG.debug("{}: reads {}, split off a range still being read", table, read.range());
                    }
                    String filter = Urls.encode(read.range().filter(scope.primaryIdAttribute()));
                    chunks = new RecordChunks(new RangeRecords(new PagedRecords(client.get(), scope.entitySetName()
                            + "?$filter=" + filter, Map.of("Prefer", prefer()), page -> { }, readAhead), read,
                            scope.primaryIdAttribute(), state), chunkRecords);
                }
                return true;
            }

            @Override
            public PartFile next() {
                if (run.ended()) {
                    throw new IllegalStateException("Backup " + run.snapshotId() + " has ended; " + table + " stops here");
                }
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                partNumber++;
                try {
                    return partWriter.write(chunks.next(), table, partNumber,
                            PartFile.relativePath(table, read.range().index() + 1, partNumber));
                } catch (RuntimeException e) {
                    work.failed();
                    throw e;
                }
            }
        };
    }

    /**
     * The rows of one range read, up to where the range now ends ({@link KeyRangeWork.Read#admit}):
     * rows at or after a boundary moved by a split are dropped, and the read stops there. Counted as
     * read when handed out, so that dropped rows never count.
     */
    private final class RangeRecords implements Iterator<byte[]> {
        private final Iterator<byte[]> records;
        private final KeyRangeWork.Read read;
        private final String primaryKey;
        private final SnapshotRun.TableState state;
        private byte[] next;
        private boolean ended;
        private int uncounted;
        private long uncountedBytes;

        RangeRecords(Iterator<byte[]> records, KeyRangeWork.Read read, String primaryKey, SnapshotRun.TableState state) {
            this.records = records;
            this.read = read;
            this.primaryKey = primaryKey;
            this.state = state;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !ended) {
                if (records.hasNext()) {
                    byte[] record = records.next();
                    if (read.admit(RecordKeys.key(record, primaryKey, state.scope().logicalName()))) {
                        next = record;
                    } else {
                        ended = true;
                    }
                } else {
                    ended = true;
                }
                if (ended || uncounted >= pageSize) {
                    report();
                }
            }
            return next != null;
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            byte[] record = next;
            next = null;
            uncounted++;
            uncountedBytes += record.length + 1;
            return record;
        }

        private void report() {
            if (uncounted > 0) {
                progress.pageRead(state, uncounted, uncountedBytes);
                uncounted = 0;
                uncountedBytes = 0;
            }
        }
    }

    /**
     * One thing to read of a table: the whole table or its changes (with the tombstones of deleted
     * rows), one reader of its key ranges, or the key column alone for the delta token.
     */
    public static final class Partition {
        private final Iterator<byte[]> records;
        private final KeyRangeWork ranges;
        private final Tombstones tombstones;
        private final boolean keysOnly;

        private Partition(Iterator<byte[]> records, KeyRangeWork ranges, Tombstones tombstones, boolean keysOnly) {
            this.records = records;
            this.ranges = ranges;
            this.tombstones = tombstones;
            this.keysOnly = keysOnly;
        }

        static Partition whole(Iterator<byte[]> records, Tombstones tombstones) {
            return new Partition(records, null, tombstones, false);
        }

        static Partition reader(KeyRangeWork ranges) {
            return new Partition(null, ranges, null, false);
        }

        static Partition keysOnly(Iterator<byte[]> keys) {
            return new Partition(keys, null, null, true);
        }

        @Override
        public String toString() {
            return keysOnly ? "key column (delta token)" : ranges == null ? "whole table" : "reader of key ranges";
        }
    }

    /**
     * In an incremental: the changes since the base's token, when they can be read; otherwise
     * empty, and the table is recorded as copied whole, saying why.
     */
    private Optional<PagedRecords> changesSinceBase(SnapshotRun.TableState state, SnapshotRun run) {
        TableScope scope = state.scope();
        Optional<IncrementalBase> base = run.base();
        if (base.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> token = base.get().token(scope.logicalName());
        if (!scope.changeTracking()) {
            state.copiedWhole("change tracking is not enabled for the table (ChangeTrackingEnabled is false)");
        } else if (token.isEmpty()) {
            state.copiedWhole("snapshot " + base.get().snapshotId() + " has no delta token for it (new in the scope)");
        } else {
            PagedRecords changes = paged(scope.entitySetName() + "?$deltatoken=" + Urls.encode(token.get()), state, true);
            try {
                changes.hasNext(); // the first page: an expired token is refused here, before anything is written
                state.changesSince(token.get());
                return Optional.of(changes);
            } catch (DataverseException e) {
                if (EXPIRED_TOKEN.equalsIgnoreCase(e.code())) {
                    LOG.warn("{}: the delta token of snapshot {} has expired ({}); this table starts a new chain with a"
                            + " full copy", scope.logicalName(), base.get().snapshotId(), e.dataverseMessage());
                    state.copiedWhole("the delta token of snapshot " + base.get().snapshotId() + " has expired: "
                            + e.dataverseMessage());
                } else if (trackingRefused(e)) {
                    LOG.warn("{}: Dataverse refused to read its changes ({}); copied whole", scope.logicalName(),
                            e.getMessage());
                    state.copiedWhole("Dataverse refused to read its changes: " + e.dataverseMessage()
                            + (e.status() == 403 ? " (change tracking needs organization-wide Read on the table)" : ""));
                } else {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /** A single read of the whole table, tracking its changes when the table allows it. */
    private PagedRecords readWhole(SnapshotRun.TableState state) {
        TableScope scope = state.scope();
        if (!scope.changeTracking()) {
            return paged(scope.entitySetName(), state, false);
        }
        PagedRecords tracked = paged(scope.entitySetName(), state, true);
        try {
            tracked.hasNext(); // the first page: a refusal of change tracking comes here, before anything is written
            return tracked;
        } catch (DataverseException e) {
            if (!trackingRefused(e)) {
                throw e;
            }
            warnTrackingRefused(scope, e);
            return paged(scope.entitySetName(), state, false);
        }
    }

    /**
     * For the delta token of a partitioned read when the newest snapshot before this one has a
     * token for the table: the keys of the rows changed since then ({@code $select=<pk>}, as in the
     * delta links Dataverse returns), its first page read now, before any key range is. Its delta
     * link stands for the changes since this request, and it costs as many pages as there were
     * changes, not as the table has rows. Empty when there is no such token, or when Dataverse
     * refuses it (expired, or tracking refused): the key-only read is taken then.
     */
    private Optional<PagedRecords> changesSincePrevious(SnapshotRun.TableState state, SnapshotRun run) {
        TableScope scope = state.scope();
        Optional<IncrementalBase> previous = run.previous();
        Optional<String> token = previous.flatMap(p -> p.token(scope.logicalName()));
        if (token.isEmpty()) {
            return Optional.empty();
        }
        PagedRecords changes = new PagedRecords(client.get(), scope.entitySetName() + "?$select=" + scope.primaryIdAttribute()
                + "&$deltatoken=" + Urls.encode(token.get()), Map.of("Prefer", "odata.track-changes,"
                        + PagedRecords.prefer(pageSize, null)), page -> deltaToken(state, page), readAhead);
        try {
            changes.hasNext();
            LOG.info("{}: its delta token from the changes since snapshot {}", scope.logicalName(), previous.get().snapshotId());
            return Optional.of(changes);
        } catch (DataverseException e) {
            if (!EXPIRED_TOKEN.equalsIgnoreCase(e.code()) && !trackingRefused(e)) {
                throw e;
            }
            LOG.info("{}: the delta token of snapshot {} cannot be used ({}); the delta token comes from a read of the key"
                    + " column", scope.logicalName(), previous.get().snapshotId(), e.dataverseMessage());
            return Optional.empty();
        }
    }

    /**
     * The key column alone with {@code odata.track-changes}, its first page read now (before any
     * key range is), for the delta token of a partitioned read; empty when Dataverse refuses to track.
     */
    private Optional<PagedRecords> trackedKeys(SnapshotRun.TableState state) {
        TableScope scope = state.scope();
        PagedRecords keys = new PagedRecords(client.get(), scope.entitySetName() + "?$select=" + scope.primaryIdAttribute(),
                Map.of("Prefer", "odata.track-changes," + PagedRecords.prefer(pageSize, null)), page -> deltaToken(state, page),
                readAhead);
        try {
            keys.hasNext();
            LOG.info("{}: its delta token from a read of its key column ({} pages)", scope.logicalName(),
                    state.expectedRecords() < 0 ? "as many as the table's" : String.valueOf(state.expectedRecords() / pageSize + 1));
            return Optional.of(keys);
        } catch (DataverseException e) {
            if (!trackingRefused(e)) {
                throw e;
            }
            warnTrackingRefused(scope, e);
            return Optional.empty();
        }
    }

    private static void warnTrackingRefused(TableScope scope, DataverseException e) {
        // the metadata says change tracking, the Web API refuses it (or the account's Read is not organization-wide,
        // which change tracking needs): the rows matter more than the token
        LOG.warn("{}: Dataverse refused to track its changes ({}){}; read without a delta token, so the next"
                + " incremental copies it whole", scope.logicalName(), e.getMessage(),
                e.status() == 403 ? " - change tracking needs organization-wide Read on the table" : "");
    }

    /** A refusal of change tracking itself (400), or of the privilege depth it needs (403): the rows can still be read. */
    private static boolean trackingRefused(DataverseException e) {
        return e.status() == 400 || e.status() == 403;
    }

    private PagedRecords paged(String url, SnapshotRun.TableState state, boolean trackChanges) {
        String prefer = trackChanges ? "odata.track-changes," + prefer() : prefer();
        return new PagedRecords(client.get(), url, Map.of("Prefer", prefer), page -> {
            progress.pageRead(state, page.records().size(), page.recordBytes() + page.records().size());
            deltaToken(state, page);
        }, readAhead);
    }

    private static void deltaToken(SnapshotRun.TableState state, org.dataversebackup.dataverse.RecordPage page) {
        if (page.deltaLink() != null) {
            state.deltaTokenObtained(Urls.queryParameter(page.deltaLink(), "$deltatoken").orElseThrow(() ->
                    new IllegalStateException(state.scope().logicalName() + ": a delta link without a $deltatoken: "
                            + page.deltaLink())));
        }
    }

    String prefer() {
        return PagedRecords.prefer(pageSize, annotations);
    }

    /** The new and changed rows of a read; the deleted ones ({@code $deletedEntity}) go to the tombstones. */
    private static final class RowsOnly implements Iterator<byte[]> {
        private final Iterator<byte[]> records;
        private final Tombstones tombstones;
        /** Notes the records with file or image values, or null when the table has none to back up (shared by partitions). */
        private final FileReferences files;
        private byte[] next;

        RowsOnly(Iterator<byte[]> records, Tombstones tombstones, FileReferences files) {
            this.records = records;
            this.tombstones = tombstones;
            this.files = files;
        }

        @Override
        public boolean hasNext() {
            while (next == null && records.hasNext()) {
                byte[] record = records.next();
                if (tombstones != null && Tombstones.isDeletion(record)) {
                    tombstones.add(record);
                } else {
                    next = files != null ? files.add(record) : record;
                }
            }
            return next != null;
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            byte[] record = next;
            next = null;
            return record;
        }
    }
}
