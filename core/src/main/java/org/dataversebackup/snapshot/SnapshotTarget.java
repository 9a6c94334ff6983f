package org.dataversebackup.snapshot;

import java.net.URI;
import java.nio.file.Path;

import org.dataversebackup.config.ConfigurationException;

/**
 * Where snapshots are written: a folder ({@code file:backups}, {@code file:/var/backups}, or a
 * plain path) or an S3 bucket and key prefix ({@code s3://bucket/prefix}). A snapshot lives at
 * {@code <target>/<environment>/<snapshot id>/}.
 */
public sealed interface SnapshotTarget {

    /** Where a snapshot goes, as shown to users: a folder path or an {@code s3://} URI. */
    String locationOf(String snapshotKey);

    /** True for S3 (routes choose the store on it). */
    boolean isS3();

    record Folder(Path root) implements SnapshotTarget {
        @Override
        public String locationOf(String snapshotKey) {
            return root.resolve(snapshotKey).toString();
        }

        @Override
        public boolean isS3() {
            return false;
        }

        /**
         * The folder of Camel's file endpoint: the nearest ancestor of the root whose path an endpoint
         * URI keeps as is. Camel decodes {@code %xx} (and {@code +}) in URIs, so a target such as
         * {@code /backups/nightly%41} would be written to {@code /backups/nightlyA}; the rest of the
         * path goes in the file name header ({@link #fileName(String)}), which is used literally.
         */
        public String rootPath() {
            return uriRoot().toString();
        }

        /** The file name (header {@code CamelFileName}) of a path under the root, relative to {@link #rootPath()}. */
        public String fileName(String path) {
            return uriRoot().relativize(root.resolve(path)).toString();
        }

        private Path uriRoot() {
            Path folder = root;
            while (folder.getParent() != null && folder.toString().matches(".*[%+#&].*")) {
                folder = folder.getParent();
            }
            return folder;
        }
    }

    /** @param prefix key prefix without leading or trailing slash; empty for the bucket root */
    record S3(String bucket, String prefix) implements SnapshotTarget {
        @Override
        public String locationOf(String snapshotKey) {
            return "s3://" + bucket + "/" + key(snapshotKey);
        }

        @Override
        public boolean isS3() {
            return true;
        }

        /** The object key of a path under the prefix. */
        public String key(String path) {
            return prefix.isEmpty() ? path : prefix + "/" + path;
        }
    }

    static SnapshotTarget parse(String location) {
        if (location == null || location.isBlank()) {
            throw new ConfigurationException("No backup target: set backup.target to file:<folder> or s3://bucket/prefix.");
        }
        String value = location.trim();
        if (value.startsWith("s3://")) {
            URI uri = URI.create(value.replace(" ", "%20"));
            String bucket = uri.getHost();
            if (bucket == null || bucket.isBlank()) {
                throw new ConfigurationException("Target '" + value + "' has no bucket: write s3://bucket/prefix.");
            }
            String prefix = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
            return new S3(bucket, prefix);
        }
        if (value.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*") && !value.startsWith("file:")) {
            throw new ConfigurationException("Target '" + value + "' is not supported: use file:<folder> or s3://bucket/prefix.");
        }
        String path = value.startsWith("file://") ? value.substring("file://".length())
                : value.startsWith("file:") ? value.substring("file:".length()) : value;
        if (path.contains("?")) {
            throw new ConfigurationException("Target '" + value + "' contains '?': a folder target cannot hold one (it would"
                    + " be read as endpoint options). Choose a folder name without '?'.");
        }
        return new Folder(Path.of(path).toAbsolutePath().normalize());
    }
}
