package org.dataversebackup.restore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What restore needs from a table's saved schema ({@code schema/<table>.json}: the
 * EntityDefinition with Attributes, ManyToOne and ManyToMany relationships): which columns can be
 * written on create and on update, which are lookups and through which navigation property each
 * lookup is bound, and the table's N:N relationships.
 */
public final class TableSchema {
    /** Column types that are never written as a plain value (helper, system or structured columns). */
    private static final Set<String> NOT_WRITABLE_TYPES = Set.of("PartyList", "CalendarRules", "EntityName",
            "ManagedProperty");
    private static final Set<String> LOOKUP_TYPES = Set.of("Lookup", "Customer", "Owner");
    private static final List<String> TYPE_CODES = List.of("Boolean", "Customer", "DateTime", "Decimal", "Double",
            "Integer", "Lookup", "Memo", "Money", "Owner", "PartyList", "Picklist", "State", "Status", "String",
            "Uniqueidentifier", "CalendarRules", "Virtual", "BigInt", "ManagedProperty", "EntityName");

    /**
     * A column.
     *
     * @param type     AttributeType, e.g. {@code String}, {@code Lookup}, {@code Customer}, {@code Owner}
     * @param typeName AttributeTypeName.Value, e.g. {@code MultiSelectPicklistType}; may be empty
     * @param targets  for lookups, the tables it can point to
     */
    public record Attribute(String logicalName, String type, String typeName, boolean validForCreate,
            boolean validForUpdate, String attributeOf, List<String> targets, boolean primaryId) {

        public boolean lookup() {
            return LOOKUP_TYPES.contains(type);
        }

        /** A column restore writes: a real (not helper) column of a writable type, valid for create or update. */
        public boolean writable() {
            if (primaryId || (attributeOf != null && !attributeOf.isEmpty()) || NOT_WRITABLE_TYPES.contains(type)) {
                return false;
            }
            if ("Virtual".equals(type) && !"MultiSelectPicklistType".equals(typeName)) {
                return false; // images, files and other virtual columns are not plain values
            }
            return validForCreate || validForUpdate;
        }

        /** The property that holds the column in Web API rows: {@code _x_value} for lookups. */
        public String property() {
            return lookup() ? "_" + logicalName + "_value" : logicalName;
        }
    }

    /** A N:1 relationship: the lookup column, the table it points to and the navigation property to bind. */
    public record ManyToOne(String referencingAttribute, String referencedEntity, String navigationProperty) {
    }

    /** A N:N relationship, as ManyToManyRelationshipMetadata describes it. */
    public record ManyToMany(String schemaName, String intersectEntity, String entity1, String entity1Attribute,
            String entity1NavigationProperty, String entity2, String entity2Attribute, String entity2NavigationProperty) {
    }

    private final String logicalName;
    private final String entitySetName;
    private final String primaryIdAttribute;
    /** The column that names a row (PrimaryNameAttribute), empty when the definition has none. */
    private final String primaryNameAttribute;
    private final boolean intersect;
    private final Map<String, Attribute> attributes;
    private final Map<String, List<ManyToOne>> manyToOne;
    private final List<ManyToMany> manyToMany;

    private TableSchema(String logicalName, String entitySetName, String primaryIdAttribute, String primaryNameAttribute,
            boolean intersect, Map<String, Attribute> attributes, Map<String, List<ManyToOne>> manyToOne,
            List<ManyToMany> manyToMany) {
        this.logicalName = logicalName;
        this.entitySetName = entitySetName;
        this.primaryIdAttribute = primaryIdAttribute;
        this.primaryNameAttribute = primaryNameAttribute;
        this.intersect = intersect;
        this.attributes = attributes;
        this.manyToOne = manyToOne;
        this.manyToMany = manyToMany;
    }

    /**
     * @param definition the saved EntityDefinition
     * @param fallbackEntitySet entity set and primary key from the manifest, used when the
     *                          definition lacks them
     */
    public static TableSchema parse(JsonNode definition, String fallbackEntitySet, String fallbackPrimaryId) {
        String logicalName = definition.path("LogicalName").asText("");
        String primaryId = definition.path("PrimaryIdAttribute").asText(fallbackPrimaryId == null ? "" : fallbackPrimaryId);
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (JsonNode a : definition.path("Attributes")) {
            String name = a.path("LogicalName").asText();
            List<String> targets = new ArrayList<>();
            a.path("Targets").forEach(t -> targets.add(t.asText()));
            attributes.put(name, new Attribute(name, typeOf(a.path("AttributeType")),
                    a.path("AttributeTypeName").path("Value").asText(""),
                    a.path("IsValidForCreate").asBoolean(false), a.path("IsValidForUpdate").asBoolean(false),
                    a.path("AttributeOf").isTextual() ? a.path("AttributeOf").asText() : null,
                    List.copyOf(targets), a.path("IsPrimaryId").asBoolean(false) || name.equals(primaryId)));
        }
        Map<String, List<ManyToOne>> manyToOne = new LinkedHashMap<>();
        for (JsonNode r : definition.path("ManyToOneRelationships")) {
            if (!logicalName.isEmpty() && r.has("ReferencingEntity") && !logicalName.equals(r.path("ReferencingEntity").asText())) {
                continue;
            }
            String attribute = r.path("ReferencingAttribute").asText("");
            String navigation = r.path("ReferencingEntityNavigationPropertyName").asText("");
            if (!attribute.isEmpty() && !navigation.isEmpty()) {
                manyToOne.computeIfAbsent(attribute, k -> new ArrayList<>())
                        .add(new ManyToOne(attribute, r.path("ReferencedEntity").asText(""), navigation));
            }
        }
        List<ManyToMany> manyToMany = new ArrayList<>();
        for (JsonNode r : definition.path("ManyToManyRelationships")) {
            manyToMany.add(new ManyToMany(r.path("SchemaName").asText(""), r.path("IntersectEntityName").asText(""),
                    r.path("Entity1LogicalName").asText(""), r.path("Entity1IntersectAttribute").asText(""),
                    r.path("Entity1NavigationPropertyName").asText(""), r.path("Entity2LogicalName").asText(""),
                    r.path("Entity2IntersectAttribute").asText(""), r.path("Entity2NavigationPropertyName").asText("")));
        }
        String entitySet = definition.path("EntitySetName").asText("");
        return new TableSchema(logicalName, entitySet.isEmpty() ? fallbackEntitySet : entitySet, primaryId,
                definition.path("PrimaryNameAttribute").asText(""), definition.path("IsIntersect").asBoolean(false), Collections.unmodifiableMap(attributes),
                Collections.unmodifiableMap(manyToOne), List.copyOf(manyToMany));
    }

    private static String typeOf(JsonNode type) {
        if (type.isInt()) {
            int code = type.asInt();
            return code >= 0 && code < TYPE_CODES.size() ? TYPE_CODES.get(code) : String.valueOf(code);
        }
        return type.asText("");
    }

    public String logicalName() {
        return logicalName;
    }

    public String entitySetName() {
        return entitySetName;
    }

    /** The column that names a row, e.g. {@code name} of account; empty when the definition has none. */
    public String primaryNameAttribute() {
        return primaryNameAttribute;
    }

    public String primaryIdAttribute() {
        return primaryIdAttribute;
    }

    public boolean intersect() {
        return intersect;
    }

    public Map<String, Attribute> attributes() {
        return attributes;
    }

    public Attribute attribute(String logicalName) {
        return attributes.get(logicalName);
    }

    /** The columns restore writes, in schema order. */
    public List<Attribute> writableAttributes() {
        return attributes.values().stream().filter(Attribute::writable).toList();
    }

    /** The N:1 relationships of a lookup column (several for a polymorphic Customer or regarding lookup). */
    public List<ManyToOne> relationshipsOf(String lookupAttribute) {
        return manyToOne.getOrDefault(lookupAttribute, List.of());
    }

    public List<ManyToMany> manyToManyRelationships() {
        return manyToMany;
    }

    /**
     * The tables a lookup column can point to: its {@code Targets}, else the referenced tables of
     * its relationships (lower case logical names).
     */
    public List<String> lookupTargets(Attribute lookup) {
        if (!lookup.targets().isEmpty()) {
            return lookup.targets().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        }
        return relationshipsOf(lookup.logicalName()).stream().map(ManyToOne::referencedEntity).distinct().toList();
    }

    /** Whether a column (by its logical name, or a lookup's {@code _x_value} property) exists. */
    public boolean hasColumn(String name) {
        if (attributes.containsKey(name)) {
            return true;
        }
        return name.startsWith("_") && name.endsWith("_value")
                && attributes.containsKey(name.substring(1, name.length() - "_value".length()));
    }
}
