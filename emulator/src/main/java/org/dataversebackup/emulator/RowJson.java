package org.dataversebackup.emulator;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes rows as the Web API does: {@code @odata.etag}, the selected properties (all when no
 * $select, the primary key always), lookups as {@code _x_value}, and the annotations the Prefer
 * header asks for, each written before its property.
 */
final class RowJson {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FORMATTED_DATE_TIME = DateTimeFormatter.ofPattern("M/d/yyyy h:mm a", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FORMATTED_DATE = DateTimeFormatter.ofPattern("M/d/yyyy", Locale.US);

    final TableDef def;
    final List<ColumnDef> columns;
    private final Annotations annotations;
    private final boolean etag;
    /** Resolves the primary name of a referenced row (table, id), for formatted values of lookups. */
    private final BiFunction<String, UUID, String> names;
    /** Dump mode: polymorphic lookups carry lookuplogicalname; computed and base columns are left out. */
    private final boolean dump;
    /** Written after a row's own properties: its expanded navigation properties ($expand), or nothing. */
    private Expansions expansions;

    /** Writes more properties of a row (its expanded navigation properties). */
    @FunctionalInterface
    interface Expansions {
        void write(JsonGenerator json, UUID id, Object[] values) throws IOException;
    }

    RowJson(TableDef def, List<ColumnDef> columns, Annotations annotations, BiFunction<String, UUID, String> names) {
        this(def, columns, annotations, names, true, false);
    }

    private RowJson(TableDef def, List<ColumnDef> columns, Annotations annotations, BiFunction<String, UUID, String> names,
            boolean etag, boolean dump) {
        this.def = def;
        this.columns = columns;
        this.annotations = annotations;
        this.names = names;
        this.etag = etag;
        this.dump = dump;
    }

    /** A row expanded through a single-valued navigation property: no etag, as the Web API writes it. */
    static RowJson nested(TableDef def, List<ColumnDef> columns, Annotations annotations, BiFunction<String, UUID, String> names) {
        return new RowJson(def, columns, annotations, names, false, false);
    }

    /** Adds the row's expanded navigation properties after its own. */
    RowJson expansions(Expansions expansions) {
        this.expansions = expansions;
        return this;
    }

    /** The JSON of the state file: every stored property, no etag, polymorphic lookups with their table. */
    static RowJson forDump(TableDef def) {
        List<ColumnDef> columns = new ArrayList<>();
        for (ColumnDef c : def.columns()) {
            if (c.property != null && c.computed == ColumnDef.Computed.NONE) {
                columns.add(c);
            }
        }
        return new RowJson(def, columns, Annotations.NONE, (t, id) -> null, false, true);
    }

    /** All Web API properties of a table, in column order. */
    static List<ColumnDef> allProperties(TableDef def) {
        return new ArrayList<>(def.byProperty.values());
    }

    void write(JsonGenerator json, UUID id, Object[] values, long version) throws IOException {
        write(json, id, values, version, null);
    }

    /** Writes one row object, starting with {@code @odata.context} when given. */
    void write(JsonGenerator json, UUID id, Object[] values, long version, String context) throws IOException {
        json.writeStartObject();
        if (context != null) {
            json.writeStringField("@odata.context", context);
        }
        if (etag) {
            json.writeStringField("@odata.etag", "W/\"" + version + "\"");
        }
        boolean wrotePk = false;
        for (ColumnDef c : columns) {
            wrotePk |= c.primaryId;
            writeProperty(json, c, id, values, version);
        }
        if (!wrotePk) {
            json.writeStringField(def.primaryId, id.toString());
        }
        if (expansions != null) {
            expansions.write(json, id, values);
        }
        json.writeEndObject();
    }

    /** The value a Web API property has for a row. */
    static Object value(ColumnDef c, UUID id, Object[] values, long version, TableDef def) {
        if (c.primaryId) {
            return id;
        }
        if ("versionnumber".equals(c.logicalName)) {
            return version;
        }
        switch (c.computed) {
            case BASE_AMOUNT: {
                Object amount = values[def.column(c.baseOf).storageIndex];
                if (amount == null) {
                    return null;
                }
                ColumnDef rateColumn = def.column("exchangerate");
                Object rate = rateColumn == null ? null : values[rateColumn.storageIndex];
                BigDecimal r = rate == null || ((BigDecimal) rate).signum() == 0 ? BigDecimal.ONE : (BigDecimal) rate;
                return ((BigDecimal) amount).divide(r, 4, RoundingMode.HALF_UP);
            }
            case OWNING_USER: {
                Object owner = values[def.column("ownerid").storageIndex];
                return owner instanceof Ref r && "systemuser".equals(r.table()) ? r.id() : null;
            }
            case OWNING_TEAM: {
                Object owner = values[def.column("ownerid").storageIndex];
                return owner instanceof Ref r && "team".equals(r.table()) ? r.id() : null;
            }
            default:
                return c.stored() ? values[c.storageIndex] : null;
        }
    }

    private void writeProperty(JsonGenerator json, ColumnDef c, UUID id, Object[] values, long version) throws IOException {
        writeNamed(json, c, c.property, id, values, version, false);
    }

    /**
     * Writes one column of a row under a given name (a FetchXML alias, or {@code alias.column} for
     * a link-entity's column), with the annotations asked for, each before its value; with
     * {@code omitNull} nothing is written for a null value, as FetchXML results leave nulls out.
     */
    void writeNamed(JsonGenerator json, ColumnDef c, String p, UUID id, Object[] values, long version, boolean omitNull)
            throws IOException {
        Object v = value(c, id, values, version, def);
        if (v == null && omitNull) {
            return;
        }
        if (c.type.isLookup()) {
            UUID target = v instanceof Ref r ? r.id() : (UUID) v;
            String targetTable = v instanceof Ref r ? r.table() : (c.targets.isEmpty() ? null : c.targets.get(0));
            if (target != null && annotations.any()) {
                if (annotations.formattedValues()) {
                    String name = names.apply(targetTable, target);
                    if (name != null) {
                        json.writeStringField(p + "@" + Annotations.FORMATTED_VALUE, name);
                    }
                }
                if (annotations.associatedNavigationProperty()) {
                    json.writeStringField(p + "@" + Annotations.ASSOCIATED_NAVIGATION_PROPERTY,
                            c.navigationByTarget.getOrDefault(targetTable, c.logicalName));
                }
                if (annotations.lookupLogicalName()) {
                    json.writeStringField(p + "@" + Annotations.LOOKUP_LOGICAL_NAME, targetTable);
                }
            }
            if (dump && v instanceof Ref r) {
                json.writeStringField(p + "@" + Annotations.LOOKUP_LOGICAL_NAME, r.table());
            }
            fieldName(json, c, p);
            if (target == null) {
                json.writeNull();
            } else {
                json.writeString(target.toString());
            }
            return;
        }
        if (v != null && annotations.formattedValues()) {
            String formatted = formatted(c, v, values);
            if (formatted != null) {
                json.writeStringField(p + "@" + Annotations.FORMATTED_VALUE, formatted);
            }
        }
        fieldName(json, c, p);
        writeValue(json, c, v);
    }

    /** The pre-encoded property name when the column goes under its own name (the common, fast case). */
    private static void fieldName(JsonGenerator json, ColumnDef c, String name) throws IOException {
        if (name.equals(c.property)) {
            json.writeFieldName(c.propertyJson);
        } else {
            json.writeFieldName(name);
        }
    }

    static void writeValue(JsonGenerator json, ColumnDef c, Object v) throws IOException {
        if (v == null) {
            json.writeNull();
        } else if (v instanceof String s) {
            json.writeString(s);
        } else if (v instanceof Integer i) {
            json.writeNumber(i);
        } else if (v instanceof Long l) {
            json.writeNumber(l);
        } else if (v instanceof BigDecimal d) {
            json.writeNumber(d);
        } else if (v instanceof Double d) {
            json.writeNumber(d);
        } else if (v instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (v instanceof UUID u) {
            json.writeString(u.toString());
        } else if (v instanceof Ref r) {
            json.writeString(r.id().toString());
        } else if (v instanceof Instant t) {
            json.writeString(ISO.format(t));
        } else if (v instanceof LocalDate d) {
            json.writeString(d.toString());
        } else {
            json.writeString(v.toString());
        }
    }

    private String formatted(ColumnDef c, Object v, Object[] values) {
        switch (c.type) {
            case BOOLEAN:
                return c.options.get(((Boolean) v) ? 1 : 0);
            case PICKLIST:
            case STATE:
            case STATUS:
                return c.options.get((Integer) v);
            case INTEGER:
                return String.format(Locale.US, "%,d", (Integer) v);
            case DECIMAL:
                return number((BigDecimal) v, c.precision);
            case DOUBLE:
                return number(BigDecimal.valueOf((Double) v), c.precision);
            case MONEY:
                return currencySymbol(values) + number((BigDecimal) v, 2);
            case DATETIME:
                if (v instanceof LocalDate d) {
                    return FORMATTED_DATE.format(d);
                }
                return FORMATTED_DATE_TIME.format((Instant) v);
            default:
                return null;
        }
    }

    private String currencySymbol(Object[] values) {
        ColumnDef currency = def.column("transactioncurrencyid");
        if (currency != null && values[currency.storageIndex] instanceof UUID id) {
            String symbol = names.apply("transactioncurrency#symbol", id);
            if (symbol != null) {
                return symbol;
            }
        }
        return "$";
    }

    private static String number(BigDecimal v, int decimals) {
        StringBuilder pattern = new StringBuilder("#,##0");
        if (decimals > 0) {
            pattern.append('.');
            pattern.append("0".repeat(decimals));
        }
        DecimalFormat format = new DecimalFormat(pattern.toString(), DecimalFormatSymbols.getInstance(Locale.US));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(v);
    }
}
