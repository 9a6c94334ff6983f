package org.dataversebackup.check;

import org.dataversebackup.dataverse.TableNamePatterns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.Urls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the metadata the check needs: the tables in scope (as the backup resolves them: a list of
 * logical names or {@code *} for every table with an entity set that is not private, minus
 * exclusion patterns) and, for restores, each table's lookup columns. Unknown tables are collected
 * and reported, not thrown.
 *
 * <p>Asks for the definitions' {@code Privileges} with a {@code $select}; an environment that
 * refuses the {@code $select} (HTTP 400) is asked again without one, which returns every property.
 */
class CheckMetadata {
    private static final Logger LOG = LoggerFactory.getLogger(CheckMetadata.class);
    static final String TABLE_SELECT = "LogicalName,SchemaName,EntitySetName,IsPrivate,IsIntersect,IsActivity,"
            + "ChangeTrackingEnabled,Privileges";
    static final String LOOKUP_SELECT = "LogicalName,AttributeType,Targets,IsValidForCreate,IsValidForUpdate";

    private final DataverseClient client;
    private final Map<String, Optional<TableFacts>> tables = new LinkedHashMap<>();

    CheckMetadata(DataverseClient client) {
        this.client = client;
    }

    /** The tables in scope, and the names that are no table. */
    record Scope(List<TableFacts> tables, List<String> unknown, List<String> withoutEntitySet, boolean all) {
    }

    /** A lookup column of a table: who it points to and whether a restore writes it. */
    record LookupColumn(String attribute, boolean owner, List<String> targets, boolean writable) {
    }

    Scope resolve(List<String> names, List<String> exclude) {
        List<Pattern> patterns = exclude.stream().map(TableNamePatterns::glob).toList();
        boolean all = names.isEmpty() || names.stream().anyMatch(n -> n.trim().equals("*"));
        List<TableFacts> scope = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> withoutEntitySet = new ArrayList<>();
        if (all) {
            JsonNode definitions = get("EntityDefinitions", TABLE_SELECT);
            for (JsonNode definition : definitions.path("value")) {
                TableFacts table = TableFacts.from(definition);
                tables.put(table.logicalName(), Optional.of(table));
                if (table.hasEntitySet() && !table.privateTable()) {
                    scope.add(table);
                }
            }
            scope.sort(Comparator.comparing(TableFacts::logicalName));
        } else {
            for (String name : names) {
                String logicalName = name.trim().toLowerCase(Locale.ROOT);
                if (logicalName.isEmpty() || scope.stream().anyMatch(t -> t.logicalName().equals(logicalName))) {
                    continue;
                }
                Optional<TableFacts> table = table(logicalName);
                if (table.isEmpty()) {
                    unknown.add(logicalName);
                } else if (!table.get().hasEntitySet()) {
                    withoutEntitySet.add(logicalName);
                } else {
                    scope.add(table.get());
                }
            }
        }
        List<TableFacts> kept = scope.stream()
                .filter(t -> patterns.stream().noneMatch(p -> p.matcher(t.logicalName()).matches()))
                .toList();
        return new Scope(kept, unknown, withoutEntitySet, all);
    }

    /** A table's definition, or empty when there is no such table (404). */
    Optional<TableFacts> table(String logicalName) {
        Optional<TableFacts> known = tables.get(logicalName);
        if (known != null) {
            return known;
        }
        Optional<TableFacts> found;
        try {
            found = Optional.of(TableFacts.from(get("EntityDefinitions(LogicalName='" + Urls.encode(logicalName) + "')",
                    TABLE_SELECT)));
        } catch (DataverseException e) {
            if (e.status() != 404) {
                throw e;
            }
            found = Optional.empty();
        }
        tables.put(logicalName, found);
        return found;
    }

    /** The lookup columns of a table (Lookup, Customer and Owner: the LookupAttributeMetadata cast). */
    List<LookupColumn> lookups(String logicalName) {
        JsonNode attributes = get("EntityDefinitions(LogicalName='" + Urls.encode(logicalName) + "')/Attributes/"
                + "Microsoft.Dynamics.CRM.LookupAttributeMetadata", LOOKUP_SELECT);
        List<LookupColumn> lookups = new ArrayList<>();
        for (JsonNode attribute : attributes.path("value")) {
            List<String> targets = new ArrayList<>();
            attribute.path("Targets").forEach(t -> targets.add(t.asText().toLowerCase(Locale.ROOT)));
            JsonNode type = attribute.path("AttributeType");
            boolean owner = type.isNumber() ? type.asInt() == 9 : "Owner".equalsIgnoreCase(type.asText());
            boolean writable = attribute.path("IsValidForCreate").asBoolean(true)
                    || attribute.path("IsValidForUpdate").asBoolean(true);
            lookups.add(new LookupColumn(attribute.path("LogicalName").asText(), owner, targets, writable));
        }
        return lookups;
    }

    private JsonNode get(String path, String select) {
        try {
            return client.getJson(path + "?$select=" + select);
        } catch (DataverseException e) {
            if (e.status() != 400) {
                throw e;
            }
            LOG.debug("{} refused $select={} ({}); asking for every property", path, select, e.getMessage());
            return client.getJson(path);
        }
    }
}
