package org.dataversebackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A table (entity): metadata, columns, keys, relationships and Web API names. */
final class TableDef {
    /** An alternate key. */
    record KeyDef(String logicalName, String schemaName, List<String> columns, UUID metadataId) {
    }

    /** A single-valued navigation property: the lookup column and the table it points to. */
    record Navigation(String name, ColumnDef column, String target) {
    }

    final String logicalName;
    final String schemaName;
    final String entitySetName;
    final String collectionSchemaName;
    String displayName;
    String displayCollectionName;
    String description = "";
    final int objectTypeCode;
    final String ownershipType;
    boolean custom;
    boolean intersect;
    boolean changeTracking = true;
    boolean canChangeTrackingBeEnabled = true;
    /** Whether the Web API may create, update and delete rows (the emulator writes business tables only). */
    boolean writable;
    String primaryId;
    String primaryName;
    /** EntityMetadata.PrimaryImageAttribute, or null. */
    String primaryImage;
    final UUID metadataId;
    final Map<String, ColumnDef> columns = new LinkedHashMap<>();
    final Map<String, ColumnDef> byProperty = new LinkedHashMap<>();
    final List<ColumnDef> stored = new ArrayList<>();
    final Map<String, Navigation> navigations = new LinkedHashMap<>();
    final List<KeyDef> keys = new ArrayList<>();
    final List<RelationshipDef> oneToMany = new ArrayList<>();
    final List<RelationshipDef> manyToOne = new ArrayList<>();
    final List<RelationshipDef> manyToMany = new ArrayList<>();

    TableDef(String logicalName, String schemaName, String entitySetName, String collectionSchemaName,
            int objectTypeCode, String ownershipType, String displayName, String displayCollectionName) {
        this.logicalName = logicalName;
        this.schemaName = schemaName;
        this.entitySetName = entitySetName;
        this.collectionSchemaName = collectionSchemaName;
        this.objectTypeCode = objectTypeCode;
        this.ownershipType = ownershipType;
        this.displayName = displayName;
        this.displayCollectionName = displayCollectionName;
        this.metadataId = UUID.nameUUIDFromBytes(("entity:" + logicalName).getBytes(StandardCharsets.UTF_8));
    }

    ColumnDef add(ColumnDef column) {
        columns.put(column.logicalName, column);
        column.columnNumber = columns.size();
        return column;
    }

    ColumnDef column(String logicalName) {
        return columns.get(logicalName);
    }

    Collection<ColumnDef> columns() {
        return columns.values();
    }

    ColumnDef pk() {
        return columns.get(primaryId);
    }

    boolean userOwned() {
        return "UserOwned".equals(ownershipType);
    }

    /** Assigns storage slots and Web API property names once all columns are added. */
    void seal() {
        stored.clear();
        byProperty.clear();
        for (ColumnDef c : columns.values()) {
            boolean helper = (c.attributeOf != null && !c.ownProperty) || c.type == AttrType.VIRTUAL
                    || (c.type == AttrType.ENTITYNAME && !c.ownProperty);
            if (c.type == AttrType.DATETIME && "DateOnly".equals(c.dateBehavior)) {
                c.storage = AttrType.Storage.DATE;
            }
            if (!helper && c.computed == ColumnDef.Computed.NONE && c.storage != AttrType.Storage.NONE && !c.primaryId) {
                c.storageIndex = stored.size();
                stored.add(c);
            }
            if (!helper) {
                c.property = c.type.isLookup() ? "_" + c.logicalName + "_value" : c.logicalName;
                c.propertyJson = new com.fasterxml.jackson.core.io.SerializedString(c.property);
                byProperty.put(c.property, c);
            }
        }
    }
}
