package org.dataversebackup.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads restore requests from JSON (inbox files, ESB bodies), message headers and command-line values. */
public final class RestoreRequests {
    private static final ObjectMapper JSON = RestoreJson.MAPPER;
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** The keys of a JSON restore request. */
    private static final String TABLES_EXAMPLE = "account,contact";
    private static final String IDS_EXAMPLE = "a primary key such as 9f1c7d1e-0c4b-4f8e-9a0d-2b6f3e1d5c7a";
    private static final String FILTER_EXAMPLE = "name=Contoso;statecode=0";
    public static final List<String> KEYS = List.of("snapshot", "tables", "mode", "ids", "filter", "dryRun",
            "allowOtherEnvironment", "mapping", "rerun", "deletes");

    private RestoreRequests() {
    }

    /**
     * A JSON request: {@code snapshot} (required), optional {@code tables} and {@code ids} (arrays of
     * strings, or comma-separated strings), {@code mode}, {@code filter}, {@code mapping} (strings),
     * {@code dryRun}, {@code allowOtherEnvironment}, {@code rerun}, {@code deletes} (booleans). Unknown keys are an error.
     *
     * @param source named in error messages (a file name)
     */
    public static RestoreRequest fromJson(byte[] json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // where, not what: the parser's message quotes the content, which may not be a request at all
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new ConfigurationException(source + " is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")") + ".");
        } catch (IOException e) {
            throw new ConfigurationException(source + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigurationException(source + " must hold a JSON object, e.g. {\"snapshot\": \"backups/contoso/20260101T020000Z-3f2a-full\"}.");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new ConfigurationException(source + ": unknown key '" + name + "' (a restore request has "
                        + String.join(", ", KEYS) + ").");
            }
        }
        String snapshot = text(root, "snapshot", source).orElseThrow(() -> new ConfigurationException(source
                + ": 'snapshot' is required (a snapshot folder or s3:// URI)."));
        return new RestoreRequest(snapshot, list(root, "tables", source).orElse(List.of()),
                text(root, "mode", source).map(RestoreMode::parse),
                list(root, "ids", source).map(values -> ids(values, source)).orElse(Set.of()), filter(root, source),
                bool(root, "dryRun", source),
                bool(root, "allowOtherEnvironment", source), text(root, "mapping", source), bool(root, "rerun", source),
                bool(root, "deletes", source));
    }

    /**
     * What a request asks for, written the same way however it was written (key order, spaces,
     * case of ids, order of tables and ids, {@code "rerun"} left out): two requests that mean the
     * same restore have the same meaning.
     */
    public static String meaning(RestoreRequest request) {
        Map<String, Object> canonical = new java.util.TreeMap<>();
        canonical.put("snapshot", request.snapshot());
        canonical.put("tables", request.tables().stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).sorted().distinct().toList());
        canonical.put("mode", request.mode().map(RestoreMode::label).orElse(""));
        canonical.put("ids", request.ids().stream().sorted().toList());
        canonical.put("filter", request.filter().orElse(""));
        canonical.put("dryRun", request.dryRun());
        canonical.put("allowOtherEnvironment", request.allowOtherEnvironment());
        canonical.put("mapping", request.mapping().orElse(""));
        canonical.put("deletes", request.deletes());
        try {
            return JSON.writeValueAsString(canonical);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The request of a {@code direct:restore} exchange: the body's JSON request if there is one,
     * with the {@link RestoreHeaders} set winning over it.
     */
    public static RestoreRequest fromMessage(Map<String, Object> headers, Object body) {
        byte[] json = jsonBody(body);
        RestoreRequest base = json == null ? null : fromJson(json, "The restore request in the message body");
        String snapshot = header(headers, RestoreHeaders.SNAPSHOT).orElse(base == null ? null : base.snapshot());
        if (snapshot == null || snapshot.isBlank()) {
            throw new ConfigurationException("No snapshot to restore: set header " + RestoreHeaders.SNAPSHOT
                    + " or send a JSON restore request with 'snapshot' as the body.");
        }
        List<String> tables = Selection.parse(given(headers, RestoreHeaders.TABLES), "Header " + RestoreHeaders.TABLES,
                TABLES_EXAMPLE).orElse(base == null ? List.of() : base.tables());
        Optional<RestoreMode> mode = header(headers, RestoreHeaders.MODE).map(RestoreMode::parse)
                .or(() -> base == null ? Optional.empty() : base.mode());
        Set<String> ids = Selection.parse(given(headers, RestoreHeaders.IDS), "Header " + RestoreHeaders.IDS, IDS_EXAMPLE)
                .map(values -> ids(values, "Header " + RestoreHeaders.IDS)).orElse(base == null ? Set.of() : base.ids());
        Optional<String> filter = Selection.parseText(given(headers, RestoreHeaders.FILTER), "Header " + RestoreHeaders.FILTER,
                FILTER_EXAMPLE).or(() -> base == null ? Optional.empty() : base.filter());
        boolean dryRun = header(headers, RestoreHeaders.DRY_RUN).map(v -> bool(v, RestoreHeaders.DRY_RUN))
                .orElse(base != null && base.dryRun());
        boolean allow = header(headers, RestoreHeaders.ALLOW_OTHER_ENVIRONMENT)
                .map(v -> bool(v, RestoreHeaders.ALLOW_OTHER_ENVIRONMENT)).orElse(base != null && base.allowOtherEnvironment());
        Optional<String> mapping = header(headers, RestoreHeaders.MAPPING).or(() -> base == null ? Optional.empty() : base.mapping());
        boolean deletes = header(headers, RestoreHeaders.DELETES).map(v -> bool(v, RestoreHeaders.DELETES))
                .orElse(base != null && base.deletes());
        return new RestoreRequest(snapshot.trim(), tables, mode, ids, filter, dryRun, allow, mapping, base != null && base.rerun(),
                deletes);
    }

    /**
     * Primary keys from a command-line value: a comma- or space-separated list, or {@code @file}
     * (or the path of an existing file) with ids separated by commas, spaces or new lines; lines
     * starting with {@code #} are comments.
     */
    public static Set<String> idsArgument(String value) {
        String text = value.trim();
        Path file = text.startsWith("@") ? Path.of(text.substring(1)) : Path.of(text);
        List<String> items = Selection.split(text);
        boolean isFile = text.startsWith("@")
                || (!items.isEmpty() && !GUID.matcher(items.get(0)).matches() && Files.isRegularFile(file));
        if (isFile) {
            try {
                text = Files.readString(file, StandardCharsets.UTF_8).replaceAll("(?m)^\\s*#.*$", "");
            } catch (IOException e) {
                throw new ConfigurationException("The ids file " + file + " cannot be read: " + e.getMessage());
            }
        }
        String source = isFile ? "The ids file " + file : "--ids";
        return ids(Selection.require(Selection.split(text), source, IDS_EXAMPLE), source);
    }

    /** Table names given on the command line ({@code --tables}): empty or blank is an error. */
    public static List<String> tablesArgument(String value) {
        return Selection.parse(value, "--tables", TABLES_EXAMPLE).orElseThrow();
    }

    /** Where a filter is given on the command line ({@code --filter}): empty or blank is an error. */
    public static String filterArgument(String value) {
        return Selection.parseText(value, "--filter", FILTER_EXAMPLE).orElseThrow();
    }

    static Set<String> ids(List<String> values, String source) {
        Set<String> ids = new LinkedHashSet<>();
        for (String value : values) {
            String id = value.trim().replaceAll("^\\{|\\}$", "");
            if (!GUID.matcher(id).matches()) {
                throw new ConfigurationException(source + ": '" + value + "' is not a primary key (a GUID).");
            }
            ids.add(id.toLowerCase(Locale.ROOT));
        }
        return ids;
    }

    private static byte[] jsonBody(Object body) {
        byte[] bytes;
        if (body instanceof byte[] b) {
            bytes = b;
        } else if (body instanceof String s) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else if (body instanceof Map<?, ?> map) {
            try {
                return map.isEmpty() ? null : JSON.writeValueAsBytes(map);
            } catch (IOException e) {
                throw new ConfigurationException("The restore request in the message body cannot be read: " + e.getMessage());
            }
        } else {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8).isBlank() ? null : bytes;
    }

    /** A selection header as given: null when absent, else its text (a list joined with commas), blank included. */
    private static String given(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Iterable<?> values) {
            List<String> parts = new ArrayList<>();
            values.forEach(v -> parts.add(String.valueOf(v)));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }

    private static Optional<String> header(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Iterable<?> values) {
            List<String> parts = new ArrayList<>();
            values.forEach(v -> parts.add(String.valueOf(v)));
            return Optional.of(String.join(",", parts));
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static Optional<String> text(JsonNode root, String key, String source) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new ConfigurationException(source + ": '" + key + "' must be a string.");
        }
        return node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText().trim());
    }

    /** A selection key: absent or null = not given; given, it must name at least one item. */
    private static Optional<List<String>> list(JsonNode root, String key, String source) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        String where = source + ": '" + key + "'";
        String example = key.equals("ids") ? IDS_EXAMPLE : TABLES_EXAMPLE;
        if (node.isTextual()) {
            return Selection.parse(node.asText(), where, example);
        }
        if (!node.isArray()) {
            throw new ConfigurationException(where + " must be a list of strings.");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new ConfigurationException(where + " must be a list of strings.");
            }
            values.add(item.asText());
        }
        return Optional.of(Selection.require(values, where, example));
    }

    private static Optional<String> filter(JsonNode root, String source) {
        JsonNode node = root.get("filter");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new ConfigurationException(source + ": 'filter' must be a string.");
        }
        return Selection.parseText(node.asText(), source + ": 'filter'", FILTER_EXAMPLE);
    }

    private static boolean bool(JsonNode root, String key, String source) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new ConfigurationException(source + ": '" + key + "' must be true or false.");
        }
        return node.asBoolean();
    }

    private static boolean bool(String value, String name) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigurationException(name + " must be true or false, not '" + value + "'.");
        };
    }
}
