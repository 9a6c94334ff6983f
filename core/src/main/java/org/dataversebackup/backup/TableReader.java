package org.dataversebackup.backup;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.PagedRecords;
import org.dataversebackup.snapshot.PartFile;
import org.dataversebackup.snapshot.PartWriter;
import org.dataversebackup.snapshot.SnapshotEncryption;

/**
 * Reads a table's rows page by page ({@code Prefer: odata.maxpagesize}), following
 * {@code @odata.nextLink} verbatim, with the annotations restore needs for lookups, and writes
 * them to local gzip NDJSON parts of {@code backup.chunk-records} records. The parts are handed out
 * one at a time as they are written: a streaming split over them holds one page and one part,
 * whatever the size of the table. (The part is written when the split asks for it, because Camel's
 * split looks ahead with {@code hasNext()} before it processes an element.)
 */
public class TableReader {
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
        PagedRecords records = new PagedRecords(client.get(), state.scope().entitySetName(), Map.of("Prefer", prefer()),
                page -> progress.pageRead(state, page.records().size(),
                        page.recordBytes() + page.records().size()), readAhead);
        RecordChunks chunks = new RecordChunks(records, chunkRecords);
        PartWriter partWriter = new PartWriter(run.workDir(), encryption, run.snapshotId());
        return new Iterator<>() {
            private int partNumber;

            @Override
            public boolean hasNext() {
                return chunks.hasNext();
            }

            @Override
            public PartFile next() {
                if (run.ended()) {
                    throw new IllegalStateException("Backup " + run.snapshotId() + " has ended; " + table + " stops here");
                }
                return partWriter.write(chunks.next(), table, ++partNumber);
            }
        };
    }

    String prefer() {
        return PagedRecords.prefer(pageSize, annotations);
    }
}
