package org.dataversebackup.emulator;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * File and image columns as the Web API documents them (file-column-data, image-column-data):
 * download with {@code GET <set>(<id>)/<column>/$value} (Range for chunks, required above 16 MB;
 * {@code ?size=full} for images), single-request upload with {@code PATCH <set>(<id>)/<column>}
 * and {@code x-ms-file-name}, {@code DELETE}, and the chunked upload actions
 * {@code InitializeFileBlocksUpload}, {@code UploadBlock} and {@code CommitFileBlocksUpload}.
 * The contents live in the state's {@link FileStore}.
 */
final class FileColumns {
    /** A file or image column of a table, from its metadata: sizes as its MaxSizeInKB, CanStoreFullImage. */
    record Column(String table, String name, boolean image, long maxBytes, boolean canStoreFullImage) {
    }

    /** Documented: files above 16 MB are downloaded in chunks. */
    static final long FULL_DOWNLOAD_LIMIT = 16L * 1024 * 1024;
    /** Documented: a single PATCH uploads files up to 128 MB; larger ones use the block actions. */
    static final long SINGLE_UPLOAD_LIMIT = 128L * 1024 * 1024;
    /** Documented: each UploadBlock carries at most 4 MB. */
    static final int MAX_BLOCK_BYTES = 4 * 1024 * 1024;

    /** The file or image column of that name, as the table's metadata declares it, or null. */
    static Column column(String table, String name) {
        TableDef def = Schema.INSTANCE.table(table);
        ColumnDef c = def == null ? null : def.column(name);
        if (c == null || !c.type.isFileOrImage()) {
            return null;
        }
        return new Column(table, name, c.type == AttrType.IMAGE, c.maxSizeInKB * 1024L, c.canStoreFullImage);
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)(?:/\\d+)?");

    private final EmulatorContext ctx;
    private final Reads reads;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    /** A chunked upload between InitializeFileBlocksUpload and CommitFileBlocksUpload. */
    private record Upload(TableDef def, UUID rowId, Column column, String fileName, Map<String, byte[]> blocks) {
    }

    FileColumns(EmulatorContext ctx, Reads reads) {
        this.ctx = ctx;
        this.reads = reads;
    }

    /** {@code GET <set>(<id>)/<column>/$value}, whole or a Range. */
    ApiResponse download(ApiRequest request, Principal principal, TableDef def, String key, Column column) {
        UUID id = reads.locate(def, key).id();
        Security.require(principal, def, "Read");
        FileStore.StoredFile file = ctx.state.files().get(def.logicalName, id, column.name());
        if (file == null) {
            throw new ApiError(404, "0x80060891", "No file attachment found for attribute: " + column.name()
                    + " EntityId: " + id + ".");
        }
        byte[] data = file.data();
        if (column.image()) {
            boolean full = "full".equalsIgnoreCase(request.query().get("size"));
            if (full && !column.canStoreFullImage()) {
                // documented: a column that does not store full-sized images answers ?size=full with 204
                return ApiResponse.noContent();
            }
            data = full ? data : file.thumbnail();
        }
        String range = request.header("Range");
        ApiResponse response;
        if (range == null) {
            if (data.length > FULL_DOWNLOAD_LIMIT) {
                throw ApiError.badRequest("The file is " + data.length + " bytes; files larger than 16 MB must be"
                        + " downloaded in chunks with a Range header.");
            }
            response = ApiResponse.bytes(200, "application/octet-stream", data);
        } else {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches()) {
                throw ApiError.badRequest("Invalid Range header: " + range);
            }
            long from = Long.parseLong(m.group(1));
            long to = m.group(2).isEmpty() ? data.length - 1 : Math.min(Long.parseLong(m.group(2)), data.length - 1L);
            if (from >= data.length || to < from) {
                throw new ApiError(416, "0x80060888", "The range " + range + " is outside the file of "
                        + data.length + " bytes.").header("Content-Range", "bytes */" + data.length);
            }
            byte[] part = java.util.Arrays.copyOfRange(data, (int) from, (int) to + 1);
            response = ApiResponse.bytes(206, "application/octet-stream", part);
            response.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
        }
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("x-ms-file-name", file.fileName());
        response.setHeader("x-ms-file-size", Integer.toString(data.length));
        response.setHeader("mimetype", file.mimeType());
        return response;
    }

    /** {@code PATCH <set>(<id>)/<column>}: the body is the whole file, named by {@code x-ms-file-name}. */
    ApiResponse upload(ApiRequest request, Principal principal, TableDef def, String key, Column column) {
        UUID id = reads.locate(def, key).id();
        Security.require(principal, def, "Write");
        String fileName = request.header("x-ms-file-name");
        if (fileName == null || fileName.isBlank()) {
            throw ApiError.badRequest("The x-ms-file-name header is required to upload a file to " + column.name() + ".");
        }
        if ("chunked".equalsIgnoreCase(request.header("x-ms-transfer-mode"))) {
            throw ApiError.badRequest("x-ms-transfer-mode: chunked is not supported by the emulator; use"
                    + " InitializeFileBlocksUpload, UploadBlock and CommitFileBlocksUpload.");
        }
        if (request.body.length > SINGLE_UPLOAD_LIMIT) {
            throw ApiError.badRequest("A single request uploads at most 128 MB; upload " + request.body.length
                    + " bytes in blocks.");
        }
        checkSize(column, request.body.length);
        String type = request.header("Content-Type");
        ctx.state.files().put(def.logicalName, id, column.name(), fileName.trim(), mimeType(type, fileName), request.body);
        return ApiResponse.noContent();
    }

    /** {@code DELETE <set>(<id>)/<column>}. */
    ApiResponse delete(Principal principal, TableDef def, String key, Column column) {
        UUID id = reads.locate(def, key).id();
        Security.require(principal, def, "Write");
        if (!ctx.state.files().remove(def.logicalName, id, column.name())) {
            throw new ApiError(404, "0x80060891", "No file attachment found for attribute: " + column.name()
                    + " EntityId: " + id + ".");
        }
        return ApiResponse.noContent();
    }

    /** POST InitializeFileBlocksUpload {Target, FileAttributeName, FileName}. */
    ApiResponse initializeUpload(ApiRequest request, Principal principal) {
        requirePost(request);
        JsonNode body = body(request);
        JsonNode target = body.path("Target");
        String type = target.path("@odata.type").asText("");
        String table = type.startsWith("Microsoft.Dynamics.CRM.") ? type.substring("Microsoft.Dynamics.CRM.".length()) : type;
        TableDef def = Schema.INSTANCE.table(table);
        if (def == null) {
            throw ApiError.badRequest("Target must name its table with @odata.type, e.g. Microsoft.Dynamics.CRM.account.");
        }
        String attribute = required(body, "FileAttributeName");
        Column column = column(def.logicalName, attribute);
        if (column == null) {
            throw ApiError.badRequest("'" + attribute + "' is not a file or image column of " + def.logicalName + ".");
        }
        String idText = target.path(def.primaryId).asText("");
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Target must hold " + def.primaryId + ".");
        }
        reads.locate(def, id.toString());
        Security.require(principal, def, "Write");
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (UUID.randomUUID() + ":" + UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        uploads.put(token, new Upload(def, id, column, required(body, "FileName"), new ConcurrentHashMap<>()));
        String root = ctx.serviceRoot(request.version);
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", root + "$metadata#Microsoft.Dynamics.CRM.InitializeFileBlocksUploadResponse");
            g.writeStringField("FileContinuationToken", token);
            g.writeEndObject();
        });
    }

    /** POST UploadBlock {BlockId, BlockData, FileContinuationToken}: 204. */
    ApiResponse uploadBlock(ApiRequest request) {
        requirePost(request);
        JsonNode body = body(request);
        Upload upload = upload(body);
        String blockId = required(body, "BlockId");
        byte[] data;
        try {
            data = Base64.getDecoder().decode(required(body, "BlockData"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("BlockData must be base64.");
        }
        if (data.length > MAX_BLOCK_BYTES) {
            throw ApiError.badRequest("A block holds at most 4 MB; this one has " + data.length + " bytes.");
        }
        upload.blocks().put(blockId, data);
        return ApiResponse.noContent();
    }

    /** POST CommitFileBlocksUpload {FileName, MimeType, BlockList, FileContinuationToken}: {FileId, FileSizeInBytes}. */
    ApiResponse commitUpload(ApiRequest request) {
        requirePost(request);
        JsonNode body = body(request);
        Upload upload = upload(body);
        JsonNode list = body.path("BlockList");
        if (!list.isArray() || list.isEmpty()) {
            throw ApiError.badRequest("BlockList must list the uploaded block ids in order.");
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (JsonNode blockId : list) {
            byte[] block = upload.blocks().get(blockId.asText());
            if (block == null) {
                throw ApiError.badRequest("Block " + blockId.asText() + " was not uploaded.");
            }
            whole.writeBytes(block);
        }
        checkSize(upload.column(), whole.size());
        String fileName = body.path("FileName").asText(upload.fileName());
        String mimeType = body.path("MimeType").asText("");
        FileStore.StoredFile file = ctx.state.files().put(upload.def().logicalName, upload.rowId(), upload.column().name(),
                fileName, mimeType.isEmpty() ? mimeType(null, fileName) : mimeType, whole.toByteArray());
        uploads.remove(body.path("FileContinuationToken").asText());
        String root = ctx.serviceRoot(request.version);
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", root + "$metadata#Microsoft.Dynamics.CRM.CommitFileBlocksUploadResponse");
            g.writeStringField("FileId", file.fileId().toString());
            g.writeNumberField("FileSizeInBytes", file.data().length);
            g.writeEndObject();
        });
    }

    private Upload upload(JsonNode body) {
        Upload upload = uploads.get(required(body, "FileContinuationToken"));
        if (upload == null) {
            throw ApiError.badRequest("The FileContinuationToken is unknown or its upload was already committed.");
        }
        return upload;
    }

    private static void checkSize(Column column, long size) {
        if (size > column.maxBytes()) {
            throw ApiError.badRequest("The file is " + size + " bytes; " + column.table() + "." + column.name()
                    + " holds at most " + column.maxBytes() / 1024 + " KB (MaxSizeInKB).");
        }
    }

    private static String mimeType(String contentType, String fileName) {
        if (contentType != null && !contentType.isBlank() && !contentType.startsWith("application/octet-stream")) {
            return contentType;
        }
        String guessed = java.net.URLConnection.guessContentTypeFromName(fileName);
        return guessed == null ? "application/octet-stream" : guessed;
    }

    private static JsonNode body(ApiRequest request) {
        try {
            return Jwt.JSON.readTree(request.body);
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("The request body is not valid JSON: " + e.getMessage());
        }
    }

    private static String required(JsonNode body, String name) {
        String value = body.path(name).asText("");
        if (value.isEmpty()) {
            throw ApiError.badRequest("The parameter " + name + " is required.");
        }
        return value;
    }

    private void requirePost(ApiRequest request) {
        if (!"POST".equals(request.method)) {
            throw ApiError.noResource(ctx.serviceRoot(request.version) + request.path);
        }
    }
}
