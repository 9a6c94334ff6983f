package org.dataversebackup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.dataversebackup.config.ConfigurationException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Remaps references to rows that have other ids in the target environment: owners (users, teams),
 * business units, currencies, or any other table. A JSON file with one object per table, mapping
 * the source id to the target id:
 *
 * <pre>
 * {
 *   "systemuser":          { "&lt;source user id&gt;": "&lt;target user id&gt;" },
 *   "team":                { "&lt;source team id&gt;": "&lt;target team id&gt;" },
 *   "businessunit":        { "&lt;source id&gt;": "&lt;target id&gt;" },
 *   "transactioncurrency": { "&lt;source id&gt;": "&lt;target id&gt;" }
 * }
 * </pre>
 *
 * Every lookup whose saved target table ({@code lookuplogicalname}) is mapped is rewritten, and so
 * are the ends of N:N links.
 */
public final class ReferenceMapping {
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    public static final ReferenceMapping NONE = new ReferenceMapping(Map.of());

    private final Map<String, Map<String, String>> byTable;

    private ReferenceMapping(Map<String, Map<String, String>> byTable) {
        this.byTable = byTable;
    }

    public static ReferenceMapping load(Path file) {
        JsonNode root;
        try {
            root = RestoreJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigurationException("The mapping file " + file + " cannot be read: " + e.getMessage());
        }
        return parse(root, file.toString());
    }

    static ReferenceMapping parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new ConfigurationException(source + " must hold a JSON object: {\"systemuser\": {\"<source id>\": \"<target id>\"}, ...}.");
        }
        Map<String, Map<String, String>> byTable = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> tables = root.fields(); tables.hasNext();) {
            Map.Entry<String, JsonNode> table = tables.next();
            if (!table.getValue().isObject()) {
                throw new ConfigurationException(source + ": '" + table.getKey() + "' must map source ids to target ids.");
            }
            Map<String, String> ids = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> pairs = table.getValue().fields(); pairs.hasNext();) {
                Map.Entry<String, JsonNode> pair = pairs.next();
                String from = pair.getKey().trim();
                String to = pair.getValue().asText("").trim();
                if (!GUID.matcher(from).matches() || !GUID.matcher(to).matches()) {
                    throw new ConfigurationException(source + ": '" + table.getKey() + "' maps '" + from + "' to '" + to
                            + "'; both must be GUIDs.");
                }
                ids.put(from.toLowerCase(Locale.ROOT), to.toLowerCase(Locale.ROOT));
            }
            byTable.put(table.getKey().trim().toLowerCase(Locale.ROOT), Map.copyOf(ids));
        }
        return new ReferenceMapping(Map.copyOf(byTable));
    }

    /** The target id of a reference: the mapped one, or the id itself. */
    public String map(String table, String id) {
        if (id == null) {
            return null;
        }
        String lower = id.toLowerCase(Locale.ROOT);
        Map<String, String> ids = byTable.get(table);
        return ids == null ? lower : ids.getOrDefault(lower, lower);
    }

}
