package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * {@code $expand} on table rows, as the Web API documents a single level of it: a single-valued
 * navigation property (a lookup) becomes the related row, without etag, or null when the lookup is
 * empty; a collection-valued one (1:N or N:N) becomes an array of up to 5,000 related rows with
 * their etags, filtered, ordered and limited by the item's own {@code $filter}, {@code $orderby} and
 * {@code $top}, followed by {@code <name>@odata.nextLink} to the same rows as a filtered collection.
 * A nested {@code $expand}, {@code /$ref}, and options the Web API does not take in an expand are
 * refused with a 400 that says so.
 */
final class Expand {
    /** The Web API accepts up to 15 $expand options in a query. */
    static final int MAX_ITEMS = 15;
    private static final int MAX_RELATED = 5000;

    /** One expanded navigation property with its own query options. */
    record Item(String name, TableDef target, TableDef.Navigation single, RelationshipDef collection, TableQuery options,
            String optionsText) {
    }

    private final TableDef def;
    final List<Item> items;

    private Expand(TableDef def, List<Item> items) {
        this.def = def;
        this.items = items;
    }

    // ------------------------------------------------------------------ parsing

    static Expand parse(String text, TableDef def) {
        List<Item> items = new ArrayList<>();
        for (String part : split(text, ',')) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int open = item.indexOf('(');
            String name = (open < 0 ? item : item.substring(0, open)).trim();
            String inner = "";
            if (open >= 0) {
                if (!item.endsWith(")")) {
                    throw ApiError.badRequest("Syntax error in $expand: ')' expected in '" + item + "'.");
                }
                inner = item.substring(open + 1, item.length() - 1);
            }
            if (name.endsWith("/$ref")) {
                throw new ApiError(400, "0x80060888", "The emulator does not support $expand with /$ref ('" + name + "').");
            }
            items.add(item(def, name, inner));
        }
        if (items.size() > MAX_ITEMS) {
            throw new ApiError(400, "0x80060888", "The query has " + items.size() + " $expand options; the Web API allows up to "
                    + MAX_ITEMS + ".");
        }
        return new Expand(def, items);
    }

    private static Item item(TableDef def, String name, String inner) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> texts = new ArrayList<>();
        for (String part : split(inner, ';')) {
            String option = part.trim();
            if (option.isEmpty()) {
                continue;
            }
            int eq = option.indexOf('=');
            String key = (eq < 0 ? option : option.substring(0, eq)).trim();
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("$expand")) {
                throw new ApiError(400, "0x80060888", "The emulator does not support a nested $expand (in '" + name + "').");
            }
            if (!lower.equals("$select") && !lower.equals("$filter") && !lower.equals("$orderby") && !lower.equals("$top")) {
                throw new ApiError(400, "0x80060888", "The query option '" + key + "' isn't supported in $expand: only $select,"
                        + " $filter, $orderby and $top are (in '" + name + "').");
            }
            options.put(lower, eq < 0 ? "" : option.substring(eq + 1));
            texts.add(option);
        }
        TableDef.Navigation single = def.navigations.get(name);
        RelationshipDef collection = single == null ? Router.collectionNavigation(def, name) : null;
        if (single == null && collection == null) {
            throw ApiError.propertyNotFound(name, def.logicalName);
        }
        TableDef target;
        if (single != null) {
            if (single.target() == null) {
                throw new ApiError(400, "0x80060888", "The emulator does not support $expand of '" + name
                        + "': its rows are of more than one table. Expand a navigation property for one table.");
            }
            if (options.containsKey("$orderby") || options.containsKey("$top")) {
                throw new ApiError(400, "0x80060888", "Only $select and $filter clause can be provided while doing $expand on"
                        + " many-to-one relationship or nested one-to-many relationship.");
            }
            if (options.containsKey("$filter")) {
                throw new ApiError(400, "0x80060888", "The emulator does not support $filter in the $expand of a single-valued"
                        + " navigation property ('" + name + "').");
            }
            target = Schema.INSTANCE.table(single.target());
        } else {
            String table = collection.manyToMany
                    ? (collection.entity1.equals(def.logicalName) ? collection.entity2 : collection.entity1)
                    : collection.referencingEntity;
            target = Schema.INSTANCE.table(table);
        }
        return new Item(name, target, single, collection, TableQuery.fromOptions(options, target), String.join("&", texts));
    }

    /** Splits at a separator outside parentheses and quotes. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == separator) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** The part of {@code @odata.context} after the selected properties: {@code primarycontactid(fullname),Account_Tasks(subject)}. */
    String contextPart() {
        List<String> parts = new ArrayList<>();
        for (Item item : items) {
            parts.add(item.name() + "(" + (item.options().selectText == null ? "" : item.options().selectText) + ")");
        }
        return String.join(",", parts);
    }

    // ------------------------------------------------------------------ loading

    /** The related rows of a page of rows, loaded under the store's read lock, by item and parent id. */
    static final class Loaded {
        final Map<Item, Map<UUID, List<Table.Row>>> rows = new HashMap<>();
    }

    /** Loads the related rows of the given rows: one scan of each related table, not one per row. */
    Loaded load(Store store, Principal principal, List<Table.Row> parents) {
        Loaded loaded = new Loaded();
        Table parentTable = store.table(def.logicalName);
        store.read(() -> {
            for (Item item : items) {
                PrivilegeDepth depth = Security.require(principal, item.target(), "Read");
                Table target = store.table(item.target().logicalName);
                Map<UUID, List<Table.Row>> byParent = new HashMap<>();
                if (item.single() != null) {
                    for (Table.Row parent : parents) {
                        Object v = parentTable.codec.decode(parent.data())[item.single().column().storageIndex];
                        boolean otherTable = v instanceof Ref r && !r.table().equals(item.target().logicalName);
                        Table.Row related = v == null || otherTable ? null : target.get(Values.uuidOrNull(v));
                        if (related != null && visible(principal, depth, item, target, related)) {
                            byParent.put(parent.id(), List.of(related));
                        }
                    }
                } else {
                    Set<UUID> parentIds = new HashSet<>();
                    parents.forEach(p -> parentIds.add(p.id()));
                    collect(store, principal, depth, item, target, parentIds, byParent);
                    Comparator<Table.Row> order = order(item, target);
                    int limit = item.options().top == null ? MAX_RELATED : Math.min(item.options().top, MAX_RELATED);
                    for (Map.Entry<UUID, List<Table.Row>> e : byParent.entrySet()) {
                        List<Table.Row> related = e.getValue();
                        related.sort(order);
                        e.setValue(related.size() > limit ? new ArrayList<>(related.subList(0, limit)) : related);
                    }
                }
                loaded.rows.put(item, byParent);
            }
            return null;
        });
        return loaded;
    }

    /** The related rows of a collection-valued property for the given parents: through the lookup (1:N) or the intersect table (N:N). */
    private void collect(Store store, Principal principal, PrivilegeDepth depth, Item item, Table target,
            Set<UUID> parentIds, Map<UUID, List<Table.Row>> byParent) {
        RelationshipDef r = item.collection();
        if (!r.manyToMany) {
            ColumnDef lookup = item.target().column(r.referencingAttribute);
            target.scan(true, 0, 0, (hi, lo, data, version) -> {
                Object[] values = target.codec.decode(data);
                UUID parent = Values.uuidOrNull(values[lookup.storageIndex]);
                if (parent != null && parentIds.contains(parent)) {
                    Table.Row row = new Table.Row(Guids.fromKey(hi, lo), data, version);
                    if (visible(principal, depth, item, target, row)) {
                        byParent.computeIfAbsent(parent, k -> new ArrayList<>()).add(row);
                    }
                }
                return true;
            });
            return;
        }
        Table intersect = store.table(r.intersectEntity);
        boolean parentIsFirst = r.entity1.equals(def.logicalName);
        ColumnDef parentColumn = intersect.def.column(parentIsFirst ? r.entity1IntersectAttribute : r.entity2IntersectAttribute);
        ColumnDef targetColumn = intersect.def.column(parentIsFirst ? r.entity2IntersectAttribute : r.entity1IntersectAttribute);
        intersect.scan(true, 0, 0, (hi, lo, data, version) -> {
            Object[] values = intersect.codec.decode(data);
            UUID parent = (UUID) values[parentColumn.storageIndex];
            if (parentIds.contains(parent)) {
                Table.Row row = target.get((UUID) values[targetColumn.storageIndex]);
                if (row != null && visible(principal, depth, item, target, row)) {
                    byParent.computeIfAbsent(parent, k -> new ArrayList<>()).add(row);
                }
            }
            return true;
        });
    }

    /** Whether the caller may read the related row and it passes the item's $filter. */
    private static boolean visible(Principal principal, PrivilegeDepth depth, Item item, Table target, Table.Row row) {
        Object[] values = target.codec.decode(row.data());
        if (!Security.reaches(principal, depth, item.target(), values)) {
            return false;
        }
        Filter.Expr filter = item.options().filter;
        return filter == null || Filter.test(filter, path -> RowJson.value(item.target().byProperty.get(path), row.id(), values,
                row.version(), item.target()));
    }

    /** The item's $orderby (nulls first), then the primary key in SQL Server's order. */
    private static Comparator<Table.Row> order(Item item, Table target) {
        List<TableQuery.Order> orders = item.options().order;
        return (a, b) -> {
            if (!orders.isEmpty()) {
                Object[] x = target.codec.decode(a.data());
                Object[] y = target.codec.decode(b.data());
                for (TableQuery.Order o : orders) {
                    Object u = RowJson.value(o.column(), a.id(), x, a.version(), item.target());
                    Object v = RowJson.value(o.column(), b.id(), y, b.version(), item.target());
                    int c = u == null || v == null ? (u == null ? (v == null ? 0 : -1) : 1) : Filter.compare(u, v);
                    if (c != 0) {
                        return o.descending() ? -c : c;
                    }
                }
            }
            return Guids.compare(a.id(), b.id());
        };
    }

    // ------------------------------------------------------------------ writing

    /** Writes a row's expanded navigation properties (called by {@link RowJson} after the row's own). */
    RowJson.Expansions writer(Loaded loaded, Annotations annotations, BiFunction<String, UUID, String> names, String serviceRoot,
            Store store) {
        Map<Item, RowJson> writers = new HashMap<>();
        for (Item item : items) {
            writers.put(item, item.single() != null
                    ? RowJson.nested(item.target(), item.options().columns(), annotations, names)
                    : new RowJson(item.target(), item.options().columns(), annotations, names));
        }
        return (JsonGenerator json, UUID id, Object[] values) -> {
            for (Item item : items) {
                List<Table.Row> related = loaded.rows.get(item).getOrDefault(id, List.of());
                Table target = store.table(item.target().logicalName);
                RowJson writer = writers.get(item);
                json.writeFieldName(item.name());
                if (item.single() != null) {
                    if (related.isEmpty()) {
                        json.writeNull();
                    } else {
                        Table.Row row = related.get(0);
                        writer.write(json, row.id(), target.codec.decode(row.data()), row.version());
                    }
                    continue;
                }
                json.writeStartArray();
                for (Table.Row row : related) {
                    writer.write(json, row.id(), target.codec.decode(row.data()), row.version());
                }
                json.writeEndArray();
                json.writeStringField(item.name() + "@odata.nextLink", serviceRoot + def.entitySetName + "(" + id + ")/"
                        + item.name() + (item.optionsText().isEmpty() ? "" : "?" + item.optionsText()));
            }
        };
    }
}
