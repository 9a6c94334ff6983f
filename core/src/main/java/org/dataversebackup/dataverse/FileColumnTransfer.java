package org.dataversebackup.dataverse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Moves the contents of a file or image column through the Web API as Microsoft documents it
 * (file-column-data, image-column-data), never holding more than one chunk of a file:
 * downloads with {@code GET <set>(<id>)/<column>/$value} and {@code Range} requests of
 * {@link #CHUNK_BYTES} (required above 16 MB, so used for every size), {@code ?size=full} for
 * images; uploads up to one chunk in a single {@code PATCH} with {@code x-ms-file-name}, larger
 * ones through {@code InitializeFileBlocksUpload}, {@code UploadBlock} and
 * {@code CommitFileBlocksUpload}. Every request goes through {@link DataverseClient}, so 429, 5xx
 * and expired tokens are retried there; each request is safe to repeat except the commit.
 */
public final class FileColumnTransfer {
    /** Documented: UploadBlock carries at most 4 MB; downloads use the same chunk size. */
    public static final int CHUNK_BYTES = 4 * 1024 * 1024;

    /**
     * What was downloaded: Dataverse's file name, the size and the SHA-256 (hex) of the bytes written,
     * and the MIME type when Dataverse said ({@code mimetype} header), else null.
     */
    public record Downloaded(String fileName, long size, String sha256, String mimeType) {
    }

    /** The file is larger than the caller accepts: nothing was written. */
    public static final class TooLarge extends RuntimeException {
        private final long size;
        private final String fileName;

        TooLarge(String what, long size, long limit, String fileName) {
            super(what + " is " + size + " bytes, more than " + limit);
            this.size = size;
            this.fileName = fileName;
        }

        public long size() {
            return size;
        }

        public String fileName() {
            return fileName;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataverseClient client;
    private final int chunkBytes;

    public FileColumnTransfer(DataverseClient client) {
        this(client, CHUNK_BYTES);
    }

    /** With a smaller chunk (tests prove the chunking with small files). */
    public FileColumnTransfer(DataverseClient client, int chunkBytes) {
        if (chunkBytes < 1 || chunkBytes > CHUNK_BYTES) {
            throw new IllegalArgumentException("chunkBytes must be 1.." + CHUNK_BYTES);
        }
        this.client = client;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Streams the column's file to {@code out} chunk by chunk.
     *
     * @param fullImage for image columns: ask for the full-size image ({@code ?size=full})
     * @return what was written, or empty when the row has no file in that column (404)
     */
    public Optional<Downloaded> download(String entitySet, UUID id, String column, boolean fullImage, OutputStream out) {
        return download(entitySet, id, column, fullImage, Long.MAX_VALUE, out);
    }

    /**
     * As {@link #download(String, UUID, String, boolean, OutputStream)}, refusing a file larger than
     * {@code maxBytes} before anything is written ({@link TooLarge}, known from the first chunk's
     * {@code x-ms-file-size}). An image column without a full-sized image answers {@code ?size=full}
     * with 204: empty, as for a row without a file.
     */
    public Optional<Downloaded> download(String entitySet, UUID id, String column, boolean fullImage, long maxBytes,
            OutputStream out) {
        String path = entitySet + "(" + id + ")/" + column + "/$value" + (fullImage ? "?size=full" : "");
        MessageDigest sha = sha256();
        long written = 0;
        long size = -1;
        String fileName = null;
        String mimeType = null;
        do {
            DataverseResponse part;
            try {
                part = client.get(path, Map.of("Range", "bytes=" + written + "-" + (written + chunkBytes - 1)));
            } catch (DataverseException e) {
                if (e.status() == 404 && written == 0) {
                    return Optional.empty();
                }
                throw e;
            }
            if (size < 0) {
                if (part.status() == 204 && written == 0) {
                    return Optional.empty();
                }
                size = part.header("x-ms-file-size").map(Long::parseLong)
                        .orElseThrow(() -> new DataverseException("GET " + path, "the answer has no x-ms-file-size header", null));
                fileName = part.header("x-ms-file-name").orElse(column);
                mimeType = part.header("mimetype").orElse(null);
                if (size > maxBytes) {
                    throw new TooLarge(entitySet + "(" + id + ")/" + column, size, maxBytes, fileName);
                }
            }
            byte[] body = part.body();
            if (body.length == 0 && written < size) {
                throw new DataverseException("GET " + path, "an empty chunk at byte " + written + " of " + size, null);
            }
            try {
                out.write(body);
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + entitySet + "(" + id + ")/" + column + " failed", e);
            }
            sha.update(body);
            written += body.length;
        } while (written < size);
        return Optional.of(new Downloaded(fileName, written, HexFormat.of().formatHex(sha.digest()), mimeType));
    }

    /**
     * Uploads {@code size} bytes from {@code in} to the column, replacing what is there: one PATCH
     * when it fits in a chunk, else blocks of {@link #CHUNK_BYTES}.
     */
    public void upload(String entitySet, String table, String primaryKey, UUID id, String column, String fileName,
            String mimeType, long size, InputStream in) {
        try {
            if (size <= chunkBytes) {
                byte[] whole = in.readNBytes((int) size);
                client.send("PATCH", entitySet + "(" + id + ")/" + column,
                        Map.of("Content-Type", "application/octet-stream", "x-ms-file-name", fileName), whole, true);
                return;
            }
            ObjectNode init = JSON.createObjectNode();
            init.putObject("Target").put("@odata.type", "Microsoft.Dynamics.CRM." + table).put(primaryKey, id.toString());
            init.put("FileAttributeName", column).put("FileName", fileName);
            String token = client.send("POST", "InitializeFileBlocksUpload", Map.of("Content-Type", "application/json"),
                    JSON.writeValueAsBytes(init), true).json().path("FileContinuationToken").asText();
            List<String> blocks = new ArrayList<>();
            long sent = 0;
            while (sent < size) {
                byte[] block = in.readNBytes((int) Math.min(chunkBytes, size - sent));
                if (block.length == 0) {
                    throw new IOException("the source ended after " + sent + " of " + size + " bytes");
                }
                // ids of equal length, as the block list of an Azure blob requires
                String blockId = Base64.getEncoder().encodeToString(String.format("%010d", blocks.size()).getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII));
                ObjectNode body = JSON.createObjectNode().put("BlockId", blockId)
                        .put("BlockData", Base64.getEncoder().encodeToString(block)).put("FileContinuationToken", token);
                client.send("POST", "UploadBlock", Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(body), true);
                blocks.add(blockId);
                sent += block.length;
            }
            ObjectNode commit = JSON.createObjectNode().put("FileName", fileName).put("MimeType", mimeType)
                    .put("FileContinuationToken", token);
            ArrayNode list = commit.putArray("BlockList");
            blocks.forEach(list::add);
            // a commit replayed after a lost answer finds its token spent: not repeated
            client.send("POST", "CommitFileBlocksUpload", Map.of("Content-Type", "application/json"),
                    JSON.writeValueAsBytes(commit), false);
        } catch (IOException e) {
            throw new UncheckedIOException("uploading " + fileName + " to " + entitySet + "(" + id + ")/" + column
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
