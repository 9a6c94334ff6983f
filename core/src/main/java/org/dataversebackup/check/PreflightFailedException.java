package org.dataversebackup.check;

/**
 * The preflight check did not pass, so the job stops before reading or writing any record. Carries
 * the report; commands print it and exit with 3 when a requirement
 * is not met, 1 when a step could not be checked).
 */
public class PreflightFailedException extends RuntimeException {
    private final transient CheckReport report;

    public PreflightFailedException(CheckReport report) {
        super(report.summary());
        this.report = report;
    }

    public CheckReport report() {
        return report;
    }
}
