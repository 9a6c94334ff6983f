package org.dataversebackup.emulator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;


/**
 * Reading rows: collections with $select/$filter/$orderby/$top/$count, server-driven paging with
 * an opaque paging cookie, change tracking (delta links), single rows by primary or alternate key,
 * single properties, navigation properties and {@code $count}.
 */
final class Reads {
    static final int MAX_PAGE = 5000;
    private static final DateTimeFormatter TOKEN_TIME = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");

    private final EmulatorContext ctx;
    private final Store store;
    private final FetchXmlReads fetchXml;

    Reads(EmulatorContext ctx) {
        this.ctx = ctx;
        this.store = ctx.state.store();
        this.fetchXml = new FetchXmlReads(ctx, names());
    }

    /** A collection read, possibly restricted to the rows related to another row (navigation). */
    record Scope(Predicate<Object[]> rows, Set<UUID> ids) {
        static final Scope ALL = new Scope(null, null);
    }

    // ------------------------------------------------------------------ collections

    ApiResponse collection(ApiRequest request, Principal principal, TableDef def, String linkPath, Scope scope) {
        PrivilegeDepth depth = Security.require(principal, def, "Read");
        if (FetchXmlReads.requested(request) && scope == Scope.ALL) {
            return fetchXml.collection(request, principal, def);
        }
        TableQuery query = TableQuery.parse(request, def);
        Map<String, String> prefs = request.preferences();
        Annotations annotations = Annotations.parse(prefs.get("odata.include-annotations"));
        Integer maxPageSize = maxPageSize(prefs);
        boolean trackChanges = prefs.containsKey("odata.track-changes") || query.deltatoken != null;
        ApiResponse response;
        if (trackChanges) {
            response = changes(request, principal, def, depth, query, annotations, maxPageSize, prefs.containsKey("odata.track-changes"));
        } else {
            response = page(request, principal, def, depth, query, annotations, maxPageSize, linkPath, scope);
        }
        if (maxPageSize != null) {
            response.header("Preference-Applied", "odata.maxpagesize=" + maxPageSize);
        }
        if (annotations.any()) {
            response.header("Preference-Applied", "odata.include-annotations=\"" + annotations.raw + "\"");
        }
        return response;
    }

    private static Integer maxPageSize(Map<String, String> prefs) {
        String value = prefs.get("odata.maxpagesize");
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n > 0 && n <= MAX_PAGE ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ApiResponse page(ApiRequest request, Principal principal, TableDef def, PrivilegeDepth depth, TableQuery query,
            Annotations annotations, Integer maxPageSize, String linkPath, Scope scope) {
        Expand expand = query.expand == null ? null : Expand.parse(query.expand, def);
        int pageSize = maxPageSize != null ? maxPageSize : MAX_PAGE;
        boolean topLimited = maxPageSize == null && query.top != null;
        if (topLimited) {
            pageSize = Math.min(query.top, MAX_PAGE);
        }
        PagingCookie cookie = query.skiptoken == null ? null : PagingCookie.parse(query.skiptoken);
        if (cookie != null && cookie.tracking) {
            throw PagingCookie.invalid();
        }
        Table table = store.table(def.logicalName);
        RowTest match = matcher(principal, depth, def, query, scope);
        List<Table.Row> rows = new ArrayList<>();
        int limit = pageSize;
        int[] counted = {0};
        boolean[] more = {false};
        java.util.Set<UUID> keyIds = query.filter == null ? null : Filter.keyIds(query.filter, def.primaryId);
        store.read(() -> {
            if (query.order.isEmpty() && keyIds != null) {
                // the filter names the rows by primary key: look them up instead of scanning the table
                UUID after = cookie == null ? null : lastId(cookie, def);
                for (UUID id : keyIds.stream().sorted(Guids::compare).toList()) {
                    if (after != null && Guids.compare(id, after) <= 0 || scope.ids() != null && !scope.ids().contains(id)) {
                        continue;
                    }
                    Table.Row row = table.get(id);
                    if (row == null || match != null && !match.test(id, table.codec.decode(row.data()), row.version())) {
                        continue;
                    }
                    if (rows.size() == limit) {
                        more[0] = true;
                        break;
                    }
                    rows.add(row);
                }
            } else if (query.order.isEmpty()) {
                boolean fromStart = cookie == null;
                long[] after = fromStart ? new long[2] : Guids.key(lastId(cookie, def));
                table.scan(fromStart, after[0], after[1], (hi, lo, data, version) -> {
                    if (scope.ids() != null && !scope.ids().contains(Guids.fromKey(hi, lo))) {
                        return true;
                    }
                    if (match != null && !match.test(Guids.fromKey(hi, lo), table.codec.decode(data), version)) {
                        return true;
                    }
                    if (rows.size() == limit) {
                        more[0] = true;
                        return false;
                    }
                    rows.add(new Table.Row(Guids.fromKey(hi, lo), data, version));
                    return true;
                });
            } else {
                sortedPage(table, query, cookie, match, scope, limit, rows, more);
            }
            if (query.count) {
                counted[0] = count(table, match, scope, MAX_PAGE + 1);
            }
            return null;
        });
        WebApi.sleep(ctx.faults.pageLatency());
        String root = ctx.serviceRoot(request.version);
        String nextLink = null;
        if (more[0] && !topLimited) {
            Table.Row first = rows.get(0);
            Table.Row last = rows.get(rows.size() - 1);
            int pageNumber = cookie == null ? 2 : cookie.pageNumber + 1;
            nextLink = link(root, linkPath, request.rawQuery, "$skiptoken",
                    cookieFor(table, query, first, last, pageNumber, false, Map.of()).toQueryValue());
        }
        String finalNext = nextLink;
        int total = counted[0];
        BiFunction<String, UUID, String> names = names();
        RowJson json = new RowJson(def, query.columns(), annotations, names);
        if (expand != null) {
            json.expansions(expand.writer(expand.load(store, principal, rows), annotations, names, root, store));
        }
        String context = query.context(root, linkPath.contains("/") ? def.entitySetName : linkPath, expand);
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context);
            if (query.count) {
                g.writeNumberField("@odata.count", Math.min(total, MAX_PAGE));
            }
            if (annotations.includes(Annotations.TOTAL_RECORD_COUNT)) {
                g.writeNumberField("@" + Annotations.TOTAL_RECORD_COUNT, query.count ? Math.min(total, MAX_PAGE) : -1);
            }
            if (annotations.includes(Annotations.TOTAL_RECORD_COUNT_LIMIT_EXCEEDED)) {
                g.writeBooleanField("@" + Annotations.TOTAL_RECORD_COUNT_LIMIT_EXCEEDED, query.count && total > MAX_PAGE);
            }
            if (annotations.includes(Annotations.GLOBAL_METADATA_VERSION)) {
                g.writeStringField("@" + Annotations.GLOBAL_METADATA_VERSION, "1000001");
            }
            g.writeArrayFieldStart("value");
            for (Table.Row row : rows) {
                json.write(g, row.id(), table.codec.decode(row.data()), row.version());
            }
            g.writeEndArray();
            if (finalNext != null) {
                g.writeStringField("@odata.nextLink", finalNext);
            }
            g.writeEndObject();
        });
    }

    /** Rows in $orderby order (primary key last) after the cookie's position: a bounded selection per page. */
    private void sortedPage(Table table, TableQuery query, PagingCookie cookie, RowTest match, Scope scope,
            int limit, List<Table.Row> rows, boolean[] more) {
        Comparator<Object[]> order = orderComparator(table.def, query);
        Object[] position = cookie == null ? null : cookiePosition(table.def, query, cookie);
        PriorityQueue<Object[]> heap = new PriorityQueue<>(limit + 2, order.reversed());
        table.scan(true, 0, 0, (hi, lo, data, version) -> {
            UUID id = Guids.fromKey(hi, lo);
            if (scope.ids() != null && !scope.ids().contains(id)) {
                return true;
            }
            Object[] values = table.codec.decode(data);
            if (match != null && !match.test(id, values, version)) {
                return true;
            }
            Object[] entry = sortEntry(table.def, query, values, id, version, data);
            if (position != null && order.compare(entry, position) <= 0) {
                return true;
            }
            heap.add(entry);
            if (heap.size() > limit + 1) {
                heap.poll();
            }
            return true;
        });
        List<Object[]> sorted = new ArrayList<>(heap);
        sorted.sort(order);
        more[0] = sorted.size() > limit;
        for (int i = 0; i < Math.min(limit, sorted.size()); i++) {
            Object[] e = sorted.get(i);
            int n = query.order.size();
            rows.add(new Table.Row((UUID) e[n], (byte[]) e[n + 2], (Long) e[n + 1]));
        }
    }

    /** [order values..., id, version, data] */
    private static Object[] sortEntry(TableDef def, TableQuery query, Object[] values, UUID id, long version, byte[] data) {
        int n = query.order.size();
        Object[] entry = new Object[n + 3];
        for (int i = 0; i < n; i++) {
            entry[i] = RowJson.value(query.order.get(i).column(), id, values, version, def);
        }
        entry[n] = id;
        entry[n + 1] = version;
        entry[n + 2] = data;
        return entry;
    }

    private static Comparator<Object[]> orderComparator(TableDef def, TableQuery query) {
        int n = query.order.size();
        return (a, b) -> {
            for (int i = 0; i < n; i++) {
                Object x = a[i];
                Object y = b[i];
                int c;
                if (x == null || y == null) {
                    c = x == null ? (y == null ? 0 : -1) : 1; // nulls first, as SQL Server sorts them
                } else {
                    c = Filter.compare(x, y);
                }
                if (c != 0) {
                    return query.order.get(i).descending() ? -c : c;
                }
            }
            return Guids.compare((UUID) a[n], (UUID) b[n]);
        };
    }

    private PagingCookie cookieFor(Table table, TableQuery query, Table.Row first, Table.Row last, int pageNumber,
            boolean tracking, Map<String, String> attributes) {
        Map<String, Map<String, String>> elements = new LinkedHashMap<>();
        Object[] firstValues = table.codec.decode(first.data());
        Object[] lastValues = table.codec.decode(last.data());
        for (TableQuery.Order o : query.order) {
            Map<String, String> a = new LinkedHashMap<>();
            Object lv = RowJson.value(o.column(), last.id(), lastValues, last.version(), table.def);
            Object fv = RowJson.value(o.column(), first.id(), firstValues, first.version(), table.def);
            if (lv != null) {
                a.put("last", cookieText(lv));
            }
            if (fv != null) {
                a.put("first", cookieText(fv));
            }
            elements.put(o.column().property.replace("_value", "").replaceFirst("^_", ""), a);
        }
        Map<String, String> pk = new LinkedHashMap<>();
        pk.put("last", PagingCookie.guid(last.id()));
        pk.put("first", PagingCookie.guid(first.id()));
        elements.put(table.def.primaryId, pk);
        return new PagingCookie(pageNumber, tracking, attributes, elements);
    }

    private static String cookieText(Object v) {
        if (v instanceof Ref r) {
            return PagingCookie.guid(r.id());
        }
        if (v instanceof UUID u) {
            return PagingCookie.guid(u);
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        return v.toString();
    }

    private static UUID lastId(PagingCookie cookie, TableDef def) {
        Map<String, String> pk = cookie.elements.get(def.primaryId);
        if (pk == null || pk.get("last") == null) {
            throw PagingCookie.invalid();
        }
        try {
            return Guids.parse(pk.get("last"));
        } catch (IllegalArgumentException e) {
            throw PagingCookie.invalid();
        }
    }

    private static Object[] cookiePosition(TableDef def, TableQuery query, PagingCookie cookie) {
        int n = query.order.size();
        Object[] position = new Object[n + 3];
        for (int i = 0; i < n; i++) {
            ColumnDef c = query.order.get(i).column();
            Map<String, String> a = cookie.elements.get(c.property.replace("_value", "").replaceFirst("^_", ""));
            if (a == null) {
                throw PagingCookie.invalid();
            }
            String text = a.get("last");
            position[i] = text == null ? null : fromCookieText(c, text);
        }
        position[n] = lastId(cookie, def);
        return position;
    }

    static Object fromCookieText(ColumnDef c, String text) {
        try {
            switch (c.storage) {
                case STRING:
                    return text;
                case INT:
                    return Integer.parseInt(text);
                case LONG:
                    return Long.parseLong(text);
                case DECIMAL:
                    return new java.math.BigDecimal(text);
                case DOUBLE:
                    return Double.parseDouble(text);
                case BOOL:
                    return Boolean.parseBoolean(text);
                case UUID:
                case REF:
                    return Guids.parse(text);
                case DATETIME:
                    return Instant.parse(text);
                case DATE:
                    return java.time.LocalDate.parse(text);
                default:
                    if ("versionnumber".equals(c.logicalName)) {
                        return Long.parseLong(text);
                    }
                    if (c.primaryId) {
                        return Guids.parse(text);
                    }
                    if (c.type == AttrType.MONEY) {
                        return new java.math.BigDecimal(text);
                    }
                    return Guids.parse(text);
            }
        } catch (RuntimeException e) {
            throw PagingCookie.invalid();
        }
    }

    /** A test on a stored row: its id, column values and version (the id and version are columns too). */
    @FunctionalInterface
    interface RowTest {
        boolean test(UUID id, Object[] values, long version);
    }

    /** The test a row must pass: the filter, the scope and the caller's privilege depth. */
    private static RowTest matcher(Principal principal, PrivilegeDepth depth, TableDef def, TableQuery query,
            Scope scope) {
        boolean depthMatters = depth != PrivilegeDepth.GLOBAL && def.userOwned();
        if (query.filter == null && !depthMatters && scope.rows() == null) {
            return null;
        }
        return (id, values, version) -> {
            if (depthMatters && !Security.reaches(principal, depth, def, values)) {
                return false;
            }
            if (scope.rows() != null && !scope.rows().test(values)) {
                return false;
            }
            return query.filter == null || Filter.test(query.filter, path -> {
                ColumnDef c = def.byProperty.get(path);
                return RowJson.value(c, id, values, version, def);
            });
        };
    }

    private static int count(Table table, RowTest match, Scope scope, int cap) {
        int[] n = {0};
        table.scan(true, 0, 0, (hi, lo, data, version) -> {
            if (scope.ids() != null && !scope.ids().contains(Guids.fromKey(hi, lo))) {
                return true;
            }
            if (match == null || match.test(Guids.fromKey(hi, lo), table.codec.decode(data), version)) {
                n[0]++;
            }
            return n[0] < cap;
        });
        return n[0];
    }

    static String link(String root, String path, String rawQuery, String tokenName, String tokenValue) {
        StringBuilder b = new StringBuilder(root).append(path).append('?');
        boolean any = false;
        for (String[] pair : Http.pairs(rawQuery)) {
            String name = Http.decode(pair[0]);
            if (name.equalsIgnoreCase("$skiptoken") || name.equalsIgnoreCase("$deltatoken")) {
                continue;
            }
            if (any) {
                b.append('&');
            }
            b.append(pair[0]);
            if (pair[1] != null) {
                b.append('=').append(pair[1]);
            }
            any = true;
        }
        if (any) {
            b.append('&');
        }
        return b.append(tokenName).append('=').append(tokenValue).toString();
    }

    /** Primary names of referenced rows (formatted values of lookups) and currency symbols. */
    BiFunction<String, UUID, String> names() {
        return (table, id) -> store.read(() -> {
            if (table == null) {
                return null;
            }
            if (table.equals("transactioncurrency#symbol")) {
                Table t = store.table("transactioncurrency");
                Table.Row row = t.get(id);
                return row == null ? null : (String) t.values(row)[t.def.column("currencysymbol").storageIndex];
            }
            TableDef def = Schema.INSTANCE.table(table);
            if (def == null || def.primaryName == null) {
                return null;
            }
            Table t = store.table(table);
            Table.Row row = t.get(id);
            if (row == null) {
                return null;
            }
            Object name = t.values(row)[def.column(def.primaryName).storageIndex];
            return name == null ? null : name.toString();
        });
    }

    // ------------------------------------------------------------------ change tracking

    private ApiResponse changes(ApiRequest request, Principal principal, TableDef def, PrivilegeDepth depth, TableQuery query,
            Annotations annotations, Integer maxPageSize, boolean preferTracking) {
        if (!def.changeTracking) {
            throw new ApiError(400, "0x80072491", "Entity " + def.logicalName + " isn't enabled for change tracking.");
        }
        String unsupported = query.hasFilter ? "$filter" : query.hasOrderBy ? "$orderby" : query.hasExpand ? "$expand"
                : query.top != null ? "$top" : null;
        if (unsupported != null) {
            throw new ApiError(400, "0x80060888", "The \"" + unsupported
                    + "\" query parameter isn't supported when Change Tracking is enabled.");
        }
        if (depth != PrivilegeDepth.GLOBAL) {
            throw Security.missing(principal, def, "Read");
        }
        int pageSize = maxPageSize != null ? maxPageSize : MAX_PAGE;
        Table table = store.table(def.logicalName);
        String root = ctx.serviceRoot(request.version);
        String set = def.entitySetName;
        RowJson json = new RowJson(def, query.columns(), annotations, names());
        PagingCookie cookie = query.skiptoken == null ? null : PagingCookie.parse(query.skiptoken);
        if (cookie != null && !cookie.tracking) {
            throw PagingCookie.invalid();
        }
        if (query.deltatoken == null) {
            // the initial synchronization: every row, in pages, then the delta link
            long snapshot = cookie == null ? store.read(store::lastVersion) : parseLong(cookie.cookieAttributes.get("snapshot"));
            List<Table.Row> rows = new ArrayList<>();
            boolean[] more = {false};
            store.read(() -> {
                boolean fromStart = cookie == null;
                long[] after = fromStart ? new long[2] : Guids.key(lastId(cookie, def));
                table.scan(fromStart, after[0], after[1], (hi, lo, data, version) -> {
                    if (rows.size() == pageSize) {
                        more[0] = true;
                        return false;
                    }
                    rows.add(new Table.Row(Guids.fromKey(hi, lo), data, version));
                    return true;
                });
                return null;
            });
            WebApi.sleep(ctx.faults.pageLatency());
            String next = null;
            String delta = null;
            if (more[0]) {
                int pageNumber = cookie == null ? 2 : cookie.pageNumber + 1;
                next = link(root, set, request.rawQuery, "$skiptoken", cookieFor(table, query, rows.get(0),
                        rows.get(rows.size() - 1), pageNumber, true, Map.of("snapshot", Long.toString(snapshot))).toQueryValue());
            } else {
                delta = link(root, set, request.rawQuery, "$deltatoken", PagingCookie.encodeInner(deltaToken(snapshot)));
            }
            String nextLink = next;
            String deltaLink = delta;
            ApiResponse response = ApiResponse.json(200, g -> {
                g.writeStartObject();
                g.writeStringField("@odata.context", query.context(root, set));
                if (deltaLink != null) {
                    g.writeStringField("@odata.deltaLink", deltaLink);
                }
                g.writeArrayFieldStart("value");
                for (Table.Row row : rows) {
                    json.write(g, row.id(), table.codec.decode(row.data()), row.version());
                }
                g.writeEndArray();
                if (nextLink != null) {
                    g.writeStringField("@odata.nextLink", nextLink);
                }
                g.writeEndObject();
            });
            if (preferTracking) {
                response.header("Preference-Applied", "odata.track-changes");
            }
            return response;
        }

        // a delta: rows new or changed since the token, then the deleted ones
        long since = checkDeltaToken(query.deltatoken);
        long snapshot = cookie == null ? store.read(store::lastVersion) : parseLong(cookie.cookieAttributes.get("snapshot"));
        long afterVersion = cookie == null ? since : parseLong(cookie.cookieAttributes.get("after"));
        boolean inDeletes = cookie != null && "deleted".equals(cookie.cookieAttributes.get("phase"));
        List<Table.Row> rows = new ArrayList<>();
        List<long[]> deleted = new ArrayList<>();
        boolean[] more = {false};
        long[] lastVersion = {afterVersion};
        // whether this page got as far as the deletions: the next page continues there, never with the rows again
        boolean[] reachedDeletes = {inDeletes};
        store.read(() -> {
            if (!inDeletes) {
                List<long[]> changed = table.changedAfter(afterVersion, snapshot);
                for (long[] c : changed) {
                    if (rows.size() == pageSize) {
                        more[0] = true;
                        break;
                    }
                    UUID id = Guids.fromKey(c[1], c[2]);
                    Table.Row row = table.get(id);
                    if (row != null) {
                        rows.add(row);
                        lastVersion[0] = c[0];
                    }
                }
            }
            if (!more[0]) {
                reachedDeletes[0] = true;
                long deletesAfter = inDeletes ? afterVersion : since;
                lastVersion[0] = inDeletes ? afterVersion : since;
                for (long[] d : table.deletionsBetween(deletesAfter, snapshot)) {
                    if (rows.size() + deleted.size() == pageSize) {
                        more[0] = true;
                        break;
                    }
                    deleted.add(d);
                    lastVersion[0] = d[0];
                }
            }
            return null;
        });
        WebApi.sleep(ctx.faults.pageLatency());
        String next = null;
        String delta = null;
        if (more[0]) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("snapshot", Long.toString(snapshot));
            attributes.put("after", Long.toString(lastVersion[0]));
            attributes.put("phase", reachedDeletes[0] ? "deleted" : "rows");
            int pageNumber = cookie == null ? 2 : cookie.pageNumber + 1;
            Map<String, Map<String, String>> elements = new LinkedHashMap<>();
            Map<String, String> pk = new LinkedHashMap<>();
            pk.put("last", rows.isEmpty() ? "" : PagingCookie.guid(rows.get(rows.size() - 1).id()));
            elements.put(def.primaryId, pk);
            next = link(root, set, request.rawQuery, "$deltatoken", PagingCookie.encodeInner(query.deltatoken)) + "&$skiptoken="
                    + new PagingCookie(pageNumber, true, attributes, elements).toQueryValue();
        } else {
            delta = link(root, set, request.rawQuery, "$deltatoken", PagingCookie.encodeInner(deltaToken(snapshot)));
        }
        String nextLink = next;
        String deltaLink = delta;
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", query.context(root, set) + "/$delta");
            if (deltaLink != null) {
                g.writeStringField("@odata.deltaLink", deltaLink);
            }
            g.writeArrayFieldStart("value");
            for (Table.Row row : rows) {
                json.write(g, row.id(), table.codec.decode(row.data()), row.version());
            }
            for (long[] d : deleted) {
                g.writeStartObject();
                g.writeStringField("@odata.context", root + "$metadata#" + set + "/$deletedEntity");
                g.writeStringField("id", Guids.fromKey(d[1], d[2]).toString());
                g.writeStringField("reason", "deleted");
                g.writeEndObject();
            }
            g.writeEndArray();
            if (nextLink != null) {
                g.writeStringField("@odata.nextLink", nextLink);
            }
            g.writeEndObject();
        });
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (RuntimeException e) {
            throw PagingCookie.invalid();
        }
    }

    String deltaToken(long version) {
        return version + "!" + TOKEN_TIME.format(LocalDateTime.ofInstant(ctx.clock.instant(), ZoneOffset.UTC));
    }

    /** The version of a delta token; 400 when malformed, expired when older than the retention. */
    long checkDeltaToken(String token) {
        int bang = token.indexOf('!');
        long version;
        Instant issued;
        try {
            version = Long.parseLong(token.substring(0, bang));
            issued = LocalDateTime.parse(token.substring(bang + 1), TOKEN_TIME).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw new ApiError(400, "0x80060888", "The delta token '" + token + "' is not valid.");
        }
        if (issued.plus(ctx.changeTrackingRetention).isBefore(ctx.clock.instant())) {
            throw new ApiError(400, "0x80044352", "Version stamp associated with the client has expired. Please perform a full sync.");
        }
        return version;
    }

    /** GET set/$count, also with a delta token (the number of changes). */
    ApiResponse count(ApiRequest request, Principal principal, TableDef def, Scope scope) {
        PrivilegeDepth depth = Security.require(principal, def, "Read");
        TableQuery query = TableQuery.parse(request, def);
        Table table = store.table(def.logicalName);
        if (query.deltatoken != null) {
            if (!def.changeTracking) {
                throw new ApiError(400, "0x80072491", "Entity " + def.logicalName + " isn't enabled for change tracking.");
            }
            long since = checkDeltaToken(query.deltatoken);
            int changes = store.read(() -> table.changedAfter(since, Long.MAX_VALUE).size()
                    + table.deletionsBetween(since, Long.MAX_VALUE).size());
            return ApiResponse.text(200, Integer.toString(changes));
        }
        RowTest match = matcher(principal, depth, def, query, scope);
        int n = store.read(() -> count(table, match, scope, MAX_PAGE));
        return ApiResponse.text(200, Integer.toString(n));
    }

    // ------------------------------------------------------------------ single rows

    /** Finds a row by key predicate (primary key GUID or alternate key); 404 when there is none. */
    Table.Row locate(TableDef def, String key) {
        Table table = store.table(def.logicalName);
        UUID id = keyToId(def, key);
        if (id != null) {
            Table.Row row = store.read(() -> table.get(id));
            if (row == null) {
                throw ApiError.doesNotExist(def.logicalName, id);
            }
            return row;
        }
        Map<String, String> values = ResourcePath.keyValues(key);
        KeyIndex index = alternateKey(table, values.keySet());
        Object[] keyValues = new Object[index.columnNames().size()];
        for (int i = 0; i < keyValues.length; i++) {
            String column = index.columnNames().get(i);
            keyValues[i] = keyLiteral(def.column(column), values.get(column));
        }
        Table.Row row = store.read(() -> table.findByKey(index, keyValues));
        if (row == null) {
            StringBuilder text = new StringBuilder();
            for (Map.Entry<String, String> e : values.entrySet()) {
                text.append(text.length() == 0 ? "" : ",").append(e.getKey()).append(':').append(ResourcePath.unquote(e.getValue()));
            }
            throw new ApiError(404, "0x80040217", "A record with the specified key values does not exist in "
                    + def.logicalName + " entity. Key(s) : " + text);
        }
        return row;
    }

    /** The primary key of a key predicate, or null when it is an alternate key. */
    static UUID keyToId(TableDef def, String key) {
        Map<String, String> values = ResourcePath.keyValues(key);
        if (values.size() == 1) {
            Map.Entry<String, String> only = values.entrySet().iterator().next();
            if (only.getKey().isEmpty() || only.getKey().equals(def.primaryId)) {
                try {
                    return Guids.parse(ResourcePath.unquote(only.getValue()));
                } catch (IllegalArgumentException e) {
                    throw new ApiError(400, "0x0", "Bad Request - Error in query syntax. The key value '" + only.getValue()
                            + "' is not a valid GUID for " + def.logicalName + ".");
                }
            }
        }
        return null;
    }

    static KeyIndex alternateKey(Table table, Set<String> columns) {
        for (KeyIndex index : table.keyIndexes) {
            if (new HashSet<>(index.columnNames()).equals(columns)) {
                return index;
            }
        }
        throw new ApiError(400, "0x80060890", "The specified key attributes are not a defined key for the "
                + table.def.logicalName + " entity");
    }

    static Object keyLiteral(ColumnDef c, String literal) {
        String text = ResourcePath.unquote(literal);
        try {
            return switch (c.storage) {
                case STRING -> text;
                case INT -> Integer.parseInt(text);
                case LONG -> Long.parseLong(text);
                case DECIMAL -> new java.math.BigDecimal(text);
                case UUID, REF -> Guids.parse(text);
                default -> text;
            };
        } catch (RuntimeException e) {
            throw new ApiError(400, "0x0", "The key value " + literal + " is not valid for " + c.logicalName + ".");
        }
    }

    ApiResponse single(ApiRequest request, Principal principal, TableDef def, String key) {
        PrivilegeDepth depth = Security.require(principal, def, "Read");
        TableQuery query = TableQuery.parse(request, def);
        Expand expand = query.expand == null ? null : Expand.parse(query.expand, def);
        Table.Row row = locate(def, key);
        Table table = store.table(def.logicalName);
        Object[] values = table.codec.decode(row.data());
        if (!Security.reaches(principal, depth, def, values)) {
            throw Security.noAccess(principal, def, row.id(), "ReadAccess");
        }
        Map<String, String> prefs = request.preferences();
        Annotations annotations = Annotations.parse(prefs.get("odata.include-annotations"));
        String etag = "W/\"" + row.version() + "\"";
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.trim().equals(etag) && !annotations.any()) {
            return new ApiResponse(304);
        }
        RowJson json = new RowJson(def, query.columns(), annotations, names());
        String root = ctx.serviceRoot(request.version);
        if (expand != null) {
            json.expansions(expand.writer(expand.load(store, principal, List.of(row)), annotations, names(), root, store));
        }
        String context = query.context(root, def.entitySetName, expand) + "/$entity";
        ApiResponse response = ApiResponse.json(200, g -> json.write(g, row.id(), values, row.version(), context));
        response.setHeader("ETag", etag);
        if (annotations.any()) {
            response.header("Preference-Applied", "odata.include-annotations=\"" + annotations.raw + "\"");
        }
        return response;
    }

    /** GET set(key)/property */
    ApiResponse property(ApiRequest request, Principal principal, TableDef def, String key, String property) {
        PrivilegeDepth depth = Security.require(principal, def, "Read");
        ColumnDef c = def.byProperty.get(property);
        if (c == null) {
            throw ApiError.propertyNotFound(property, def.logicalName);
        }
        Table.Row row = locate(def, key);
        Object[] values = store.table(def.logicalName).codec.decode(row.data());
        if (!Security.reaches(principal, depth, def, values)) {
            throw Security.noAccess(principal, def, row.id(), "ReadAccess");
        }
        Object v = RowJson.value(c, row.id(), values, row.version(), def);
        if (v == null) {
            return ApiResponse.noContent();
        }
        String context = ctx.serviceRoot(request.version) + "$metadata#" + def.entitySetName + "(" + row.id() + ")/" + property;
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context);
            g.writeFieldName("value");
            RowJson.writeValue(g, c, v instanceof Ref r ? r.id() : v);
            g.writeEndObject();
        });
    }

    /** Rows related through a collection-valued navigation property (1:N or N:N). */
    Scope relatedScope(TableDef source, UUID sourceId, RelationshipDef r, TableDef target) {
        if (!r.manyToMany) {
            ColumnDef lookup = target.column(r.referencingAttribute);
            return new Scope(values -> sourceId.equals(Values.uuidOrNull(values[lookup.storageIndex])), null);
        }
        Table intersect = store.table(r.intersectEntity);
        boolean sourceIsFirst = r.entity1.equals(source.logicalName);
        String sourceColumn = sourceIsFirst ? r.entity1IntersectAttribute : r.entity2IntersectAttribute;
        String targetColumn = sourceIsFirst ? r.entity2IntersectAttribute : r.entity1IntersectAttribute;
        ColumnDef sc = intersect.def.column(sourceColumn);
        ColumnDef tc = intersect.def.column(targetColumn);
        Set<UUID> ids = new HashSet<>();
        store.read(() -> {
            intersect.scan(true, 0, 0, (hi, lo, data, version) -> {
                Object[] values = intersect.codec.decode(data);
                if (sourceId.equals(values[sc.storageIndex])) {
                    ids.add((UUID) values[tc.storageIndex]);
                }
                return true;
            });
            return null;
        });
        return new Scope(null, ids);
    }

}
