package org.dataversebackup.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/** Small HTTP helpers: query and form parsing, percent-coding, sending bodies. */
final class Http {
    private Http() {
    }

    /** Percent-decodes; '+' becomes a space, as ASP.NET decodes query strings and forms. */
    static String decode(String s) {
        if (s == null) {
            return null;
        }
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1))
                    && isHex(s.charAt(i + 2))) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Percent-decodes a path: '+' stays a plus sign. */
    static String decodePath(String s) {
        return s == null ? null : decode(s.replace("+", "%2B"));
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** Percent-encodes everything but unreserved characters; spaces as %20. */
    static String encode(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    /** Parses "a=1&b=2" into an ordered map of decoded names to decoded values (last one wins). */
    static Map<String, String> parseForm(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String[] pair : pairs(raw)) {
            result.put(decode(pair[0]), pair[1] == null ? "" : decode(pair[1]));
        }
        return result;
    }

    /** The raw name/value pairs (not decoded) of a query string. */
    static List<String[]> pairs(String raw) {
        List<String[]> result = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            result.add(eq < 0 ? new String[] {part, null} : new String[] {part.substring(0, eq), part.substring(eq + 1)});
        }
        return result;
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        if (body == null || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
