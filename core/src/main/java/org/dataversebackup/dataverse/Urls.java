package org.dataversebackup.dataverse;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URL helpers for OData requests. */
public final class Urls {
    private static final String ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + "-._~:/?#[]@!$&'()*+,;=%";

    private Urls() {
    }

    /** Encodes a query option value ({@code $filter=...}) with %20 for spaces, as OData expects. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A URL Dataverse gave us ({@code @odata.nextLink}) as a URI, unchanged: characters that are
     * already escaped stay as they are; only characters a URI cannot hold at all are escaped.
     */
    public static URI verbatim(String url) {
        StringBuilder safe = new StringBuilder(url.length());
        for (char c : url.toCharArray()) {
            if (ALLOWED.indexOf(c) >= 0) {
                safe.append(c);
            } else {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    safe.append('%').append(String.format("%02X", b & 0xff));
                }
            }
        }
        return URI.create(safe.toString());
    }

    /**
     * The decoded value of a query parameter of a link ({@code $deltatoken} of an
     * {@code @odata.deltaLink}), whether its name is escaped ({@code %24deltatoken}) or not.
     */
    public static java.util.Optional<String> queryParameter(String link, String name) {
        int query = link.indexOf('?');
        if (query < 0) {
            return java.util.Optional.empty();
        }
        for (String pair : link.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return java.util.Optional.of(equals < 0 ? "" : java.net.URLDecoder.decode(
                        pair.substring(equals + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return java.util.Optional.empty();
    }
}
