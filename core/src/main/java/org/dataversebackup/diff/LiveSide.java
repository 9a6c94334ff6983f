package org.dataversebackup.diff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.PagedRecords;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The environment's live rows as one side of a comparison, read as a backup reads them (every
 * column, the same annotations, page after page), so that a row restored from a snapshot and left
 * alone compares as unchanged. The tables are the snapshot's: live tables it does not hold are not
 * compared.
 */
public final class LiveSide implements DiffSide {
    private final DataverseClient client;
    private final Map<String, SnapshotManifest.Table> tables;
    private final String prefer;

    /**
     * @param tables the tables to read (entity set and primary key), usually the other side's
     * @param prefer the {@code Prefer} header of a backup's read (page size and annotations)
     */
    public LiveSide(DataverseClient client, Map<String, SnapshotManifest.Table> tables, String prefer) {
        this.client = client;
        this.tables = tables;
        this.prefer = prefer;
    }

    @Override
    public String label() {
        return "live";
    }

    @Override
    public Map<String, SnapshotManifest.Table> tables() {
        return tables;
    }

    @Override
    public Iterator<ObjectNode> rows(SnapshotManifest.Table table, Path work) {
        PagedRecords pages = new PagedRecords(client, table.entitySetName(), Map.of("Prefer", prefer), page -> {
        });
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return pages.hasNext();
            }

            @Override
            public ObjectNode next() {
                try {
                    return (ObjectNode) SnapshotJson.MAPPER.readTree(pages.next());
                } catch (IOException e) {
                    throw new UncheckedIOException("A live row of " + table.logicalName() + " is not JSON: " + e.getMessage(), e);
                }
            }
        };
    }
}
