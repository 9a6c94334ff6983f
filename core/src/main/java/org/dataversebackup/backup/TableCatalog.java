package org.dataversebackup.backup;

import org.dataversebackup.dataverse.TableNamePatterns;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.Urls;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Resolves the tables in scope from the metadata: a list of logical names, or {@code *} for every
 * table that can be retrieved (it has an entity set and is not private; custom tables and N:N
 * intersect tables included), minus exclusion patterns ({@code *} matches any characters).
 */
public class TableCatalog {
    static final String SELECT = "LogicalName,EntitySetName,PrimaryIdAttribute,IsPrivate,ChangeTrackingEnabled";

    private final Supplier<DataverseClient> client;

    /** @param client created on first use, so settings are only needed when a backup runs */
    public TableCatalog(Supplier<DataverseClient> client) {
        this.client = client;
    }

    public List<TableScope> resolve(List<String> tables, List<String> exclude) {
        List<TableScope> scope = tables.isEmpty() || tables.contains("*") ? all() : named(tables);
        List<Pattern> patterns = exclude.stream().map(TableNamePatterns::glob).toList();
        List<TableScope> kept = scope.stream()
                .filter(t -> patterns.stream().noneMatch(p -> p.matcher(t.logicalName()).matches()))
                .toList();
        if (kept.isEmpty()) {
            throw new ConfigurationException("No table is in scope: backup.tables " + tables + " minus backup.exclude "
                    + exclude + " leaves nothing to back up.");
        }
        return kept;
    }

    private List<TableScope> all() {
        JsonNode definitions = client.get().getJson("EntityDefinitions?$select=" + SELECT);
        List<TableScope> scope = new ArrayList<>();
        for (JsonNode definition : definitions.path("value")) {
            boolean retrievable = !definition.path("EntitySetName").asText("").isEmpty()
                    && !definition.path("IsPrivate").asBoolean(false);
            if (retrievable) {
                scope.add(toScope(definition, false));
            }
        }
        scope.sort(java.util.Comparator.comparing(TableScope::logicalName));
        return scope;
    }

    private List<TableScope> named(List<String> names) {
        List<TableScope> scope = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            String logicalName = name.trim().toLowerCase();
            try {
                JsonNode definition = client.get().getJson("EntityDefinitions(LogicalName='" + Urls.encode(logicalName)
                        + "')?$select=" + SELECT);
                if (definition.path("EntitySetName").asText("").isEmpty()) {
                    throw new ConfigurationException("Table '" + logicalName
                            + "' cannot be read through the Web API (it has no entity set).");
                }
                scope.add(toScope(definition, true));
            } catch (DataverseException e) {
                if (e.status() != 404) {
                    throw e;
                }
                unknown.add(logicalName);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException("No such table in " + client.get().environmentUrl() + ": "
                    + String.join(", ", unknown) + ". Use logical names (e.g. account, contact) in backup.tables.");
        }
        return scope;
    }

    private static TableScope toScope(JsonNode definition, boolean named) {
        return new TableScope(definition.path("LogicalName").asText(), definition.path("EntitySetName").asText(),
                definition.path("PrimaryIdAttribute").asText(), named, definition.path("ChangeTrackingEnabled").asBoolean(false));
    }
}
