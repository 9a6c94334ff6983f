package org.dataversebackup.dataverse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A successful Web API answer: status, headers and the whole body (pages are bounded by their
 * size), and the connection account it was sent as.
 */
public record DataverseResponse(int status, HttpHeaders headers, byte[] body, String connection) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DataverseResponse(int status, HttpHeaders headers, byte[] body) {
        this(status, headers, body, null);
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The body is JSON (what the Web API answers), not an HTML page or other text. */
    public boolean isJson() {
        String type = header("Content-Type").orElse("");
        if (!type.isBlank() && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            return false;
        }
        try {
            if (body.length > 0) {
                JSON.readTree(body);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public JsonNode json() {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Dataverse answered with a body that is not JSON", e);
        }
    }
}
