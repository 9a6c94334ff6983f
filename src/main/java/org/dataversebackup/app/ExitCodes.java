package org.dataversebackup.app;

/** Process exit codes of every command, as documented in the README. */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    /** The job ran and failed (a table could not be read, a record was rejected, ...). */
    public static final int JOB_FAILED = 1;
    /** Bad command line or configuration: nothing was attempted. */
    public static final int USAGE = 2;
    /** The connection account does not meet the requirements (preflight check failed). */
    public static final int PREFLIGHT_FAILED = 3;

    private ExitCodes() {
    }
}
