package org.dataversebackup.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/** A Web API response: status, headers and a body written on demand (streamed for big pages). */
final class ApiResponse {
    static final JsonFactory JSON_FACTORY = Jwt.JSON.getFactory();
    static final String JSON_TYPE = "application/json; odata.metadata=minimal";

    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    interface JsonBody {
        void write(JsonGenerator json) throws IOException;
    }

    int status;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    Body body;
    /** Known length of the body, or -1 when streamed. */
    long length = -1;
    /** Set by a fault: the request was applied and the connection must be dropped without a response. */
    boolean dropConnection;

    ApiResponse(int status) {
        this.status = status;
    }

    ApiResponse header(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    ApiResponse setHeader(String name, String value) {
        List<String> values = new ArrayList<>();
        values.add(value);
        headers.put(name, values);
        return this;
    }

    String firstHeader(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    static ApiResponse noContent() {
        return new ApiResponse(204);
    }

    static ApiResponse json(int status, JsonBody writer) {
        ApiResponse response = new ApiResponse(status);
        response.setHeader("Content-Type", JSON_TYPE);
        response.body = out -> {
            try (JsonGenerator json = JSON_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                writer.write(json);
            }
        };
        return response;
    }

    static ApiResponse bytes(int status, String contentType, byte[] bytes) {
        ApiResponse response = new ApiResponse(status);
        response.setHeader("Content-Type", contentType);
        response.length = bytes.length;
        response.body = out -> out.write(bytes);
        return response;
    }

    static ApiResponse text(int status, String text) {
        return bytes(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }
}
