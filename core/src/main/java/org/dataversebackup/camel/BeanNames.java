package org.dataversebackup.camel;

/**
 * The registry names of the library's beans, all under {@code dataverse-backup.} so they never
 * collide with an ESB application's own: {@code dataverse-backup.<environment>.<bean>} for the
 * beans of one Dataverse environment, {@code dataverse-backup.<bean>} for shared ones.
 */
public final class BeanNames {
    public static final String PREFIX = "dataverse-backup.";

    /** Shared: the S3 client of snapshots in S3 (s3.*). */
    public static final String S3_CLIENT = PREFIX + "s3Client";
    /** Shared: the camel-aws2-s3 endpoint options of snapshots in S3. */
    public static final String S3_SETTINGS = PREFIX + "s3Settings";
    /** Shared: the steps of the restore routes (all state is in the restore's exchange). */
    public static final String RESTORE_STEPS = PREFIX + "restoreSteps";
    /** Shared: the steps of the inbox routes. */
    public static final String RESTORE_INBOX = PREFIX + "restoreInbox";
    /** Shared: the keys of inbox requests that ran successfully, per inbox folder. */
    public static final String INBOX_REPOSITORY = PREFIX + "inboxRepository";
    /** Shared: builds completion events. */
    public static final String EVENTS = PREFIX + "events";

    /** Per environment: the Dataverse Web API client. */
    public static final String DATAVERSE_CLIENT = "dataverseClient";
    /** Per environment: {@code org.dataversebackup.dataverse.AccessTokens}. */
    public static final String ACCESS_TOKENS = "dataverseAccessTokens";
    /** Per environment: the processor that sets {@code Authorization: Bearer <token>}. */
    public static final String TOKEN_PROCESSOR = "dataverseToken";

    private BeanNames() {
    }

    /** {@code dataverse-backup.<environment>.<bean>}. */
    public static String of(String environment, String bean) {
        return PREFIX + environment + "." + bean;
    }
}
