package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource path below the service root split into segments such as {@code accounts(…)},
 * {@code name}, {@code $ref}; slashes inside parentheses and quotes do not split.
 */
final class ResourcePath {
    /** A segment: its name and the text between its parentheses (null when none). */
    record Segment(String name, String key) {
    }

    final List<Segment> segments;

    private ResourcePath(List<Segment> segments) {
        this.segments = segments;
    }

    static ResourcePath parse(String rawPath) {
        String path = Http.decodePath(rawPath);
        List<Segment> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\'' && depth > 0) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            }
            if (c == '/' && depth == 0 && !quoted) {
                segments.add(segment(current.toString()));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0 || segments.isEmpty()) {
            segments.add(segment(current.toString()));
        }
        return new ResourcePath(segments);
    }

    private static Segment segment(String text) {
        int open = text.indexOf('(');
        if (open > 0 && text.endsWith(")")) {
            return new Segment(text.substring(0, open), text.substring(open + 1, text.length() - 1));
        }
        return new Segment(text, null);
    }

    int size() {
        return segments.size();
    }

    Segment get(int i) {
        return segments.get(i);
    }

    /**
     * Parses a key predicate: a bare GUID (the primary key), or name=value pairs with values as
     * OData literals ('text', numbers, GUIDs). Returns the names with their raw literal texts.
     */
    static Map<String, String> keyValues(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        if (key == null) {
            return result;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\'') {
                if (quoted && i + 1 < key.length() && key.charAt(i + 1) == '\'') {
                    current.append("''");
                    i++;
                    continue;
                }
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
        for (String part : parts) {
            int eq = indexOfUnquoted(part, '=');
            if (eq < 0) {
                result.put("", part.trim());
            } else {
                result.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return result;
    }

    private static int indexOfUnquoted(String s, char target) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == target && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** The value of a literal: 'text' unquoted, otherwise as written. */
    static String unquote(String literal) {
        String t = literal.trim();
        if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
            return t.substring(1, t.length() - 1).replace("''", "'");
        }
        return t;
    }
}
