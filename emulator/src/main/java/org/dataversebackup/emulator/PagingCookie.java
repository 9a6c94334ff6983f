package org.dataversebackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code $skiptoken} of {@code @odata.nextLink}, shaped as Dataverse's:
 * {@code <cookie pagenumber="2" pagingcookie="%3ccookie%20page%3d%221%22%3e…" istracking="False" />}
 * where the inner FetchXML-style cookie holds the last and first values of the page per order
 * column, the primary key last. Opaque to clients; they follow the link verbatim.
 */
final class PagingCookie {
    /** Page number of the page the cookie asks for. */
    final int pageNumber;
    final boolean tracking;
    /** Inner elements: name to attributes (last, first, ...). */
    final Map<String, Map<String, String>> elements;
    /** Attributes of the inner cookie element. */
    final Map<String, String> cookieAttributes;

    PagingCookie(int pageNumber, boolean tracking, Map<String, String> cookieAttributes, Map<String, Map<String, String>> elements) {
        this.pageNumber = pageNumber;
        this.tracking = tracking;
        this.cookieAttributes = cookieAttributes;
        this.elements = elements;
    }

    static String guid(UUID id) {
        return "{" + id.toString().toUpperCase(Locale.ROOT) + "}";
    }

    /** The $skiptoken value, encoded for the query string of the next link. */
    String toQueryValue() {
        StringBuilder inner = new StringBuilder("<cookie page=\"").append(pageNumber - 1).append('"');
        for (Map.Entry<String, String> a : cookieAttributes.entrySet()) {
            inner.append(' ').append(a.getKey()).append("=\"").append(xml(a.getValue())).append('"');
        }
        inner.append('>');
        for (Map.Entry<String, Map<String, String>> e : elements.entrySet()) {
            inner.append('<').append(e.getKey());
            for (Map.Entry<String, String> a : e.getValue().entrySet()) {
                inner.append(' ').append(a.getKey()).append("=\"").append(xml(a.getValue())).append('"');
            }
            inner.append(" />");
        }
        inner.append("</cookie>");
        String cookie = "<cookie pagenumber=\"" + pageNumber + "\" pagingcookie=\"" + encodeInner(inner.toString())
                + "\" istracking=\"" + (tracking ? "True" : "False") + "\" />";
        return encodeOuter(cookie);
    }

    private static final Pattern OUTER = Pattern.compile(
            "\\s*<cookie\\s+pagenumber=\"(\\d+)\"\\s+pagingcookie=\"([^\"]*)\"\\s+istracking=\"(True|False)\"\\s*/>\\s*");
    private static final Pattern ELEMENT = Pattern.compile("<([A-Za-z0-9_]+)((?:\\s+[A-Za-z0-9_]+=\"[^\"]*\")*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z0-9_]+)=\"([^\"]*)\"");

    /** Parses the (query-decoded) $skiptoken; throws 400 when it is not a cookie this emulator wrote. */
    static PagingCookie parse(String skiptoken) {
        Matcher m = OUTER.matcher(skiptoken);
        if (!m.matches()) {
            throw invalid();
        }
        int pageNumber = Integer.parseInt(m.group(1));
        boolean tracking = "True".equals(m.group(3));
        String inner = Http.decode(m.group(2));
        Map<String, String> cookieAttributes = new LinkedHashMap<>();
        Map<String, Map<String, String>> elements = new LinkedHashMap<>();
        Matcher e = ELEMENT.matcher(inner);
        boolean first = true;
        while (e.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(e.group(2));
            while (a.find()) {
                attributes.put(a.group(1), unxml(a.group(2)));
            }
            if (first) {
                if (!"cookie".equals(e.group(1))) {
                    throw invalid();
                }
                attributes.remove("page");
                cookieAttributes.putAll(attributes);
                first = false;
            } else {
                elements.put(e.group(1), attributes);
            }
        }
        if (first) {
            throw invalid();
        }
        return new PagingCookie(pageNumber, tracking, cookieAttributes, elements);
    }

    static ApiError invalid() {
        return new ApiError(400, "0x8004112A", "Invalid page number in paging cookie.");
    }

    static String encodeInner(String s) {
        StringBuilder b = new StringBuilder();
        for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return b.toString();
    }

    static String encodeOuter(String s) {
        StringBuilder b = new StringBuilder();
        for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-_.~=/!'()*,;:@".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String unxml(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    static List<String> names(Map<String, Map<String, String>> elements) {
        return new ArrayList<>(elements.keySet());
    }
}
