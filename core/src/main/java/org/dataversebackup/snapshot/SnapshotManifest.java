package org.dataversebackup.snapshot;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code manifest.json}: the last file written to a snapshot, and the proof that it is complete.
 * Snapshot format version 1, documented in the README as a public, stable format; version 2 is
 * version 1 with encrypted files ({@code encryption} set), so that an older reader refuses it
 * instead of failing on ciphertext. Times are ISO-8601 UTC instants.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"formatVersion", "tool", "snapshotId", "kind", "source", "startedAt", "completedAt", "encryption",
    "tables"})
public record SnapshotManifest(int formatVersion, Tool tool, String snapshotId, String kind, Source source,
        String startedAt, String completedAt, Encryption encryption, List<Table> tables) {

    public static final int FORMAT_VERSION = 1;
    /** The format version of an encrypted snapshot. */
    public static final int ENCRYPTED_FORMAT_VERSION = 2;
    public static final String FILE_NAME = "manifest.json";

    /** A snapshot whose files are not encrypted. */
    public SnapshotManifest(int formatVersion, Tool tool, String snapshotId, String kind, Source source,
            String startedAt, String completedAt, List<Table> tables) {
        this(formatVersion, tool, snapshotId, kind, source, startedAt, completedAt, null, tables);
    }

    /** The same manifest with its files encrypted as described (null: not encrypted). */
    public SnapshotManifest encrypted(Encryption with) {
        return with == null ? this : new SnapshotManifest(ENCRYPTED_FORMAT_VERSION, tool, snapshotId, kind, source,
                startedAt, completedAt, with, tables);
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
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"logicalName", "entitySetName", "primaryIdAttribute", "records", "schema", "schemaSha256", "parts",
        "skipped"})
    public record Table(String logicalName, String entitySetName, String primaryIdAttribute, long records,
            String schema, String schemaSha256, List<Part> parts, String skipped) {

        public Table(String logicalName, String entitySetName, String primaryIdAttribute, long records, String schema,
                String schemaSha256, List<Part> parts) {
            this(logicalName, entitySetName, primaryIdAttribute, records, schema, schemaSha256, parts, null);
        }
    }

    /** One data file: path relative to the snapshot folder, records, bytes and SHA-256 (hex) of the file. */
    @JsonPropertyOrder({"path", "records", "bytes", "sha256"})
    public record Part(String path, long records, long bytes, String sha256) {
    }

    public long totalRecords() {
        return tables.stream().mapToLong(Table::records).sum();
    }

    public long totalBytes() {
        return tables.stream().flatMap(t -> t.parts().stream()).mapToLong(Part::bytes).sum();
    }
}
