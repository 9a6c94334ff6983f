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
}
