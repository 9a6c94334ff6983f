package org.dataversebackup.restore;

/**
 * The preflight check ({@code direct:check}, run before a restore when {@code preflight.enabled}
 * is true) found the connection account short of what the restore needs. Commands exit 3.
 */
public class PreflightFailedException extends RuntimeException {
    public PreflightFailedException(String message) {
        super(message);
    }
}
