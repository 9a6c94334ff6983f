package org.dataversebackup.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.PagedRecords;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A sample of a table's primary keys in the order Dataverse sorts them: a read of the key column
 * alone ({@code $select=<pk>&$orderby=<pk>}), paged with nextLink, keeping every n-th key. Only the
 * sample is held, so memory grows with the number of partitions, not with the table. The server's
 * own order decides the boundaries, so range filters on them agree with it.
 */
public final class KeySampler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataverseClient client;
    private final int pageSize;

    public KeySampler(DataverseClient client, int pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    /** Every {@code every}-th key of the table (the first included), in Dataverse's order. */
    public List<UUID> sample(String entitySetName, String primaryKey, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1, was " + every);
        }
        PagedRecords keys = new PagedRecords(client, entitySetName + "?$select=" + primaryKey + "&$orderby=" + primaryKey
                + " asc", Map.of("Prefer", PagedRecords.prefer(pageSize, null)), page -> { });
        List<UUID> sample = new ArrayList<>();
        long position = 0;
        while (keys.hasNext()) {
            byte[] record = keys.next();
            if (position++ % every == 0) {
                sample.add(key(record, entitySetName, primaryKey));
            }
        }
        return sample;
    }

    private static UUID key(byte[] record, String entitySetName, String primaryKey) {
        try {
            JsonNode id = JSON.readTree(record).get(primaryKey);
            if (id == null || !id.isTextual()) {
                throw new IllegalStateException(entitySetName + ": a row without its primary key " + primaryKey);
            }
            return UUID.fromString(id.asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
