package org.dataversebackup.backup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.Urls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How many rows each table has, for progress with a total and the time left: one
 * {@code RetrieveTotalRecordCount} request for every table in scope (Microsoft documents it as a
 * count Dataverse keeps, up to a day old: an estimate, never a check). When Dataverse cannot
 * answer (a table it does not count), progress goes on without totals.
 */
final class TableTotals {
    private static final Logger LOG = LoggerFactory.getLogger(TableTotals.class);

    private TableTotals() {
    }

    static Map<String, Long> of(DataverseClient client, List<TableScope> scope) {
        Map<String, Long> totals = new HashMap<>();
        if (scope.isEmpty()) {
            return totals;
        }
        StringBuilder names = new StringBuilder("[");
        for (TableScope table : scope) {
            names.append(names.length() > 1 ? "," : "").append('"').append(table.logicalName()).append('"');
        }
        try {
            JsonNode counts = client.getJson("RetrieveTotalRecordCount(EntityNames=@p1)?@p1="
                    + Urls.encode(names.append(']').toString())).path("EntityRecordCountCollection");
            JsonNode keys = counts.path("Keys");
            JsonNode values = counts.path("Values");
            for (int i = 0; i < keys.size() && i < values.size(); i++) {
                totals.put(keys.get(i).asText(), values.get(i).asLong());
            }
        } catch (DataverseException e) {
            LOG.debug("No row totals for progress ({}): progress shows rows read and their rate only", e.getMessage());
        }
        return totals;
    }
}
