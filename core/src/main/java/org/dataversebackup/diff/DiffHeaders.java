package org.dataversebackup.diff;

/** Message headers of {@code dataverse:diff} ({@code direct:dataverse-backup.<environment>.diff}). */
public final class DiffHeaders {
    /** In: the older snapshot, a folder or {@code s3://bucket/prefix/<environment>/<snapshot id>}. */
    public static final String OLDER = "DataverseDiffOlder";
    /** In: the newer snapshot as {@link #OLDER}, or {@code live}: the environment's rows now. */
    public static final String NEWER = "DataverseDiffNewer";
    /** In: comma-separated logical names; absent = every table of either side. */
    public static final String TABLES = "DataverseDiffTables";
    /**
     * In: a file to write every row that differs to, one JSON object per line
     * ({@code {"table","id","change","columns"}}); absent = counts only.
     */
    public static final String CHANGES_FILE = "DataverseDiffChangesFile";
    /** Out: true when no table differs. */
    public static final String SAME = "DataverseDiffSame";

    /** The value of {@link #NEWER} that compares with the live environment. */
    public static final String LIVE = "live";

    private DiffHeaders() {
    }
}
