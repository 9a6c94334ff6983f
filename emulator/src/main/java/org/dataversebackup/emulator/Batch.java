package org.dataversebackup.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * {@code POST $batch}: multipart/mixed requests run in order; change sets run as one transaction
 * (any failure undoes the whole set); Content-ID values become {@code $n} references to the rows
 * created earlier in the set; at most 1,000 requests; the first failure stops the batch (HTTP 400)
 * unless {@code Prefer: odata.continue-on-error} asks to go on (HTTP 200).
 */
final class Batch {
    static final int MAX_REQUESTS = 1000;
    private static final String CRLF = "\r\n";

    private final EmulatorContext ctx;
    private final Store store;
    /** Routes one inner request and turns errors into error responses. */
    private final BiFunction<ApiRequest, Principal, ApiResponse> dispatch;

    Batch(EmulatorContext ctx, BiFunction<ApiRequest, Principal, ApiResponse> dispatch) {
        this.ctx = ctx;
        this.store = ctx.state.store();
        this.dispatch = dispatch;
    }

    /** A parsed part: a request, or a change set of requests. */
    private static final class Part {
        String contentId;
        ApiRequest request;
        List<Part> changeSet;
    }

    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient List<byte[]> responses;

        Failure(List<byte[]> responses) {
            super(null, null, false, false);
            this.responses = responses;
        }
    }

    ApiResponse handle(ApiRequest request, Principal principal) {
        if (!"POST".equals(request.method)) {
            throw ApiError.noResource(ctx.serviceRoot(request.version) + "$batch");
        }
        String boundary = boundary(request.header("Content-Type"));
        if (boundary == null) {
            throw new ApiError(400, "0x0", "The batch request must have a Content-Type of multipart/mixed with a boundary.");
        }
        String raw = new String(request.body, StandardCharsets.UTF_8);
        if (raw.indexOf('\n') >= 0 && !raw.contains("\r\n")) {
            // documented: a batch body whose line endings are not CRLF cannot be read
            String responseBoundary = "batchresponse_" + UUID.randomUUID();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ApiRequest first = new ApiRequest("POST", request.version, "", null, null, null);
            write(out, responseBoundary, null, render(errorResponse(400, "0x80048d19", "Error identified in Payload provided by the"
                    + " user for Entity :'', For more information on this error please follow this help link"
                    + " https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : System.ArgumentException:"
                    + " Stream was not readable. (The batch body must use CRLF line endings.)"), first));
            text(out, "--" + responseBoundary + "--" + CRLF);
            return ApiResponse.bytes(400, "multipart/mixed; boundary=" + responseBoundary, out.toByteArray());
        }
        List<Part> parts = parse(request.body, boundary, request.version, false);
        int count = 0;
        for (Part p : parts) {
            count += p.changeSet != null ? p.changeSet.size() : 1;
        }
        if (count > MAX_REQUESTS) {
            throw new ApiError(400, "0x80060888", "The batch contains " + count + " requests; at most " + MAX_REQUESTS
                    + " requests are allowed in a batch.");
        }
        boolean continueOnError = request.preferences().containsKey("odata.continue-on-error");
        String responseBoundary = "batchresponse_" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean failed = false;
        for (Part part : parts) {
            if (part.changeSet == null) {
                ApiResponse response = dispatch.apply(part.request, principal);
                write(out, responseBoundary, null, render(response, part.request));
                if (response.status >= 400) {
                    failed = true;
                    if (!continueOnError) {
                        break;
                    }
                }
                continue;
            }
            List<byte[]> responses;
            try {
                responses = store.transaction(() -> runChangeSet(part.changeSet, principal));
            } catch (Failure f) {
                // the change set is undone; its failing request's error stands for the whole set
                for (byte[] r : f.responses) {
                    write(out, responseBoundary, null, r);
                }
                failed = true;
                if (!continueOnError) {
                    break;
                }
                continue;
            }
            String changeSetBoundary = "changesetresponse_" + UUID.randomUUID();
            ByteArrayOutputStream nested = new ByteArrayOutputStream();
            for (int i = 0; i < responses.size(); i++) {
                write(nested, changeSetBoundary, part.changeSet.get(i).contentId, responses.get(i));
            }
            text(nested, "--" + changeSetBoundary + "--" + CRLF);
            text(out, "--" + responseBoundary + CRLF);
            text(out, "Content-Type: multipart/mixed; boundary=" + changeSetBoundary + CRLF + CRLF);
            out.writeBytes(nested.toByteArray());
        }
        text(out, "--" + responseBoundary + "--" + CRLF);
        byte[] body = out.toByteArray();
        int status = failed && !continueOnError ? 400 : 200;
        return ApiResponse.bytes(status, "multipart/mixed; boundary=" + responseBoundary, body);
    }

    private List<byte[]> runChangeSet(List<Part> changeSet, Principal principal) {
        Map<String, String> contentIds = new LinkedHashMap<>();
        List<byte[]> responses = new ArrayList<>();
        for (Part part : changeSet) {
            ApiRequest request = part.request;
            if ("GET".equals(request.method)) {
                throw new Failure(List.of(render(errorResponse(400, "0x0", "GET requests are not allowed in a change set."), request)));
            }
            request = resolveReference(request, contentIds);
            request.contentIds = contentIds;
            ApiResponse response = dispatch.apply(request, principal);
            if (response.status >= 400) {
                throw new Failure(List.of(render(response, request)));
            }
            if (part.contentId != null) {
                String entityId = response.firstHeader("OData-EntityId");
                if (entityId == null) {
                    entityId = response.firstHeader("Location");
                }
                if (entityId != null) {
                    contentIds.put("$" + part.contentId, entityId);
                }
            }
            responses.add(render(response, request));
        }
        return responses;
    }

    /** "PATCH $1" and "PUT $1/primarycontactid/$ref": the URL starts with a Content-ID reference. */
    private ApiRequest resolveReference(ApiRequest request, Map<String, String> contentIds) {
        if (!request.path.startsWith("$") || request.path.startsWith("$batch") || request.path.startsWith("$metadata")) {
            return request;
        }
        int slash = request.path.indexOf('/');
        String reference = slash < 0 ? request.path : request.path.substring(0, slash);
        String url = contentIds.get(reference);
        if (url == null) {
            throw new Failure(List.of(render(errorResponse(400, "0x0", "Content-ID Reference: '" + reference
                    + "' does not exist in the batch context."), request)));
        }
        String relative = url.substring(url.indexOf("/api/data/") + "/api/data/".length());
        relative = relative.substring(relative.indexOf('/') + 1);
        String path = relative + (slash < 0 ? "" : request.path.substring(slash));
        return new ApiRequest(request.method, request.version, path, request.rawQuery, request.allHeaders(), request.body);
    }

    private static ApiResponse errorResponse(int status, String code, String message) {
        ApiError e = new ApiError(status, code, message);
        return ApiResponse.json(status, g -> WebApi.writeError(g, e, Annotations.NONE));
    }

    // ------------------------------------------------------------------ parsing

    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            return null;
        }
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = t.substring("boundary=".length()).trim();
                if (b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2) {
                    b = b.substring(1, b.length() - 1);
                }
                return b;
            }
        }
        return null;
    }

    private List<Part> parse(byte[] body, String boundary, String version, boolean inChangeSet) {
        String text = new String(body, StandardCharsets.UTF_8);
        String delimiter = "--" + boundary;
        List<Part> parts = new ArrayList<>();
        int pos = text.indexOf(delimiter);
        if (pos < 0) {
            throw new ApiError(400, "0x0", "The batch body has no part delimited by '" + delimiter + "'.");
        }
        while (true) {
            int start = pos + delimiter.length();
            if (text.startsWith("--", start)) {
                break;
            }
            int next = text.indexOf(CRLF + delimiter, start);
            int nextLf = text.indexOf("\n" + delimiter, start);
            if (next < 0 || (nextLf >= 0 && nextLf < next)) {
                next = nextLf;
            }
            if (next < 0) {
                throw new ApiError(400, "0x0", "The batch body is not terminated by '" + delimiter + "--'.");
            }
            String partText = text.substring(skipLineBreak(text, start), next);
            parts.add(part(partText, version, inChangeSet));
            pos = text.charAt(next) == '\r' ? next + 2 : next + 1;
        }
        return parts;
    }

    private static int skipLineBreak(String text, int pos) {
        if (text.startsWith(CRLF, pos)) {
            return pos + 2;
        }
        if (text.startsWith("\n", pos)) {
            return pos + 1;
        }
        return pos;
    }

    private Part part(String text, String version, boolean inChangeSet) {
        int[] cursor = {0};
        Map<String, String> headers = headers(text, cursor);
        Part part = new Part();
        part.contentId = headers.get("content-id");
        String contentType = headers.getOrDefault("content-type", "");
        String nestedBoundary = boundary(contentType);
        if (nestedBoundary != null) {
            if (inChangeSet) {
                throw new ApiError(400, "0x0", "Change sets cannot be nested.");
            }
            part.changeSet = parse(text.substring(cursor[0]).getBytes(StandardCharsets.UTF_8), nestedBoundary, version, true);
            return part;
        }
        // the embedded HTTP request: request line, headers, blank line, body
        String rest = text.substring(cursor[0]);
        int lineEnd = rest.indexOf('\n');
        String requestLine = (lineEnd < 0 ? rest : rest.substring(0, lineEnd)).trim();
        String[] words = requestLine.split(" ");
        if (words.length < 2) {
            throw new ApiError(400, "0x0", "The batch part has no request line: '" + requestLine + "'.");
        }
        int[] inner = {lineEnd < 0 ? rest.length() : lineEnd + 1};
        Map<String, String> requestHeaders = headers(rest, inner);
        String body = rest.substring(Math.min(inner[0], rest.length()));
        while (body.endsWith("\r\n") || body.endsWith("\n")) {
            body = body.substring(0, body.length() - (body.endsWith("\r\n") ? 2 : 1));
        }
        String method = words[0].toUpperCase(Locale.ROOT);
        String url = words[1];
        if (url.contains("$batch")) {
            throw new ApiError(400, "0x0", "A batch request cannot contain another batch request.");
        }
        String path = url;
        int api = url.indexOf("/api/data/");
        String requestVersion = version;
        if (api >= 0) {
            String afterData = url.substring(api + "/api/data/".length());
            int slash = afterData.indexOf('/');
            requestVersion = slash < 0 ? afterData : afterData.substring(0, slash);
            path = slash < 0 ? "" : afterData.substring(slash + 1);
        }
        String rawQuery = null;
        int question = path.indexOf('?');
        if (question >= 0) {
            rawQuery = path.substring(question + 1);
            path = path.substring(0, question);
        }
        Map<String, List<String>> headerLists = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> h : requestHeaders.entrySet()) {
            headerLists.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        }
        part.request = new ApiRequest(method, requestVersion, path, rawQuery, headerLists, body.getBytes(StandardCharsets.UTF_8));
        return part;
    }

    /** Reads header lines from cursor up to a blank line; names lower-cased. */
    private static Map<String, String> headers(String text, int[] cursor) {
        Map<String, String> headers = new LinkedHashMap<>();
        while (cursor[0] < text.length()) {
            int end = text.indexOf('\n', cursor[0]);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(cursor[0], end).replace("\r", "");
            cursor[0] = Math.min(text.length(), end + 1);
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    // ------------------------------------------------------------------ writing

    /** An embedded HTTP response: status line, headers, blank line, body. */
    private byte[] render(ApiResponse response, ApiRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text(out, "HTTP/1.1 " + response.status + " " + reason(response.status) + CRLF);
        text(out, "OData-Version: 4.0" + CRLF);
        if (response.status == 201 || response.status == 204) {
            String entityId = response.firstHeader("OData-EntityId");
            if (entityId != null && response.firstHeader("Location") == null) {
                text(out, "Location: " + entityId + CRLF);
            }
        }
        for (Map.Entry<String, List<String>> h : response.headers.entrySet()) {
            for (String v : h.getValue()) {
                text(out, h.getKey() + ": " + v + CRLF);
            }
        }
        text(out, CRLF);
        if (response.body != null) {
            try {
                response.body.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String boundary, String contentId, byte[] httpResponse) {
        text(out, "--" + boundary + CRLF);
        text(out, "Content-Type: application/http" + CRLF);
        text(out, "Content-Transfer-Encoding: binary" + CRLF);
        if (contentId != null) {
            text(out, "Content-ID: " + contentId + CRLF);
        }
        text(out, CRLF);
        out.writeBytes(httpResponse);
        text(out, CRLF);
    }

    private static void text(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 412 -> "Precondition Failed";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }
}
