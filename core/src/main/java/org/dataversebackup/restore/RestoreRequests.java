package org.dataversebackup.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.dataversebackup.config.ConfigurationException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads restore requests from JSON (inbox files, ESB bodies), message headers and command-line values. */
public final class RestoreRequests {
    private static final ObjectMapper JSON = RestoreJson.MAPPER;
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** The keys of a JSON restore request. */
    public static final List<String> KEYS = List.of("snapshot", "tables", "mode", "ids", "filter", "dryRun",
            "allowOtherEnvironment", "mapping", "rerun");

    private RestoreRequests() {
    }

    /**
     * A JSON request: {@code snapshot} (required), optional {@code tables} and {@code ids} (arrays of
     * strings, or comma-separated strings), {@code mode}, {@code filter}, {@code mapping} (strings),
     * {@code dryRun}, {@code allowOtherEnvironment}, {@code rerun} (booleans). Unknown keys are an error.
     *
     * @param source named in error messages (a file name)
     */
    public static RestoreRequest fromJson(byte[] json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigurationException(source + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigurationException(source + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigurationException(source + " must hold a JSON object, e.g. {\"snapshot\": \"backups/contoso/20260101T020000Z-full\"}.");
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
        return new RestoreRequest(snapshot, list(root, "tables", source), text(root, "mode", source).map(RestoreMode::parse),
                ids(list(root, "ids", source), source), text(root, "filter", source), bool(root, "dryRun", source),
                bool(root, "allowOtherEnvironment", source), text(root, "mapping", source), bool(root, "rerun", source));
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
        List<String> tables = header(headers, RestoreHeaders.TABLES).map(RestoreRequests::split)
                .orElse(base == null ? List.of() : base.tables());
        Optional<RestoreMode> mode = header(headers, RestoreHeaders.MODE).map(RestoreMode::parse)
                .or(() -> base == null ? Optional.empty() : base.mode());
        Set<String> ids = header(headers, RestoreHeaders.IDS).map(v -> ids(split(v), RestoreHeaders.IDS))
                .orElse(base == null ? Set.of() : base.ids());
        Optional<String> filter = header(headers, RestoreHeaders.FILTER).or(() -> base == null ? Optional.empty() : base.filter());
        boolean dryRun = header(headers, RestoreHeaders.DRY_RUN).map(v -> bool(v, RestoreHeaders.DRY_RUN))
                .orElse(base != null && base.dryRun());
        boolean allow = header(headers, RestoreHeaders.ALLOW_OTHER_ENVIRONMENT)
                .map(v -> bool(v, RestoreHeaders.ALLOW_OTHER_ENVIRONMENT)).orElse(base != null && base.allowOtherEnvironment());
        Optional<String> mapping = header(headers, RestoreHeaders.MAPPING).or(() -> base == null ? Optional.empty() : base.mapping());
        return new RestoreRequest(snapshot.trim(), tables, mode, ids, filter, dryRun, allow, mapping, base != null && base.rerun());
    }

    /**
     * Primary keys from a command-line value: a comma- or space-separated list, or {@code @file}
     * (or the path of an existing file) with ids separated by commas, spaces or new lines; lines
     * starting with {@code #} are comments.
     */
    public static Set<String> idsArgument(String value) {
        String text = value.trim();
        Path file = text.startsWith("@") ? Path.of(text.substring(1)) : Path.of(text);
        boolean isFile = text.startsWith("@") || (!GUID.matcher(text.split("[,\\s]+")[0]).matches() && Files.isRegularFile(file));
        if (isFile) {
            try {
                text = Files.readString(file, StandardCharsets.UTF_8).replaceAll("(?m)^\\s*#.*$", "");
            } catch (IOException e) {
                throw new ConfigurationException("The ids file " + file + " cannot be read: " + e.getMessage());
            }
        }
        return ids(split(text), isFile ? file.toString() : "--ids");
    }

    public static List<String> split(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
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

    private static List<String> list(JsonNode root, String key, String source) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return split(node.asText());
        }
        if (!node.isArray()) {
            throw new ConfigurationException(source + ": '" + key + "' must be a list of strings.");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new ConfigurationException(source + ": '" + key + "' must be a list of strings.");
            }
            values.add(item.asText().trim());
        }
        return values;
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
