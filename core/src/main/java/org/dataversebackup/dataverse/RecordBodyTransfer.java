package org.dataversebackup.dataverse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads and writes an attachment body that the Web API keeps inside its record as a base64 string
 * (a note's {@code documentbody}, an email attachment's {@code body}; see {@link FileColumn#inRecord()}):
 * read with {@code GET <set>(<id>)?$select=<column>}, decoded by the JSON parser straight into the
 * caller's stream; written with {@code PATCH <set>(<id>)} and {@code If-Match: *} (never creates a
 * record) whose JSON body is base64-encoded from the caller's stream. The Web API takes the value in
 * one request, so the request (and the answer) holds the body once, base64; nothing more is kept.
 */
public final class RecordBodyTransfer {
    private static final JsonFactory JSON = new JsonFactory();

    private final DataverseClient client;

    public RecordBodyTransfer(DataverseClient client) {
        this.client = client;
    }

    /** Size and SHA-256 (hex) of the decoded body written to {@code out}, or empty when the record has none. */
    public Optional<FileColumnTransfer.Downloaded> download(String entitySet, UUID id, String column, OutputStream out) {
        String path = entitySet + "(" + id + ")?$select=" + column;
        DataverseResponse answer = client.get(path, Map.of());
        MessageDigest sha = sha256();
        long[] count = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                count[0] += len;
            }
        };
        try (JsonParser p = JSON.createParser(answer.body())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DataverseException("GET " + path, "the answer is not a JSON object", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(column)) {
                    if (value != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
                        return Optional.empty();
                    }
                    p.readBinaryValue(new DigestOutputStream(counting, sha));
                    return Optional.of(new FileColumnTransfer.Downloaded(null, count[0], HexFormat.of().formatHex(sha.digest()),
                            null));
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + entitySet + "(" + id + ")/" + column + " failed: " + e.getMessage(), e);
        }
    }

    /** Replaces the record's body with the {@code size} bytes of {@code in}; the record must exist. */
    public void upload(String entitySet, UUID id, String column, long size, InputStream in) {
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, size / 3 * 4 + 64));
        try {
            body.write(("{\"" + column + "\":\"").getBytes(StandardCharsets.US_ASCII));
            OutputStream base64 = Base64.getEncoder().wrap(new NonClosing(body));
            long copied = in.transferTo(base64);
            base64.close(); // writes the last padded group
            if (copied != size) {
                throw new IOException("the source has " + copied + " bytes where " + size + " are expected");
            }
            body.write("\"}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("uploading the " + column + " of " + entitySet + "(" + id + ") failed: "
                    + e.getMessage(), e);
        }
        client.send("PATCH", entitySet + "(" + id + ")", Map.of("Content-Type", "application/json", "If-Match", "*"),
                body.toByteArray(), true);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets the base64 encoder be closed (to flush its last group) without closing the buffer. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
        }
    }
}
