package org.dataversebackup.dataverse;

/** The Dataverse Web API's fixed limits, defined once for every caller. */
public final class WebApiLimits {
    /** The largest page a query returns ({@code Prefer: odata.maxpagesize}). */
    public static final int MAX_PAGE_SIZE = 5000;
    /** The most operations one {@code $batch} request may hold. */
    public static final int MAX_BATCH_OPERATIONS = 1000;

    private WebApiLimits() {
    }
}
