package org.dataversebackup.restore;

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
 *
 * <p>Rows are read by primary key. When such a read matches nothing, the table is probed once
 * (its first row, then a filter on that row's key): a target that cannot filter on the primary key
 * (the bundled emulator could not) is then read by id instead, {@code GET <set>(<id>)} requests in
 * one {@code $batch} per chunk (one request each with {@code restore.use-batch=false}).
 */
public class LiveRows {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRows.class);
    static final int VALUES_PER_REQUEST = 100;
    static final String PREFER = "odata.maxpagesize=5000,odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"";

    private final DataverseClient client;
    private volatile boolean inFunction = true;
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> keyFilterWorks = new java.util.concurrent.ConcurrentHashMap<>();
    private final org.dataversebackup.dataverse.DataverseWriter batches;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    private final boolean useBatch;

    /** @param useBatch false: rows read by id are read one request each, never in a $batch */
    public LiveRows(DataverseClient client, boolean useBatch) {
        this.client = client;
        this.useBatch = useBatch;
        this.batches = new org.dataversebackup.dataverse.DataverseWriter(client);
    }

    /**
     * The rows whose primary key is one of {@code ids}.
     *
     * @param primaryKey the table's primary key column, e.g. {@code accountid}
     */
    public List<ObjectNode> byKey(String entitySet, String primaryKey, Collection<String> ids, List<String> select) {
        if (ids.isEmpty()) {
            return List.of();
        }
        if (Boolean.FALSE.equals(keyFilterWorks.get(entitySet))) {
            return byId(entitySet, ids, select);
        }
        List<ObjectNode> rows = read(entitySet, primaryKey, ids, select);
        if (!rows.isEmpty()) {
            keyFilterWorks.put(entitySet, true);
            return rows;
        }
        // nothing matched: the rows are absent, or the target cannot filter on the key (asked once)
        Boolean works = keyFilterWorks.get(entitySet);
        if (works == null) {
            synchronized (this) { // one probe per table, not one per writer
                works = keyFilterWorks.get(entitySet);
                if (works == null) {
                    works = keyFilterWorks(entitySet, primaryKey);
                }
            }
        }
        return works ? rows : byId(entitySet, ids, select);
    }

    /** Whether a filter on the primary key finds a row that exists; true for an empty table (not known yet). */
    private boolean keyFilterWorks(String entitySet, String primaryKey) {
        requests.incrementAndGet();
        com.fasterxml.jackson.databind.JsonNode first = client.getJson(entitySet + "?$select=" + primaryKey + "&$top=1").path("value");
        if (first.isEmpty()) {
            return true;
        }
        String id = first.get(0).path(primaryKey).asText();
        boolean works = !read(entitySet, primaryKey, List.of(id), List.of(primaryKey)).isEmpty();
        keyFilterWorks.put(entitySet, works);
        if (!works) {
            LOG.warn("{} cannot filter {} on its primary key {}: reading its rows by id ($batch of GET requests) instead",
                    client.environmentUrl(), entitySet, primaryKey);
        }
        return works;
    }

    private List<ObjectNode> byId(String entitySet, Collection<String> ids, List<String> select) {
        List<String> paths = ids.stream().map(id -> entitySet + "(" + id + ")?$select=" + String.join(",", select)).toList();
        Map<String, String> prefer = Map.of("Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"");
        List<ObjectNode> rows = new ArrayList<>();
        if (!useBatch) {
            for (String path : paths) {
                requests.incrementAndGet();
                try {
                    rows.add((ObjectNode) RestoreJson.MAPPER.readTree(client.get(path, prefer).body()));
                } catch (DataverseException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return rows;
        }
        for (org.dataversebackup.dataverse.BatchResponse.Part part : batches.read(paths, prefer)) {
            if (part.status() == 200) {
                try {
                    rows.add((ObjectNode) RestoreJson.MAPPER.readTree(part.body()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            } else if (part.status() != 404) {
                org.dataversebackup.dataverse.WriteResult error = part.result();
                throw new DataverseException("GET " + entitySet + "(...) in a $batch", part.status(), error.code(), error.message());
            }
        }
        return rows;
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
        return requests.get() + batches.requests();
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
