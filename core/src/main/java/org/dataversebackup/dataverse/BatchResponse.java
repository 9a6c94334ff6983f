package org.dataversebackup.dataverse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Parses the body of a {@code $batch} response ({@code multipart/mixed}, parts separated by
 * {@code --batchresponse_<id>}, change sets nested as {@code --changesetresponse_<id>}) into one
 * {@link Part} per operation, in request order. Accepts CRLF and bare LF line ends.
 */
public final class BatchResponse {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/\\d(?:\\.\\d)?\\s+(\\d{3}).*");

    private BatchResponse() {
    }

    /** One operation's answer inside the batch response. */
    public record Part(int status, Map<String, String> headers, String body) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** Status, and for an error the Web API's code and message from {@code {"error":{...}}}. */
        public WriteResult result() {
            if (status / 100 == 2) {
                return WriteResult.ok(status);
            }
            String code = "";
            String message = body == null ? "" : body.strip();
            try {
                JsonNode error = JSON.readTree(body).path("error");
                if (error.isObject()) {
                    code = error.path("code").asText("");
                    message = error.path("message").asText("");
                }
            } catch (IOException | RuntimeException notJson) {
                if (message.length() > 500) {
                    message = message.substring(0, 500) + "...";
                }
            }
            return new WriteResult(status, code, message);
        }
    }

    /**
     * @param contentType the response's Content-Type header (holds the boundary)
     * @param body        the response body
     */
    public static List<Part> parse(String contentType, byte[] body) {
        String boundary = boundary(contentType)
                .orElseThrow(() -> new IllegalArgumentException("The $batch response has no multipart boundary (Content-Type: "
                        + contentType + ")"));
        List<Part> parts = new ArrayList<>();
        parseMultipart(new String(body, StandardCharsets.UTF_8), boundary, parts);
        return parts;
    }

    static Optional<String> boundary(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        Matcher m = BOUNDARY.matcher(contentType);
        return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
    }

    private static void parseMultipart(String text, String boundary, List<Part> parts) {
        String delimiter = "--" + boundary;
        int position = text.indexOf(delimiter);
        while (position >= 0) {
            int afterDelimiter = position + delimiter.length();
            if (text.startsWith("--", afterDelimiter)) {
                return; // closing delimiter
            }
            int next = text.indexOf(delimiter, afterDelimiter);
            String section = text.substring(afterDelimiter, next < 0 ? text.length() : next);
            parsePart(stripLeadingLineEnd(section), parts);
            position = next;
        }
    }

    private static void parsePart(String section, List<Part> parts) {
        Block mime = Block.split(section);
        String type = mime.headers().getOrDefault("content-type", "");
        if (type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            parseMultipart(mime.rest(), boundary(type).orElseThrow(() -> new IllegalArgumentException(
                    "A change set of the $batch response has no boundary")), parts);
            return;
        }
        String http = mime.rest();
        int lineEnd = http.indexOf('\n');
        String statusLine = (lineEnd < 0 ? http : http.substring(0, lineEnd)).strip();
        Matcher status = STATUS_LINE.matcher(statusLine);
        if (!status.matches()) {
            throw new IllegalArgumentException("A part of the $batch response has no HTTP status line: '" + statusLine + "'");
        }
        Block response = Block.split(lineEnd < 0 ? "" : http.substring(lineEnd + 1));
        parts.add(new Part(Integer.parseInt(status.group(1)), response.headers(), response.rest().strip()));
    }

    private static String stripLeadingLineEnd(String s) {
        if (s.startsWith("\r\n")) {
            return s.substring(2);
        }
        return s.startsWith("\n") ? s.substring(1) : s;
    }

    /** Header lines up to the first empty line, then the rest. */
    private record Block(Map<String, String> headers, String rest) {
        static Block split(String text) {
            Map<String, String> headers = new TreeMap<>();
            int position = 0;
            while (position < text.length()) {
                int end = text.indexOf('\n', position);
                String line = (end < 0 ? text.substring(position) : text.substring(position, end)).replaceAll("\r$", "");
                position = end < 0 ? text.length() : end + 1;
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            return new Block(headers, text.substring(position));
        }
    }
}
