package org.dataversebackup.snapshot;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code manifest.json}: the last file written to a snapshot, and the proof that it is complete.
 * Snapshot format version 1, documented in the README as a public, stable format. Version 2 is
 * version 1 plus what an older reader must not misread: encrypted files ({@code encryption}) or an
 * incremental snapshot ({@code parent}: only the changes since it), so that such a reader refuses
 * it. Times are ISO-8601 UTC instants.
 *
 * @param parent    an incremental snapshot's previous snapshot (full or incremental) of the chain
 * @param chainFull an incremental snapshot's full snapshot, where its chain starts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"formatVersion", "tool", "snapshotId", "kind", "parent", "chainFull", "source", "startedAt",
    "completedAt", "encryption", "tables", "files"})
public record SnapshotManifest(int formatVersion, Tool tool, String snapshotId, String kind, String parent, String chainFull,
        Source source, String startedAt, String completedAt, Encryption encryption, List<Table> tables, List<FileEntry> files) {

    /** A snapshot without files of file and image columns. */
    public SnapshotManifest(int formatVersion, Tool tool, String snapshotId, String kind, String parent, String chainFull,
            Source source, String startedAt, String completedAt, Encryption encryption, List<Table> tables) {
        this(formatVersion, tool, snapshotId, kind, parent, chainFull, source, startedAt, completedAt, encryption, tables, null);
    }

    public static final int FORMAT_VERSION = 1;
    /** The format version of an encrypted or incremental snapshot. */
    public static final int VERSION_2 = 2;
    public static final String FILE_NAME = "manifest.json";
    public static final String FULL = "full";
    public static final String INCREMENTAL = "incremental";

    /** A full snapshot whose files are not encrypted. */
    public SnapshotManifest(int formatVersion, Tool tool, String snapshotId, String kind, Source source,
            String startedAt, String completedAt, List<Table> tables) {
        this(formatVersion, tool, snapshotId, kind, null, null, source, startedAt, completedAt, null, tables);
    }

    /** The format version this manifest needs: 2 when encrypted or incremental. */
    public int requiredVersion() {
        return encryption != null || parent != null ? VERSION_2 : FORMAT_VERSION;
    }

    /** The same manifest with its files encrypted as described (null: not encrypted). */
    public SnapshotManifest encrypted(Encryption with) {
        if (with == null) {
            return this;
        }
        SnapshotManifest encrypted = new SnapshotManifest(formatVersion, tool, snapshotId, kind, parent, chainFull, source,
                startedAt, completedAt, with, tables, files);
        return encrypted.withVersion(encrypted.requiredVersion());
    }

    private SnapshotManifest withVersion(int version) {
        return new SnapshotManifest(version, tool, snapshotId, kind, parent, chainFull, source, startedAt, completedAt,
                encryption, tables, files);
    }

    public boolean incremental() {
        return parent != null;
    }

    /**
     * How the schemas and parts are encrypted: the scheme ({@code AES256_GCM_HKDF_1MB}, Tink's streaming
     * AEAD) and the id of the key (derived from the key, never the key itself).
     */
    public record Encryption(String scheme, String keyId) {
    }

    public record Tool(String name, String version) {
    }

    /** Where the data came from: the environment URL, its organization id and our name for it. */
    public record Source(String dataverseUrl, String organizationId, String environment) {
    }

    /**
     * A table of the snapshot: its schema file ({@code schema/<table>.json}, the table's
     * EntityDefinition) with the file's SHA-256, and its data parts. {@code skipped} is set (and
     * there are no schema and no parts) when a table found through {@code backup.tables=*} cannot be
     * read through the Web API at all; it says why.
     *
     * @param copy           in an incremental snapshot: {@code changes} (the rows created or changed since the
     *                       parent, and tombstones of the deleted ones) or {@code full} (every row: the table has no
     *                       change tracking, its delta token expired, or it is new in the scope)
     * @param copyReason     why a table of an incremental snapshot is copied whole
     * @param deleted        rows deleted since the parent (tombstones in {@code deletedParts})
     * @param deletedParts   tombstones: one JSON object per line, {@code {"id", "table", "seenAt"}}
     * @param deltaToken     the change-tracking token obtained: the next incremental reads the changes since it
     * @param deltaTokenUsed the token this incremental read the changes since
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"logicalName", "entitySetName", "primaryIdAttribute", "records", "schema", "schemaSha256", "parts",
        "skipped", "copy", "copyReason", "deleted", "deletedParts", "deltaTokenUsed", "deltaToken"})
    public record Table(String logicalName, String entitySetName, String primaryIdAttribute, long records,
            String schema, String schemaSha256, List<Part> parts, String skipped, String copy, String copyReason,
            Long deleted, List<Part> deletedParts, String deltaTokenUsed, String deltaToken) {

        public static final String CHANGES = "changes";
        public static final String WHOLE = "full";

        public Table(String logicalName, String entitySetName, String primaryIdAttribute, long records, String schema,
                String schemaSha256, List<Part> parts) {
            this(logicalName, entitySetName, primaryIdAttribute, records, schema, schemaSha256, parts, null);
        }

        public Table(String logicalName, String entitySetName, String primaryIdAttribute, long records, String schema,
                String schemaSha256, List<Part> parts, String skipped) {
            this(logicalName, entitySetName, primaryIdAttribute, records, schema, schemaSha256, parts, skipped, null, null,
                    null, null, null, null);
        }

        /** The tombstone parts (none in a full snapshot). */
        public List<Part> tombstones() {
            return deletedParts == null ? List.of() : deletedParts;
        }

        /** Every file of the table's data: rows, then tombstones. */
        public List<Part> allParts() {
            if (deletedParts == null || deletedParts.isEmpty()) {
                return parts == null ? List.of() : parts;
            }
            List<Part> all = new java.util.ArrayList<>(parts == null ? List.of() : parts);
            all.addAll(deletedParts);
            return all;
        }

        /** An incremental's table that holds only changes: older snapshots of the chain hold the rest. */
        public boolean changesOnly() {
            return CHANGES.equals(copy);
        }
    }

    /** One data file: path relative to the snapshot folder, records, bytes and SHA-256 (hex) of the file. */
    @JsonPropertyOrder({"path", "records", "bytes", "sha256"})
    public record Part(String path, long records, long bytes, String sha256) {
    }

    /**
     * The content of a file or image column of one record, stored as a file of its own at
     * {@code files/<table>/<record id>/<column>} ({@code .enc} added when encrypted), or skipped.
     *
     * @param path          where it is in the snapshot; null when skipped
     * @param bytes         size of the stored file (encrypted when the snapshot is)
     * @param sha256        SHA-256 (hex) of the stored file
     * @param size          size of the file's content as Dataverse holds it
     * @param contentSha256 SHA-256 (hex) of that content (restore compares it with what the target holds)
     * @param fileName      the file name Dataverse gave ({@code x-ms-file-name})
     * @param mimeType      its MIME type, when Dataverse said
     * @param image         for image columns: {@code full} (the full-sized image) or {@code thumbnail}
     * @param skipped       why the file is not in the snapshot (larger than {@code backup.max-file-bytes})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"table", "id", "column", "path", "bytes", "sha256", "size", "contentSha256", "fileName", "mimeType",
        "image", "skipped"})
    public record FileEntry(String table, String id, String column, String path, Long bytes, String sha256, Long size,
            String contentSha256, String fileName, String mimeType, String image, String skipped) {

        public static final String FOLDER = "files";
        /**
         * Suffix of the property a record keeps for an attachment body stored as a file of its own
         * ({@code "documentbody": null, "documentbody@dvb.file": "files/annotation/<id>/documentbody"}).
         */
        public static final String RECORD_MARKER = "@dvb.file";

        /** {@code files/<table>/<record id>/<column>}, before encryption adds {@code .enc}. */
        public static String relativePath(String table, String id, String column) {
            return FOLDER + "/" + table + "/" + id + "/" + column;
        }

        public boolean stored() {
            return skipped == null && path != null;
        }
    }

    /** The files of file and image columns (none in a snapshot made without them). */
    public List<FileEntry> fileEntries() {
        return files == null ? List.of() : files;
    }

    public long totalRecords() {
        return tables.stream().mapToLong(Table::records).sum();
    }

    public long totalBytes() {
        return tables.stream().flatMap(t -> t.allParts().stream()).mapToLong(Part::bytes).sum()
                + fileEntries().stream().filter(FileEntry::stored).mapToLong(FileEntry::bytes).sum();
    }
}
