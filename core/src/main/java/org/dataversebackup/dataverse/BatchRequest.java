package org.dataversebackup.dataverse;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of a Web API {@code $batch} request: one {@code application/http} part per operation,
 * in order, outside change sets, so that each operation succeeds or fails on its own (with
 * {@code Prefer: odata.continue-on-error}). Format as in Microsoft's "Execute batch operations
 * using the Web API": {@code --batch_<id>} boundaries, {@code Content-Transfer-Encoding: binary},
 * the request line with the absolute path of the resource, headers, a blank line and the JSON
 * body; the body ends with {@code --batch_<id>--}. Lines end with CRLF (multipart, RFC 2046).
 */
public final class BatchRequest {
    /** At most 1,000 requests per batch (Microsoft's documented limit). */
    public static final int MAX_OPERATIONS = WebApiLimits.MAX_BATCH_OPERATIONS;
    private static final String CRLF = "\r\n";

    private final String boundary;
    private final byte[] body;

    private BatchRequest(String boundary, byte[] body) {
        this.boundary = boundary;
        this.body = body;
    }

    /**
     * @param apiRoot the Web API root, e.g. {@code https://org.crm.dynamics.com/api/data/v9.2/};
     *                operations are written with its path ({@code /api/data/v9.2/accounts(...)})
     */
    public static BatchRequest of(List<WriteOperation> operations, URI apiRoot) {
        if (operations.isEmpty() || operations.size() > MAX_OPERATIONS) {
            throw new IllegalArgumentException("A $batch holds 1 to " + MAX_OPERATIONS + " operations, not " + operations.size());
        }
        String boundary = "batch_" + UUID.randomUUID();
        String rootPath = apiRoot.getRawPath().endsWith("/") ? apiRoot.getRawPath() : apiRoot.getRawPath() + "/";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (WriteOperation operation : operations) {
            StringBuilder part = new StringBuilder();
            part.append("--").append(boundary).append(CRLF)
                    .append("Content-Type: application/http").append(CRLF)
                    .append("Content-Transfer-Encoding: binary").append(CRLF)
                    .append(CRLF)
                    .append(operation.method()).append(' ').append(rootPath).append(operation.path()).append(" HTTP/1.1").append(CRLF);
            if (operation.body() != null) {
                part.append("Content-Type: application/json").append(CRLF);
            }
            for (Map.Entry<String, String> header : operation.headers().entrySet()) {
                part.append(header.getKey()).append(": ").append(header.getValue()).append(CRLF);
            }
            part.append(CRLF);
            out.writeBytes(part.toString().getBytes(StandardCharsets.UTF_8));
            if (operation.body() != null) {
                out.writeBytes(operation.body());
            }
            out.writeBytes(CRLF.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--" + CRLF).getBytes(StandardCharsets.US_ASCII));
        return new BatchRequest(boundary, out.toByteArray());
    }

    public String boundary() {
        return boundary;
    }

    /** The value of the request's Content-Type header. */
    public String contentType() {
        return "multipart/mixed; boundary=\"" + boundary + "\"";
    }

    public byte[] body() {
        return body;
    }
}
