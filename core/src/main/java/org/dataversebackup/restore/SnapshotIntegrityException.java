package org.dataversebackup.restore;

/** A data part does not match the manifest (missing, truncated, corrupt): nothing from it is written. */
public class SnapshotIntegrityException extends RuntimeException {
    public SnapshotIntegrityException(String message) {
        super(message);
    }
}
