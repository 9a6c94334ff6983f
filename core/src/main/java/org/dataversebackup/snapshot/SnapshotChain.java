package org.dataversebackup.snapshot;

import org.dataversebackup.config.ConfigurationException;

/**
 * Where the other snapshots of an incremental's chain are: beside it, in the same environment
 * folder (or key prefix), named by their snapshot ids.
 */
public final class SnapshotChain {
    private SnapshotChain() {
    }

    /**
     * The location of another snapshot of the same environment folder.
     *
     * @param location   a snapshot's folder, {@code file:<folder>} or {@code s3://bucket/prefix/<environment>/<id>}
     * @param snapshotId the other snapshot's id (a name, never a path)
     */
    public static String sibling(String location, String snapshotId) {
        String trimmed = location.replaceAll("[/\\\\]+$", "");
        int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
        if (slash < 0 || snapshotId == null || !snapshotId.matches("[A-Za-z0-9._-]+") || snapshotId.contains("..")) {
            throw new ConfigurationException("Cannot find snapshot '" + snapshotId + "' beside " + location + ".");
        }
        return trimmed.substring(0, slash + 1) + snapshotId;
    }
}
