package org.dataversebackup.backup;

/** A second backup of the same environment into the same target, with {@code backup.concurrent=fail}. */
public class BackupAlreadyRunningException extends IllegalStateException {
    public BackupAlreadyRunningException(String message) {
        super(message);
    }
}
