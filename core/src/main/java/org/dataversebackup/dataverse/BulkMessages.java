package org.dataversebackup.dataverse;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a table supports a bulk operation message ({@value #CREATE_MULTIPLE},
 * {@value #UPSERT_MULTIPLE}). Every elastic table does, but only the standard tables that enabled
 * them; Microsoft documents how to tell: a message filter ({@code sdkmessagefilter}) of the table
 * ({@code primaryobjecttypecode}) for the message ({@code sdkmessage.name}) exists. Asked once per
 * table and message:
 * {@code sdkmessagefilters?$select=sdkmessagefilterid&$filter=primaryobjecttypecode eq 'account' and sdkmessageid/name eq 'CreateMultiple'}.
 * A query that fails counts as "not supported": the caller writes with {@code $batch} instead.
 */
public final class BulkMessages {
    private static final Logger LOG = LoggerFactory.getLogger(BulkMessages.class);
    public static final String CREATE_MULTIPLE = "CreateMultiple";
    public static final String UPSERT_MULTIPLE = "UpsertMultiple";

    private final DataverseClient client;
    private final Map<String, Boolean> supported = new ConcurrentHashMap<>();

    public BulkMessages(DataverseClient client) {
        this.client = client;
    }

    /** @param table a logical name, e.g. {@code account} */
    public boolean supports(String table, String message) {
        return supported.computeIfAbsent(table.toLowerCase(Locale.ROOT) + "/" + message, key -> ask(table, message));
    }

    private boolean ask(String table, String message) {
        String filter = "primaryobjecttypecode eq '" + table.toLowerCase(Locale.ROOT) + "' and sdkmessageid/name eq '"
                + message + "'";
        try {
            boolean found = !client.getJson("sdkmessagefilters?$select=sdkmessagefilterid&$filter=" + Urls.encode(filter))
                    .path("value").isEmpty();
            LOG.debug("{}: {} {}", table, message, found ? "supported" : "not supported: rows are written with $batch");
            return found;
        } catch (DataverseException e) {
            LOG.info("{}: whether the table supports {} cannot be told (HTTP {} {}): its rows are written with $batch", table,
                    message, e.status(), e.code());
            return false;
        }
    }
}
