package org.dataversebackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Web API request (from the socket, or one part of a $batch): method, the path below the
 * service root (e.g. {@code accounts(…)}), the raw query, headers and body.
 */
final class ApiRequest {
    final String method;
    /** Path relative to the service root, still percent-encoded (no leading slash). */
    final String path;
    final String rawQuery;
    final String version;
    private final Map<String, List<String>> headers;
    final byte[] body;
    private Map<String, String> query;
    /** In a $batch change set: Content-ID ("$1") to the URL of the row it created. */
    Map<String, String> contentIds;

    ApiRequest(String method, String version, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this.method = method;
        this.version = version;
        this.path = path;
        this.rawQuery = rawQuery;
        this.headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                this.headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
            }
        }
        this.body = body == null ? new byte[0] : body;
    }

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> headers(String name) {
        List<String> values = headers.get(name);
        return values == null ? Collections.emptyList() : values;
    }

    Map<String, List<String>> allHeaders() {
        return headers;
    }

    /** Decoded query options by name; the system query options keep their '$'. */
    Map<String, String> query() {
        if (query == null) {
            query = new TreeMap<>();
            for (String[] pair : Http.pairs(rawQuery)) {
                query.put(Http.decode(pair[0]), pair[1] == null ? "" : Http.decode(pair[1]));
            }
        }
        return query;
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    boolean isWrite() {
        return !"GET".equals(method) && !"HEAD".equals(method);
    }

    /** The preferences of the Prefer headers, names lower-cased, values unquoted. */
    Map<String, String> preferences() {
        Map<String, String> result = new TreeMap<>();
        for (String header : headers("Prefer")) {
            for (String part : splitOutsideQuotes(header)) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                result.put(name, value);
            }
        }
        return result;
    }

    static List<String> splitOutsideQuotes(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
