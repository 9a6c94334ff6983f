package org.dataversebackup.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import org.w3c.dom.Element;

/**
 * Runs a parsed {@link FetchXml} query on the store: scans the entity's table, joins the
 * link-entities, filters, orders (lookups by the related row's primary name and choices by their
 * label, as Dataverse orders them), and returns one page, by paging cookie when the query allows
 * one and by page number otherwise, or the groups of an aggregate query.
 */
final class FetchXmlExecutor {
    /** A row of one table in a joined row. */
    record Source(TableDef def, UUID id, Object[] values, long version) {
        Object value(ColumnDef c) {
            return RowJson.value(c, id, values, version, def);
        }
    }

    /** A joined row: the sources by node alias ("" for the entity); an outer join without a match has no source. */
    record Joined(Map<String, Source> sources, Object[] sortKeys) {
        Source main() {
            return sources.get("");
        }

        Object value(String alias, ColumnDef c) {
            Source s = sources.get(alias);
            return s == null ? null : s.value(c);
        }
    }

    /**
     * One page: the rows (or for aggregate queries the groups, output name to value), whether more
     * follow, the inner paging cookie for the next page (null when the query can't use one), and
     * the number of matching rows when the query or {@code $count} asked for it (else -1).
     */
    record Page(List<Joined> rows, List<Map<String, Object>> groups, boolean more, String pagingCookie, int total) {
    }

    private final Store store;
    private final Principal principal;
    /** Primary names of rows (table, id): lookups order by them. */
    private final BiFunction<String, UUID, String> names;
    private final FetchXmlConditions conditions = new FetchXmlConditions();

    FetchXmlExecutor(Store store, Principal principal, BiFunction<String, UUID, String> names) {
        this.store = store;
        this.principal = principal;
        this.names = names;
    }

    Page run(FetchXml query, boolean count) {
        Map<String, PrivilegeDepth> depths = new HashMap<>();
        depths.put("", Security.require(principal, query.entity().def(), "Read"));
        for (FetchXml.Link link : links(query.entity())) {
            depths.put(link.node().alias(), Security.require(principal, link.node().def(), "Read"));
        }
        return store.read(() -> {
            List<Joined> rows = matchingRows(query, depths);
            if (query.aggregate()) {
                if (rows.size() > query.aggregateLimit()) {
                    throw new ApiError(400, "0x8004E023", "AggregateQueryRecordLimit exceeded. Cannot perform this operation.");
                }
                return aggregatePage(query, rows);
            }
            return rowPage(query, rows, count || query.returnTotalRecordCount());
        });
    }

    /** Every link-entity of the query, parents before their nested links. */
    static List<FetchXml.Link> links(FetchXml.Node node) {
        List<FetchXml.Link> all = new ArrayList<>();
        for (FetchXml.Link link : node.links()) {
            all.add(link);
            all.addAll(links(link.node()));
        }
        return all;
    }

    // ------------------------------------------------------------------ scan, join, filter

    private List<Joined> matchingRows(FetchXml query, Map<String, PrivilegeDepth> depths) {
        FetchXml.Node entity = query.entity();
        Table table = store.table(entity.def().logicalName);
        // the entity's own filter runs during the scan unless it names a linked node (then after the joins)
        boolean filterLate = FetchXmlConditions.namesOtherNodes(entity.filter(), "");
        List<Joined> scanned = new ArrayList<>();
        table.scan(true, 0, 0, (hi, lo, data, version) -> {
            Object[] values = table.codec.decode(data);
            if (!Security.reaches(principal, depths.get(""), entity.def(), values)) {
                return true;
            }
            Map<String, Source> sources = new LinkedHashMap<>();
            sources.put("", new Source(entity.def(), Guids.fromKey(hi, lo), values, version));
            Joined row = new Joined(sources, null);
            if (filterLate || conditions.test(entity.filter(), row::value)) {
                scanned.add(row);
            }
            return true;
        });
        List<Joined> rows = scanned;
        for (FetchXml.Link link : links(entity)) {
            rows = join(rows, link, depths.get(link.node().alias()));
        }
        if (filterLate) {
            rows.removeIf(row -> !conditions.test(entity.filter(), row::value));
        }
        return rows;
    }

    /** Inner: the rows that meet linked rows, once per linked row. Outer: every row, with no source when none meets it. */
    private List<Joined> join(List<Joined> rows, FetchXml.Link link, PrivilegeDepth depth) {
        FetchXml.Node node = link.node();
        Table table = store.table(node.def().logicalName);
        Map<Object, List<Source>> byFrom = link.toPrimaryKey() ? null : index(table, link.from());
        List<Joined> joined = new ArrayList<>(rows.size());
        for (Joined row : rows) {
            Object to = joinKey(row.value(link.parentAlias(), link.to()));
            List<Source> candidates = List.of();
            if (to != null && byFrom != null) {
                candidates = byFrom.getOrDefault(to, List.of());
            } else if (to instanceof UUID id) {
                Table.Row found = table.get(id);
                candidates = found == null ? List.of()
                        : List.of(new Source(node.def(), found.id(), table.codec.decode(found.data()), found.version()));
            }
            boolean met = false;
            for (Source candidate : candidates) {
                if (!Security.reaches(principal, depth, node.def(), candidate.values())) {
                    continue;
                }
                Map<String, Source> sources = new LinkedHashMap<>(row.sources());
                sources.put(node.alias(), candidate);
                Joined withLinked = new Joined(sources, null);
                if (conditions.test(node.filter(), withLinked::value)) {
                    joined.add(withLinked);
                    met = true;
                }
            }
            if (!met && link.outer()) {
                joined.add(row);
            }
        }
        return joined;
    }

    /** The rows of a table by the value of a column (a join on a column other than the primary key). */
    private static Map<Object, List<Source>> index(Table table, ColumnDef column) {
        Map<Object, List<Source>> index = new HashMap<>();
        table.scan(true, 0, 0, (hi, lo, data, version) -> {
            Object[] values = table.codec.decode(data);
            Source source = new Source(table.def, Guids.fromKey(hi, lo), values, version);
            Object key = joinKey(source.value(column));
            if (key != null) {
                index.computeIfAbsent(key, k -> new ArrayList<>()).add(source);
            }
            return true;
        });
        return index;
    }

    /** Join values compare as SQL Server compares them: lookups by id, strings without regard to case. */
    private static Object joinKey(Object v) {
        if (v instanceof Ref r) {
            return r.id();
        }
        if (v instanceof String s) {
            return s.toLowerCase(Locale.ROOT);
        }
        return v;
    }

    // ------------------------------------------------------------------ rows: order and page

    private Page rowPage(FetchXml query, List<Joined> rows, boolean count) {
        List<SortKey> keys = sortKeys(query);
        List<String> linkAliases = links(query.entity()).stream().map(l -> l.node().alias()).toList();
        List<Joined> keyed = new ArrayList<>(rows.size());
        for (Joined row : rows) {
            keyed.add(new Joined(row.sources(), keyValues(keys, row, linkAliases)));
        }
        Comparator<Object[]> order = comparator(keys);
        Comparator<Joined> byKeys = (a, b) -> order.compare(a.sortKeys(), b.sortKeys());
        if (query.distinct()) {
            keyed.sort(byKeys);
            keyed = distinct(query, keyed);
        }
        int total = count ? keyed.size() : -1;
        if (query.top() != null) {
            return new Page(first(keyed, byKeys, query.top(), query.distinct()), List.of(), false, null, total);
        }
        boolean cookies = cookieAllowed(query);
        Object[] position = cookies ? cookiePosition(query, keys) : null;
        int skip = position != null ? 0 : (query.page() - 1) * query.count();
        List<Joined> candidates = keyed;
        if (position != null) {
            candidates = new ArrayList<>();
            for (Joined row : keyed) {
                if (order.compare(row.sortKeys(), position) > 0) {
                    candidates.add(row);
                }
            }
        }
        List<Joined> window = first(candidates, byKeys, skip + query.count() + 1, query.distinct());
        List<Joined> page = window.size() <= skip ? List.of()
                : window.subList(skip, Math.min(window.size(), skip + query.count()));
        boolean more = window.size() > skip + query.count();
        String cookie = more && cookies ? cookie(query, keys, page) : null;
        return new Page(page, List.of(), more, cookie, total);
    }

    /** The first n rows in order: a bounded selection, so a page costs no full sort of the table. */
    private static List<Joined> first(List<Joined> rows, Comparator<Joined> order, int n, boolean sorted) {
        if (sorted) {
            return rows.subList(0, Math.min(n, rows.size()));
        }
        PriorityQueue<Joined> heap = new PriorityQueue<>(Math.min(n, rows.size()) + 1, order.reversed());
        for (Joined row : rows) {
            heap.add(row);
            if (heap.size() > n) {
                heap.poll();
            }
        }
        List<Joined> result = new ArrayList<>(heap);
        result.sort(order);
        return result;
    }

    /** Rows whose returned values repeat an earlier row's are left out (distinct='true'). */
    private static List<Joined> distinct(FetchXml query, List<Joined> sorted) {
        List<Joined> result = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (Joined row : sorted) {
            List<Object> returned = new ArrayList<>();
            for (Output output : outputs(query)) {
                returned.add(joinKey(row.value(output.nodeAlias(), output.column())));
            }
            if (seen.add(returned)) {
                result.add(row);
            }
        }
        return result;
    }

    /** A returned column: of which node, under which name. */
    record Output(String nodeAlias, ColumnDef column, String name) {
    }

    /**
     * The columns a row returns, in order: the entity's (by Web API property name, or alias), then
     * each link-entity's as {@code alias.column} (or the attribute's alias), as Dataverse names them.
     */
    static List<Output> outputs(FetchXml query) {
        List<Output> outputs = new ArrayList<>();
        FetchXml.Node entity = query.entity();
        if (entity.allAttributes()) {
            for (ColumnDef c : RowJson.allProperties(entity.def())) {
                outputs.add(new Output("", c, c.property));
            }
        } else {
            for (FetchXml.Attribute a : entity.attributes()) {
                outputs.add(new Output("", a.column(), a.alias() != null ? a.alias() : a.column().property));
            }
        }
        for (FetchXml.Link link : links(entity)) {
            FetchXml.Node node = link.node();
            if (node.allAttributes()) {
                for (ColumnDef c : RowJson.allProperties(node.def())) {
                    outputs.add(new Output(node.alias(), c, node.alias() + "." + c.logicalName));
                }
            } else {
                for (FetchXml.Attribute a : node.attributes()) {
                    outputs.add(new Output(node.alias(), a.column(), a.alias() != null ? a.alias()
                            : node.alias() + "." + a.column().logicalName));
                }
            }
        }
        return outputs;
    }

    // ------------------------------------------------------------------ sort keys and the paging cookie

    /** An order element resolved: the node and column, how it sorts, and its direction. */
    private record SortKey(String nodeAlias, ColumnDef column, boolean byLabel, boolean descending) {
    }

    /** The entity's orders first, then the link-entities' (Dataverse orders link-entity orders last). */
    private static List<SortKey> sortKeys(FetchXml query) {
        List<SortKey> keys = new ArrayList<>();
        List<FetchXml.Order> orders = new ArrayList<>(query.entity().orders());
        for (FetchXml.Link link : links(query.entity())) {
            orders.addAll(link.node().orders());
        }
        for (FetchXml.Order o : orders) {
            boolean label = o.column().type.isLookup() || o.column().type.isOptionSet() && !query.useRawOrderBy();
            keys.add(new SortKey(o.nodeAlias(), o.column(), label, o.descending()));
        }
        return keys;
    }

    /** [sort keys..., entity id, linked ids...]: the ids make the order total, the entity's first as Dataverse pages. */
    private Object[] keyValues(List<SortKey> keys, Joined row, List<String> linkAliases) {
        Object[] values = new Object[keys.size() + 1 + linkAliases.size()];
        for (int i = 0; i < keys.size(); i++) {
            values[i] = sortValue(keys.get(i), row.value(keys.get(i).nodeAlias(), keys.get(i).column()));
        }
        values[keys.size()] = row.main().id();
        for (int i = 0; i < linkAliases.size(); i++) {
            Source s = row.sources().get(linkAliases.get(i));
            values[keys.size() + 1 + i] = s == null ? null : s.id();
        }
        return values;
    }

    /** Lookups sort by the related row's primary name, choices by their label (unless useraworderby). */
    private Object sortValue(SortKey key, Object v) {
        if (v == null || !key.byLabel()) {
            return v;
        }
        ColumnDef c = key.column();
        if (c.type.isLookup()) {
            String table = v instanceof Ref r ? r.table() : c.targets.get(0);
            return names.apply(table, Values.uuidOrNull(v));
        }
        return c.options.get((Integer) v);
    }

    /** Nulls first ascending, as SQL Server sorts; ids in SQL Server's uniqueidentifier order. Shorter arrays compare as a prefix. */
    private static Comparator<Object[]> comparator(List<SortKey> keys) {
        return (a, b) -> {
            int n = Math.min(a.length, b.length);
            for (int i = 0; i < n; i++) {
                Object x = a[i];
                Object y = b[i];
                int c;
                if (x == null || y == null) {
                    c = x == null ? (y == null ? 0 : -1) : 1;
                } else if (x instanceof UUID u && y instanceof UUID w && i >= keys.size()) {
                    c = Guids.compare(u, w);
                } else {
                    c = Filter.compare(x, y);
                }
                if (c != 0) {
                    return i < keys.size() && keys.get(i).descending() ? -c : c;
                }
            }
            return 0;
        };
    }

    /**
     * Dataverse returns no paging cookie for queries it can't page by one (then clients page by
     * number): here aggregate, distinct and top queries, joins that can repeat an entity row (not
     * to the linked table's primary key), and orders on link-entity columns.
     */
    private static boolean cookieAllowed(FetchXml query) {
        if (query.aggregate() || query.distinct() || query.top() != null) {
            return false;
        }
        for (FetchXml.Link link : links(query.entity())) {
            if (!link.toPrimaryKey() || !link.node().orders().isEmpty()) {
                return false;
            }
        }
        return query.entity().orders().stream().allMatch(o -> o.nodeAlias().isEmpty());
    }

    /**
     * The inner paging cookie as Dataverse writes it: {@code <cookie page="1"><name last=".." first=".."
     * /><accountid last="{..}" first="{..}" /></cookie>}, the order columns then the primary key.
     */
    private static String cookie(FetchXml query, List<SortKey> keys, List<Joined> page) {
        Joined first = page.get(0);
        Joined last = page.get(page.size() - 1);
        StringBuilder xml = new StringBuilder("<cookie page=\"").append(query.page()).append("\">");
        for (int i = 0; i < keys.size(); i++) {
            xml.append('<').append(keys.get(i).column().logicalName);
            attribute(xml, "last", last.sortKeys()[i]);
            attribute(xml, "first", first.sortKeys()[i]);
            xml.append(" />");
        }
        xml.append('<').append(query.entity().def().primaryId);
        attribute(xml, "last", last.main().id());
        attribute(xml, "first", first.main().id());
        return xml.append(" /></cookie>").toString();
    }

    private static void attribute(StringBuilder xml, String name, Object v) {
        if (v == null) {
            return; // a null sort value is left out of the cookie
        }
        String text = v instanceof UUID u ? PagingCookie.guid(u) : v.toString();
        xml.append(' ').append(name).append("=\"").append(text.replace("&", "&amp;").replace("<", "&lt;")
                .replace(">", "&gt;").replace("\"", "&quot;")).append('"');
    }

    /**
     * The position after which the requested page starts, from the fetch element's paging-cookie:
     * null when there is none or it is for another page than the previous one (Dataverse then
     * ignores it and pages by number). 0x8004112A when it is not a cookie, 0x80041129 when its
     * columns are not the query's order columns.
     */
    private static Object[] cookiePosition(FetchXml query, List<SortKey> keys) {
        String text = query.pagingCookie();
        if (text == null) {
            return null;
        }
        // clients sometimes pass the cookie still URL-encoded, as the annotation holds it
        for (int i = 0; i < 2 && !text.trim().startsWith("<"); i++) {
            text = Http.decode(text);
        }
        Element cookie;
        try {
            cookie = FetchXmlParser.document(text, "paging cookie");
        } catch (ApiError e) {
            throw PagingCookie.invalid();
        }
        int page;
        try {
            page = Integer.parseInt(cookie.getAttribute("page"));
        } catch (NumberFormatException e) {
            throw PagingCookie.invalid();
        }
        if (!cookie.getTagName().equals("cookie")) {
            throw PagingCookie.invalid();
        }
        if (page != query.page() - 1) {
            return null;
        }
        Map<String, Element> elements = new HashMap<>();
        for (Element e : FetchXmlParser.children(cookie)) {
            elements.put(e.getTagName(), e);
        }
        Object[] position = new Object[keys.size() + 1];
        for (int i = 0; i < keys.size(); i++) {
            SortKey key = keys.get(i);
            Element e = elements.get(key.column().logicalName);
            if (e == null) {
                throw new ApiError(400, "0x80041129", "Order by columns do not match those in paging cookie.");
            }
            String last = e.hasAttribute("last") ? e.getAttribute("last") : null;
            position[i] = last == null ? null : key.byLabel() ? last : Reads.fromCookieText(key.column(), last);
        }
        Element pk = elements.get(query.entity().def().primaryId);
        if (pk == null || !pk.hasAttribute("last")) {
            throw new ApiError(400, "0x80041129", "Order by columns do not match those in paging cookie.");
        }
        try {
            position[keys.size()] = Guids.parse(pk.getAttribute("last"));
        } catch (IllegalArgumentException e) {
            throw PagingCookie.invalid();
        }
        return position;
    }

    // ------------------------------------------------------------------ aggregates

    /** An aggregate or group-by attribute with the node it belongs to and its output name. */
    private record Aggregated(String nodeAlias, FetchXml.Attribute attribute, String name) {
    }

    private Page aggregatePage(FetchXml query, List<Joined> rows) {
        List<Aggregated> attributes = new ArrayList<>();
        addAggregated(query.entity(), attributes);
        for (FetchXml.Link link : links(query.entity())) {
            addAggregated(link.node(), attributes);
        }
        List<Aggregated> groupBy = attributes.stream().filter(a -> a.attribute().groupBy()).toList();
        Map<List<Object>, List<Joined>> groups = new LinkedHashMap<>();
        for (Joined row : rows) {
            List<Object> key = new ArrayList<>();
            for (Aggregated g : groupBy) {
                key.add(joinKey(row.value(g.nodeAlias(), g.attribute().column())));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        if (groupBy.isEmpty() && groups.isEmpty()) {
            groups.put(List.of(), List.of()); // an aggregate without groups always answers one row
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (List<Joined> members : groups.values()) {
            Map<String, Object> result = new LinkedHashMap<>();
            for (Aggregated a : attributes) {
                ColumnDef c = a.attribute().column();
                if (a.attribute().groupBy()) {
                    result.put(a.name(), members.get(0).value(a.nodeAlias(), c));
                } else {
                    List<Object> values = new ArrayList<>();
                    for (Joined member : members) {
                        values.add(member.value(a.nodeAlias(), c));
                    }
                    result.put(a.name(), aggregate(a.attribute(), values, members.size()));
                }
            }
            results.add(result);
        }
        results.sort(groupOrder(query, attributes, groupBy));
        int skip = (query.page() - 1) * query.count();
        int limit = query.top() != null ? query.top() : query.count();
        List<Map<String, Object>> page = results.size() <= skip ? List.of()
                : results.subList(skip, Math.min(results.size(), skip + limit));
        boolean more = query.top() == null && results.size() > skip + limit;
        return new Page(List.of(), page, more, null, query.returnTotalRecordCount() ? results.size() : -1);
    }

    private static void addAggregated(FetchXml.Node node, List<Aggregated> attributes) {
        for (FetchXml.Attribute a : node.attributes()) {
            String name = a.alias() != null ? a.alias()
                    : node.isEntity() ? a.column().logicalName : node.alias() + "." + a.column().logicalName;
            attributes.add(new Aggregated(node.alias(), a, name));
        }
    }

    /**
     * count counts rows, countcolumn non-null values (distinct ones with distinct='true'); sum,
     * avg, min and max ignore nulls, keep the column's type (an average of whole numbers is a whole
     * number, as SQL Server computes it) and a sum of nothing is 0, as Dataverse's example shows.
     */
    private static Object aggregate(FetchXml.Attribute attribute, List<Object> values, int rows) {
        List<Object> present = values.stream().filter(v -> v != null).toList();
        ColumnDef c = attribute.column();
        switch (attribute.aggregate()) {
            case "count":
                return rows;
            case "countcolumn":
                return attribute.distinct() ? (int) present.stream().map(FetchXmlExecutor::joinKey).distinct().count()
                        : present.size();
            case "min":
            case "max": {
                Object best = null;
                for (Object v : present) {
                    if (best == null || (attribute.aggregate().equals("min") ? Filter.compare(v, best) < 0 : Filter.compare(v, best) > 0)) {
                        best = v;
                    }
                }
                return best;
            }
            default: {
                BigDecimal sum = BigDecimal.ZERO;
                for (Object v : present) {
                    sum = sum.add(v instanceof BigDecimal d ? d : new BigDecimal(v.toString()));
                }
                boolean whole = c.type == AttrType.INTEGER || c.type == AttrType.BIGINT;
                if (attribute.aggregate().equals("avg")) {
                    if (present.isEmpty()) {
                        return null;
                    }
                    BigDecimal avg = whole ? sum.divide(BigDecimal.valueOf(present.size()), 0, RoundingMode.DOWN)
                            : sum.divide(BigDecimal.valueOf(present.size()), Math.max(c.precision, 4), RoundingMode.HALF_UP);
                    return whole ? (Object) avg.longValueExact() : c.type == AttrType.DOUBLE ? (Object) avg.doubleValue() : avg;
                }
                return whole ? (Object) sum.longValueExact() : c.type == AttrType.DOUBLE ? (Object) sum.doubleValue() : sum;
            }
        }
    }

    /** Groups in the order elements' alias order, then by their group values, nulls first. */
    private static Comparator<Map<String, Object>> groupOrder(FetchXml query, List<Aggregated> attributes,
            List<Aggregated> groupBy) {
        List<FetchXml.Order> orders = new ArrayList<>(query.entity().orders());
        for (FetchXml.Link link : links(query.entity())) {
            orders.addAll(link.node().orders());
        }
        for (FetchXml.Order o : orders) {
            boolean known = false;
            for (Aggregated a : attributes) {
                known |= a.name().equals(o.alias());
            }
            if (!known) {
                throw new ApiError(400, "0x80041109", "Invalid alias for aggregate operation: no attribute has the alias '"
                        + o.alias() + "' the order element names.");
            }
        }
        return (a, b) -> {
            for (FetchXml.Order o : orders) {
                int c = nullsFirst(a.get(o.alias()), b.get(o.alias()));
                if (c != 0) {
                    return o.descending() ? -c : c;
                }
            }
            for (Aggregated g : groupBy) {
                int c = nullsFirst(a.get(g.name()), b.get(g.name()));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private static int nullsFirst(Object x, Object y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        return Filter.compare(x, y);
    }
}
