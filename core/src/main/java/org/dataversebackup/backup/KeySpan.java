package org.dataversebackup.backup;

import java.util.Optional;
import java.util.UUID;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.Urls;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A table's smallest and largest primary key in Dataverse's order, from two requests of one row
 * each ({@code $select=<pk>&$orderby=<pk> asc|desc&$top=1}, without {@code odata.maxpagesize},
 * which would make Dataverse ignore {@code $top}): what {@link KeyRanges} cuts between, at the
 * cost of two requests whatever the size of the table. The server sorts, so the extremes are in
 * its own order.
 */
public record KeySpan(UUID lowest, UUID highest) {

    /** The extremes of the table's keys; empty for an empty table. */
    public static Optional<KeySpan> of(DataverseClient client, String entitySetName, String primaryKey) {
        Optional<UUID> lowest = extreme(client, entitySetName, primaryKey, "asc");
        if (lowest.isEmpty()) {
            return Optional.empty();
        }
        // a table emptied between the two requests has no span either
        return extreme(client, entitySetName, primaryKey, "desc").map(highest -> new KeySpan(lowest.get(), highest));
    }

    private static Optional<UUID> extreme(DataverseClient client, String entitySetName, String primaryKey, String direction) {
        JsonNode rows = client.getJson(entitySetName + "?$select=" + primaryKey + "&$orderby="
                + Urls.encode(primaryKey + " " + direction) + "&$top=1").path("value");
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        JsonNode key = rows.get(0).get(primaryKey);
        if (key == null || !key.isTextual()) {
            throw new IllegalStateException(entitySetName + ": a row without its primary key " + primaryKey + ": " + rows.get(0));
        }
        return Optional.of(UUID.fromString(key.asText()));
    }
}
