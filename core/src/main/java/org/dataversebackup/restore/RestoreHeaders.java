package org.dataversebackup.restore;

/**
 * Message headers of {@code direct:restore}, for ESB flows. Instead of the request headers, the
 * body may hold a restore request as JSON (the format of the inbox files); headers set as well win
 * over the body's values.
 */
public final class RestoreHeaders {
    /** In (required unless in the body): the snapshot folder or {@code s3://bucket/prefix/<environment>/<id>}. */
    public static final String SNAPSHOT = "DataverseRestoreSnapshot";
    /** In: comma-separated logical names; default every table of the snapshot except {@code restore.exclude}. */
    public static final String TABLES = "DataverseRestoreTables";
    /** In: {@code upsert}, {@code create} or {@code update}; default {@code restore.mode}. */
    public static final String MODE = "DataverseRestoreMode";
    /** In: comma-separated primary keys (GUIDs) to restore; default all rows. */
    public static final String IDS = "DataverseRestoreIds";
    /** In: a filter on saved fields, e.g. {@code name=Contoso;statecode=0} (see RecordFilter). */
    public static final String FILTER = "DataverseRestoreFilter";
    /** In: {@code true} to read and plan without writing. */
    public static final String DRY_RUN = "DataverseRestoreDryRun";
    /** In: {@code true} to allow restoring into another environment than the snapshot's source. */
    public static final String ALLOW_OTHER_ENVIRONMENT = "DataverseRestoreAllowOtherEnvironment";
    /**
     * In: {@code true} to delete the live rows of each restored table that the snapshot does not
     * hold (upsert mode, whole tables only); a dry run lists them.
     */
    public static final String DELETES = "DataverseRestoreDeletes";
    /** In: path of a reference mapping file (JSON). */
    public static final String MAPPING = "DataverseRestoreMapping";

    /** Out: {@code true} when nothing failed. */
    public static final String OK = "DataverseRestoreOk";
    /** Out: the number of records (and links) that failed. */
    public static final String FAILED = "DataverseRestoreFailed";
    /** Out: the restore id, e.g. {@code 20261129T101500Z-3f2a}. */
    public static final String RESTORE_ID = "DataverseRestoreId";
    /** Out: where the JSON report was written. */
    public static final String REPORT_FILE = "DataverseRestoreReportFile";
    /** Out: where the failures (NDJSON) were written; absent when nothing failed. */
    public static final String FAILURES_FILE = "DataverseRestoreFailuresFile";

    private RestoreHeaders() {
    }
}
