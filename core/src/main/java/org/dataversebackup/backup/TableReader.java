package org.dataversebackup.backup;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
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
 * <p>Change tracking: a table with {@code ChangeTrackingEnabled} is read with
 * {@code Prefer: odata.track-changes}, and the token of the last page's {@code @odata.deltaLink} is
 * kept in the manifest. An incremental snapshot reads only the changes since its base's token:
 * new and changed rows go to the data parts, deleted rows to tombstone parts ({@link Tombstones}).
 * A table without change tracking, without a token in the base, or whose token has expired is read
 * whole, and the manifest says why.
 *
 * <p>Records that hold a value in a file or image column are noted as they pass
 * ({@link FileReferences}); {@link FileBackup} downloads those files once the rows are stored.
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

    public TableReader(Supplier<DataverseClient> client, int pageSize, int chunkRecords, String annotations,
            BackupProgress progress, java.util.concurrent.Executor readAhead, SnapshotEncryption encryption) {
        this.readAhead = readAhead;
        this.encryption = encryption;
        this.client = client;
        this.pageSize = pageSize;
        this.chunkRecords = chunkRecords;
        this.annotations = annotations;
        this.progress = progress;
    }

    public Iterator<PartFile> parts(@Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        SnapshotRun.TableState state = run.table(table);
        state.started(Instant.now());
        PagedRecords records = open(state, run);
        Tombstones tombstones = new Tombstones(run.workDir(), table, run.startedAt());
        FileReferences files = state.fileColumns().isEmpty() ? null
                : new FileReferences(run.workDir(), state.scope(), state.fileColumns());
        state.fileReferences(files);
        RecordChunks chunks = new RecordChunks(new RowsOnly(records, tombstones, files), chunkRecords);
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
                    tombstoneParts = tombstones.parts(partWriter, chunkRecords);
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
                return tombstoneParts == null ? partWriter.write(chunks.next(), table, ++partNumber) : tombstoneParts.next();
            }
        };
    }

    /** The rows to read: the changes since the base's token, or the whole table (saying why in an incremental). */
    private PagedRecords open(SnapshotRun.TableState state, SnapshotRun run) {
        TableScope scope = state.scope();
        Optional<IncrementalBase> base = run.base();
        if (base.isPresent()) {
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
                    return changes;
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
        }
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
            // the metadata says change tracking, the Web API refuses it (or the account's Read is not organization-wide,
            // which change tracking needs): the rows matter more than the token
            LOG.warn("{}: Dataverse refused to track its changes ({}){}; read without a delta token, so the next"
                    + " incremental copies it whole", scope.logicalName(), e.getMessage(),
                    e.status() == 403 ? " - change tracking needs organization-wide Read on the table" : "");
            return paged(scope.entitySetName(), state, false);
        }
    }

    /** A refusal of change tracking itself (400), or of the privilege depth it needs (403): the rows can still be read. */
    private static boolean trackingRefused(DataverseException e) {
        return e.status() == 400 || e.status() == 403;
    }

    private PagedRecords paged(String url, SnapshotRun.TableState state, boolean trackChanges) {
        String prefer = trackChanges ? "odata.track-changes," + prefer() : prefer();
        return new PagedRecords(client.get(), url, Map.of("Prefer", prefer), page -> {
            progress.pageRead(state, page.records().size(), page.recordBytes() + page.records().size());
            if (page.deltaLink() != null) {
                state.deltaTokenObtained(Urls.queryParameter(page.deltaLink(), "$deltatoken").orElseThrow(() ->
                        new IllegalStateException(state.scope().logicalName() + ": a delta link without a $deltatoken: "
                                + page.deltaLink())));
            }
        }, readAhead);
    }

    String prefer() {
        return PagedRecords.prefer(pageSize, annotations);
    }

    /** The new and changed rows of a read; the deleted ones ({@code $deletedEntity}) go to the tombstones. */
    private static final class RowsOnly implements Iterator<byte[]> {
        private final Iterator<byte[]> records;
        private final Tombstones tombstones;
        /** Notes the records with file or image values, or null when the table has none to back up. */
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
                if (Tombstones.isDeletion(record)) {
                    tombstones.add(record);
                } else {
                    next = record;
                    if (files != null) {
                        files.add(record);
                    }
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
