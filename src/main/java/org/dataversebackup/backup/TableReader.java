package org.dataversebackup.backup;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.PagedRecords;

/**
 * Reads a table's rows page by page ({@code Prefer: odata.maxpagesize}), following
 * {@code @odata.nextLink} verbatim, with the annotations restore needs for lookups, and hands
 * them out in chunks of {@code backup.chunk-records} for the part writer.
 */
public class TableReader {
    private final Supplier<DataverseClient> client;
    private final int pageSize;
    private final int chunkRecords;
    private final String annotations;
    private final BackupProgress progress;

    public TableReader(Supplier<DataverseClient> client, int pageSize, int chunkRecords, String annotations, BackupProgress progress) {
        this.client = client;
        this.pageSize = pageSize;
        this.chunkRecords = chunkRecords;
        this.annotations = annotations;
        this.progress = progress;
    }

    public Iterator<Iterator<byte[]>> chunks(@Header(BackupRoutes.TABLE_HEADER) String table,
            @ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        SnapshotRun.TableState state = run.table(table);
        state.started(Instant.now());
        PagedRecords records = new PagedRecords(client.get(), state.scope().entitySetName(), Map.of("Prefer", prefer()),
                page -> progress.pageRead(state, page.records().size()));
        return new RecordChunks(records, chunkRecords);
    }

    String prefer() {
        String prefer = "odata.maxpagesize=" + pageSize;
        return annotations.isBlank() ? prefer : prefer + ",odata.include-annotations=\"" + annotations + "\"";
    }
}
