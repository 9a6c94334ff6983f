package org.dataversebackup.restore;

import java.util.Locale;

import java.util.Iterator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.PagedRecords;
import org.dataversebackup.dataverse.Urls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the live rows of the target whose column has one of some values, a request per (at most)
 * {@value #VALUES_PER_REQUEST} values: {@code $filter=Microsoft.Dynamics.CRM.In(PropertyName='accountid',
 * PropertyValues=['...','...'])} (Dataverse's documented In query function), with
 * {@code $select} and the lookuplogicalname annotation. A target that refuses the function (400
 * or 501) is asked again with {@code accountid eq ... or accountid eq ...}, and from then on.
 */
public class LiveRows {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRows.class);
    static final int VALUES_PER_REQUEST = 100;
    static final String PREFER = PagedRecords.prefer(org.dataversebackup.dataverse.WebApiLimits.MAX_PAGE_SIZE,
            "Microsoft.Dynamics.CRM.lookuplogicalname");

    private final DataverseClient client;
    private volatile boolean inFunction = true;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    public LiveRows(DataverseClient client) {
        this.client = client;
    }

    /** Whether the table has no row at all (one request for at most one id). */
    boolean empty(String entitySet, String primaryIdAttribute) {
        requests.incrementAndGet();
        return client.get(entitySet + "?$select=" + primaryIdAttribute, Map.of("Prefer", "odata.maxpagesize=1")).json()
                .path("value").isEmpty();
    }

    /** The ids of every live row of a table, page by page (for a restore with deletes). */
    Iterator<String> allIds(String entitySet, String primaryIdAttribute) {
        PagedRecords pages = new PagedRecords(client, entitySet + "?$select=" + primaryIdAttribute,
                Map.of("Prefer", "odata.maxpagesize=" + org.dataversebackup.dataverse.WebApiLimits.MAX_PAGE_SIZE),
                page -> requests.incrementAndGet());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return pages.hasNext();
            }

            @Override
            public String next() {
                try {
                    return RestoreJson.MAPPER.readTree(pages.next()).path(primaryIdAttribute).asText().toLowerCase(Locale.ROOT);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * The rows whose primary key is one of {@code ids}.
     *
     * @param primaryKey the table's primary key column, e.g. {@code accountid}
     */
    public List<ObjectNode> byKey(String entitySet, String primaryKey, Collection<String> ids, List<String> select) {
        return ids.isEmpty() ? List.of() : read(entitySet, primaryKey, ids, select);
    }

    /**
     * @param entitySet the table's entity set
     * @param property  the column compared, e.g. {@code accountid} or {@code _dvb_projectid_value}... as a
     *                  filterable property (a primary key or an intersect table's id column)
     * @param values    GUIDs
     * @param select    the properties to return
     */
    public List<ObjectNode> read(String entitySet, String property, Collection<String> values, List<String> select) {
        List<String> all = new ArrayList<>(values);
        List<ObjectNode> rows = new ArrayList<>();
        for (int from = 0; from < all.size(); from += VALUES_PER_REQUEST) {
            rows.addAll(readSome(entitySet, property, all.subList(from, Math.min(all.size(), from + VALUES_PER_REQUEST)), select));
        }
        return rows;
    }

    private List<ObjectNode> readSome(String entitySet, String property, List<String> values, List<String> select) {
        if (inFunction) {
            try {
                return query(entitySet, inFunction(property, values), select);
            } catch (DataverseException e) {
                if (e.status() != 400 && e.status() != 501) {
                    throw e;
                }
                LOG.info("{} refused the In query function (HTTP {} {}): reading rows with 'eq ... or ...' filters instead",
                        client.environmentUrl(), e.status(), e.code());
                inFunction = false;
            }
        }
        return query(entitySet, orChain(property, values), select);
    }

    /** Requests sent (the client's retries not counted). */
    public long requests() {
        return requests.get();
    }

    static String inFunction(String property, List<String> values) {
        return "Microsoft.Dynamics.CRM.In(PropertyName='" + property + "',PropertyValues=["
                + values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(",")) + "])";
    }

    static String orChain(String property, List<String> values) {
        return values.stream().map(v -> property + " eq " + v).collect(Collectors.joining(" or "));
    }

    private List<ObjectNode> query(String entitySet, String filter, List<String> select) {
        String url = entitySet + "?$select=" + String.join(",", select) + "&$filter=" + Urls.encode(filter);
        PagedRecords pages = new PagedRecords(client, url, Map.of("Prefer", PREFER), page -> requests.incrementAndGet());
        List<ObjectNode> rows = new ArrayList<>();
        while (pages.hasNext()) {
            try {
                JsonNode row = RestoreJson.MAPPER.readTree(pages.next());
                rows.add((ObjectNode) row);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return rows;
    }
}
