package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The query options of a table read, parsed and checked against the table as the Web API does. */
final class TableQuery {
    record Order(ColumnDef column, boolean descending) {
    }

    private static final Set<String> SUPPORTED = Set.of("$select", "$filter", "$orderby", "$top", "$count", "$skiptoken",
            "$deltatoken", "$expand");

    final TableDef def;
    /** Selected properties, or null for all. */
    List<ColumnDef> select;
    String selectText;
    Filter.Expr filter;
    final List<Order> order = new ArrayList<>();
    Integer top;
    boolean count;
    String skiptoken;
    String deltatoken;
    boolean hasFilter;
    boolean hasOrderBy;
    boolean hasExpand;
    /** The $expand option as sent, or null; {@link Expand} parses it. */
    String expand;

    private TableQuery(TableDef def) {
        this.def = def;
    }

    static TableQuery parse(ApiRequest request, TableDef def) {
        FetchXmlReads.refuseOutsideEntitySet(request);
        return fromOptions(request.query(), def);
    }

    /** The query options by name (as in a query string, or inside an $expand item's parentheses). */
    static TableQuery fromOptions(Map<String, String> options, TableDef def) {
        TableQuery q = new TableQuery(def);
        for (Map.Entry<String, String> option : options.entrySet()) {
            String name = option.getKey();
            String value = option.getValue();
            if (!name.startsWith("$")) {
                continue; // parameter aliases (@p) and custom parameters
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("$skip")) {
                throw new ApiError(400, "0x80060888", "Skip Clause is not supported in CRM");
            }
            if (!SUPPORTED.contains(lower)) {
                throw new ApiError(400, "0x80060888", "The query parameter '" + name + "' is not supported.");
            }
            switch (lower) {
                case "$select" -> q.select(value);
                case "$filter" -> {
                    q.hasFilter = true;
                    q.filter = Filter.parse(value);
                    Filter.bind(q.filter, def);
                }
                case "$orderby" -> {
                    q.hasOrderBy = true;
                    q.orderBy(value);
                }
                case "$top" -> {
                    try {
                        q.top = Integer.parseInt(value.trim());
                    } catch (NumberFormatException e) {
                        throw new ApiError(400, "0x0", "Invalid value '" + value + "' for $top query option found. The $top"
                                + " query option requires a non-negative integer value.");
                    }
                    if (q.top < 0) {
                        throw new ApiError(400, "0x0", "Invalid value '" + value + "' for $top query option found. The $top"
                                + " query option requires a non-negative integer value.");
                    }
                }
                case "$count" -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new ApiError(400, "0x0", "'" + value + "' is not a valid count option.");
                    }
                    q.count = value.equalsIgnoreCase("true");
                }
                case "$skiptoken" -> q.skiptoken = value;
                case "$deltatoken" -> q.deltatoken = value;
                case "$expand" -> {
                    q.hasExpand = true;
                    q.expand = value;
                }
                default -> {
                }
            }
        }
        return q;
    }

    private void select(String value) {
        Set<ColumnDef> columns = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        for (String part : value.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            ColumnDef c = def.byProperty.get(name);
            if (c == null) {
                throw ApiError.propertyNotFound(name, def.logicalName);
            }
            if (columns.add(c)) {
                names.add(name);
            }
        }
        // a money column brings the row's currency along
        boolean money = columns.stream().anyMatch(c -> c.type == AttrType.MONEY);
        ColumnDef currency = def.column("transactioncurrencyid");
        if (money && currency != null) {
            columns.add(currency);
        }
        select = new ArrayList<>(columns);
        selectText = String.join(",", names);
    }

    private void orderBy(String value) {
        for (String part : value.split(",")) {
            String[] words = part.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            ColumnDef c = def.byProperty.get(words[0]);
            if (c == null) {
                throw ApiError.propertyNotFound(words[0], def.logicalName);
            }
            boolean desc = words.length > 1 && words[1].equalsIgnoreCase("desc");
            if (words.length > 1 && !words[1].equalsIgnoreCase("asc") && !desc) {
                throw ApiError.badRequest("Syntax error in $orderby '" + value + "'.");
            }
            order.add(new Order(c, desc));
        }
    }

    /** The columns written for each row. */
    List<ColumnDef> columns() {
        return select != null ? select : RowJson.allProperties(def);
    }

    /** The @odata.context of a collection read. */
    String context(String serviceRoot, String set) {
        return context(serviceRoot, set, null);
    }

    /** The @odata.context of a read: {@code $metadata#accounts(name,primarycontactid(fullname))}. */
    String context(String serviceRoot, String set, Expand expand) {
        List<String> parts = new ArrayList<>();
        if (selectText != null) {
            parts.add(selectText);
        }
        if (expand != null) {
            parts.add(expand.contextPart());
        }
        return serviceRoot + "$metadata#" + set + (parts.isEmpty() ? "" : "(" + String.join(",", parts) + ")");
    }
}
