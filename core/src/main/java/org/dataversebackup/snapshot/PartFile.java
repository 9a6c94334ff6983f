package org.dataversebackup.snapshot;

import java.nio.file.Path;

/**
 * A data part written to local temporary storage, ready to be stored in the target.
 *
 * @param localFile    the gzip NDJSON file on local disk
 * @param relativePath where it goes in the snapshot, e.g. {@code data/account/part-00001.ndjson.gz}
 */
public record PartFile(Path localFile, String relativePath, long records, long bytes, String sha256) {

    public SnapshotManifest.Part toManifestPart() {
        return new SnapshotManifest.Part(relativePath, records, bytes, sha256);
    }

    /** The folder of an incremental snapshot's tombstones: {@code deleted/<table>/part-00001.ndjson.gz}. */
    public static final String TOMBSTONES = "deleted";

    public static String relativePath(String table, int partNumber) {
        return String.format("data/%s/part-%05d.ndjson.gz", table, partNumber);
    }

    /**
     * A part of one key range of a partitioned read, e.g. {@code data/account/part-003-00001.ndjson.gz}:
     * the parts of a range sort in their order (and hold its rows in key order).
     */
    public static String relativePath(String table, int range, int partNumber) {
        return String.format("data/%s/part-%03d-%05d.ndjson.gz", table, range, partNumber);
    }

    public static String tombstonePath(String table, int partNumber) {
        return String.format(TOMBSTONES + "/%s/part-%05d.ndjson.gz", table, partNumber);
    }
}
