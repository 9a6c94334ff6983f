package org.dataversebackup.restore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a saved record into the values restore writes, from the table's saved schema: only
 * columns valid for create or update (IsValidForCreate / IsValidForUpdate); AttributeOf helper
 * columns, read-only system columns, annotations, formatted values and {@code @odata.etag} are
 * left out. Lookups become {@code <navigation property>@odata.bind: "/<entity set>(<id>)"}; the
 * navigation property comes from the ManyToOne relationship of the lookup column, and for a
 * polymorphic lookup (Customer, Owner, regarding) from the saved {@code lookuplogicalname}.
 * When asked to, the saved {@code createdon} is sent as {@code overriddencreatedon}: the only way
 * the Web API lets a created row keep its creation time ({@code modifiedon} cannot be set at all).
 */
public final class RecordMapper {
    private final TableSchema schema;
    private final List<TableSchema.Attribute> columns;
    private final RestoreOrder order;
    private final EntitySets entitySets;
    private final TargetReferences references;
    private final boolean stateOnlyOnUpdate;
    private final boolean preserveCreatedOn;
    /** The lookup columns that may point into this table itself (parentaccountid; parentcustomerid of contact). */
    private final List<TableSchema.Attribute> selfLookups;
    /**
     * Whether a lookup into this table waits for the second pass, by the id it points to: while the
     * table's rows are written in {@link RowWaves}, only when that row is in the run and not written
     * yet; otherwise always.
     */
    private volatile java.util.function.Predicate<String> selfPending = id -> true;

    static final String CREATED_ON = ColumnValue.CreatedOn.HELD_IN;
    static final String OVERRIDDEN_CREATED_ON = ColumnValue.CreatedOn.SENT_AS;

    /** A record ready to be planned: its id and the values restore wants, in schema order. */
    public record Mapped(String id, List<ColumnValue> values) {
    }

    /** A record that cannot be restored as saved (the reason goes to the failures file). */
    public static class RecordException extends RuntimeException {
        public RecordException(String message) {
            super(message);
        }
    }

    public RecordMapper(TableSchema schema, RestoreOrder order, EntitySets entitySets, TargetReferences references,
            boolean preserveCreatedOn) {
        this.schema = schema;
        this.columns = schema.writableAttributes();
        this.order = order;
        this.entitySets = entitySets;
        this.references = references;
        TableSchema.Attribute overridden = schema.attribute(OVERRIDDEN_CREATED_ON);
        this.preserveCreatedOn = preserveCreatedOn && overridden != null && overridden.validForCreate();
        // statecode can only be set by an update; its statuscode goes with it, as a status of
        // another state is not valid on create
        this.selfLookups = columns.stream().filter(c -> c.lookup() && schema.lookupTargets(c).contains(schema.logicalName()))
                .toList();
        this.stateOnlyOnUpdate = columns.stream().anyMatch(c -> "State".equals(c.type()) && !c.validForCreate() && c.validForUpdate());
    }

    /** Whether created rows get the saved createdon (sent as overriddencreatedon). */
    public boolean preservesCreatedOn() {
        return preserveCreatedOn;
    }

    /** The properties to read from live rows to compare them: the primary key and every written column. */
    public List<String> selectProperties() {
        Set<String> select = new LinkedHashSet<>();
        select.add(schema.primaryIdAttribute());
        columns.forEach(c -> select.add(c.property()));
        if (preserveCreatedOn) {
            select.add(CREATED_ON); // where a created row holds the createdon sent (ColumnValue.CreatedOn)
        }
        return List.copyOf(select);
    }

    /** The record's primary key (lower case), or null when it has none. */
    public String id(JsonNode record) {
        JsonNode id = record.get(schema.primaryIdAttribute());
        return id == null || id.isNull() ? null : id.asText().toLowerCase(Locale.ROOT);
    }

    /** Asks the target about the users and teams a chunk of records refers to, in one request per table. */
    public void prefetchReferences(List<? extends JsonNode> records) {
        Map<String, Set<String>> byTable = new HashMap<>();
        for (JsonNode record : records) {
            for (TableSchema.Attribute column : columns) {
                if (!column.lookup()) {
                    continue;
                }
                JsonNode id = record.get(column.property());
                if (id == null || id.isNull()) {
                    continue;
                }
                String table = savedTable(record, column);
                if (table != null && references.checked(table, "Owner".equals(column.type()))) {
                    byTable.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(references.mapped(table, id.asText()));
                }
            }
        }
        references.prefetch(byTable);
    }

    /** @throws RecordException when the record has no id or a lookup cannot be bound */
    public Mapped map(JsonNode record) {
        String id = id(record);
        if (id == null) {
            throw new RecordException("the record has no " + schema.primaryIdAttribute());
        }
        List<ColumnValue> values = new ArrayList<>();
        for (TableSchema.Attribute column : columns) {
            if (!record.has(column.property())) {
                continue; // not saved: left as it is in the target
            }
            if (record.has(column.property() + SnapshotManifest.FileEntry.RECORD_MARKER)) {
                continue; // an attachment body stored as a file of its own: FileRestorer writes it once the row exists
            }
            if (preserveCreatedOn && column.logicalName().equals(OVERRIDDEN_CREATED_ON)) {
                continue; // the saved value is when the source row was migrated; createdon replaces it below
            }
            values.add(column.lookup() ? lookup(record, column) : new ColumnValue.Plain(column.logicalName(),
                    record.get(column.property())));
        }
        JsonNode createdOn = record.get(CREATED_ON);
        if (preserveCreatedOn && createdOn != null && !createdOn.isNull()) {
            // valid for create only: sent when the row is created, never compared with a live row
            values.add(new ColumnValue.CreatedOn(createdOn));
        }
        return new Mapped(id, values);
    }

    /**
     * Whether a value waits for the second pass: a lookup into a table restored later, or into this
     * table to a row of the run that is not written yet.
     */
    public boolean deferred(ColumnValue value) {
        return mayBeDeferred(value) && (!(value instanceof ColumnValue.Lookup lookup)
                || !lookup.table().equals(schema.logicalName()) || selfPending.test(lookup.id()));
    }

    /** Whether a value may wait for the second pass: a lookup into this table or into a table restored later. */
    public boolean mayBeDeferred(ColumnValue value) {
        return value instanceof ColumnValue.Lookup lookup && lookup.id() != null
                && order.deferred(schema.logicalName(), lookup.table());
    }

    /** Whether a lookup column of the table may point into the table itself: its rows are then written in {@link RowWaves}. */
    public boolean hasSelfLookups() {
        return !selfLookups.isEmpty();
    }

    /** The ids (lower case) a saved record's lookups into its own table point to. */
    public List<String> selfReferences(JsonNode record) {
        List<String> ids = new ArrayList<>(1);
        for (TableSchema.Attribute column : selfLookups) {
            JsonNode id = record.get(column.property());
            if (id != null && !id.isNull() && schema.logicalName().equals(savedTable(record, column))) {
                ids.add(references.mapped(schema.logicalName(), id.asText()));
            }
        }
        return ids;
    }

    /** From now on, a lookup into this table waits for the second pass when this says so of the row it points to. */
    void selfPending(java.util.function.Predicate<String> pending) {
        this.selfPending = pending;
    }

    /**
     * Valid for create, and not a status written with its state after the create. A row in the state
     * rows are created in (statecode 0, Active) takes its status with the create: one request, no
     * second pass for its state.
     */
    boolean writtenOnCreate(ColumnValue value, Mapped record) {
        TableSchema.Attribute column = schema.attribute(value.column());
        return column.validForCreate() && !(stateOnlyOnUpdate && "Status".equals(column.type()) && column.validForUpdate()
                && !inCreatedState(record));
    }

    /** Its statecode is the one a create gives (0) or not saved: nothing to change after the create. */
    private boolean inCreatedState(Mapped record) {
        for (ColumnValue value : record.values()) {
            if (value instanceof ColumnValue.Plain plain && "State".equals(schema.attribute(plain.column()).type())) {
                return plain.isNull() || plain.value().asInt(-1) == 0;
            }
        }
        return true;
    }

    /** The state column of a row created in that state: the create sets it already. */
    private boolean stateOfCreate(ColumnValue value, Mapped record) {
        return "State".equals(schema.attribute(value.column()).type()) && inCreatedState(record);
    }

    public boolean validForUpdate(ColumnValue value) {
        return schema.attribute(value.column()).validForUpdate();
    }

    /** A create body: the non-null values valid for create that are not deferred (nor a status that goes with its state). */
    public ObjectNode createBody(Mapped record, boolean withPrimaryKey) {
        ObjectNode body = RestoreJson.MAPPER.getNodeFactory().objectNode();
        if (withPrimaryKey) {
            body.put(schema.primaryIdAttribute(), record.id());
        }
        for (ColumnValue value : record.values()) {
            if (!value.isNull() && writtenOnCreate(value, record) && !deferred(value)) {
                value.writeTo(body, null);
            }
        }
        return body;
    }

    /**
     * What a created row still needs in the second pass: deferred lookups and update-only columns
     * (but not the state a create gives anyway).
     */
    public List<ColumnValue> afterCreate(Mapped record) {
        return afterCreate(record, false);
    }

    /**
     * @param createdBefore the row was created by an earlier attempt, which may have left out every
     *                      lookup that can wait (this attempt's waves may differ): they all come along
     */
    public List<ColumnValue> afterCreate(Mapped record, boolean createdBefore) {
        List<ColumnValue> pending = new ArrayList<>();
        for (ColumnValue value : record.values()) {
            if (!value.isNull() && ((createdBefore ? mayBeDeferred(value) : deferred(value)) || (!writtenOnCreate(value, record) && validForUpdate(value)
                    && !stateOfCreate(value, record)))) {
                pending.add(value);
            }
        }
        return pending;
    }

    /** The values (valid for update) that differ from the live row. */
    public List<ColumnValue> differences(Mapped record, JsonNode live) {
        List<ColumnValue> changed = new ArrayList<>();
        for (ColumnValue value : record.values()) {
            if (validForUpdate(value) && !value.heldBy(live)) {
                changed.add(value);
            }
        }
        return changed;
    }

    private ColumnValue lookup(JsonNode record, TableSchema.Attribute column) {
        List<TableSchema.ManyToOne> relationships = schema.relationshipsOf(column.logicalName());
        List<String> navigations = relationships.stream().map(r -> r.referencedEntity() + ":" + r.navigationProperty()).toList();
        JsonNode saved = record.get(column.property());
        if (saved == null || saved.isNull()) {
            if (relationships.isEmpty()) {
                throw new RecordException(column.logicalName() + " has no N:1 relationship in the saved schema to clear it through");
            }
            return new ColumnValue.Lookup(column.logicalName(), null, null, null, null, navigations);
        }
        String table = savedTable(record, column);
        if (table == null) {
            throw new RecordException(column.property() + " does not say which table it points to (no "
                    + ColumnValue.LOOKUP_TABLE + " annotation, and the column has several targets)");
        }
        TargetReferences.Target target = references.resolve(table, saved.asText(), "Owner".equals(column.type()));
        String navigation = navigation(column, relationships, target.table());
        String entitySet = entitySets.of(target.table()).orElseThrow(() -> new RecordException(column.property()
                + " points to table " + target.table() + ", which has no entity set in the target"));
        return new ColumnValue.Lookup(column.logicalName(), navigation, target.table(), entitySet, target.id(), navigations);
    }

    /** The table a saved lookup points to: its lookuplogicalname annotation, else the column's only target. */
    private String savedTable(JsonNode record, TableSchema.Attribute column) {
        JsonNode annotation = record.get(column.property() + ColumnValue.LOOKUP_TABLE);
        if (annotation != null && !annotation.isNull() && !annotation.asText().isBlank()) {
            return annotation.asText().toLowerCase(Locale.ROOT);
        }
        List<String> targets = schema.lookupTargets(column);
        return targets.size() == 1 ? targets.get(0) : null;
    }

    private String navigation(TableSchema.Attribute column, List<TableSchema.ManyToOne> relationships, String table) {
        for (TableSchema.ManyToOne relationship : relationships) {
            if (relationship.referencedEntity().equalsIgnoreCase(table)) {
                return relationship.navigationProperty();
            }
        }
        if (relationships.size() == 1) {
            // one navigation property for several tables: owner (ReferencedEntity "owner") binds users and teams
            return relationships.get(0).navigationProperty();
        }
        if (relationships.isEmpty()) {
            throw new RecordException(column.logicalName() + " has no N:1 relationship in the saved schema, so no navigation property to bind");
        }
        throw new RecordException(column.logicalName() + " has no navigation property for table " + table
                + " (it has " + relationships.stream().map(TableSchema.ManyToOne::navigationProperty).toList() + ")");
    }
}
