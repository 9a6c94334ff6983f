package org.dataversebackup.check;

/** Message headers and exchange properties of {@code direct:check}, for ESB flows and the backup and restore routes. */
public final class CheckHeaders {
    /** In: {@code backup} (the default) or {@code restore}: which requirements are checked. */
    public static final String PURPOSE = "DataverseCheckPurpose";
    /**
     * In: comma-separated logical names, or {@code *}. Absent: the configured backup scope
     * ({@code backup.tables} minus {@code backup.exclude}).
     */
    public static final String TABLES = "DataverseCheckTables";
    /** In (restore): whether lookups are restored, so Append and AppendTo are needed; default true. */
    public static final String LOOKUPS = "DataverseCheckLookups";
    /** In (backup): an incremental backup (change tracking) is planned: Global read depth is required; default false. */
    public static final String INCREMENTAL = "DataverseCheckIncremental";

    /** Out: true when no step failed (warnings allowed). */
    public static final String PASSED = "DataverseCheckPassed";
    /** Out: {@code passed}, {@code failed} (a requirement is not met) or {@code error} (a step could not be checked). */
    public static final String OUTCOME = "DataverseCheckOutcome";

    /** Exchange property: the {@link CheckRequest} being checked. */
    public static final String REQUEST_PROPERTY = "dvbCheckRequest";
    /** Exchange property: the {@link CheckReport}, for Java callers. */
    public static final String REPORT_PROPERTY = "dvbCheckReport";

    private CheckHeaders() {
    }
}
