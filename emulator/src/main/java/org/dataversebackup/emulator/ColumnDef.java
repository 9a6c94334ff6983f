package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A column (attribute) of a table, with its metadata and how it is stored and shown in the Web API. */
final class ColumnDef {
    /** Values derived at read time instead of being stored. */
    enum Computed { NONE, BASE_AMOUNT, OWNING_USER, OWNING_TEAM }

    final String table;
    final String logicalName;
    String schemaName;
    final AttrType type;
    String displayName;
    String description = "";
    boolean validForCreate = true;
    boolean validForUpdate = true;
    boolean validForRead = true;
    String attributeOf;
    boolean primaryId;
    boolean primaryName;
    boolean custom;
    String requiredLevel = "None";
    int maxLength;
    String format;
    int precision;
    Number minValue;
    Number maxValue;
    /** DateTime behaviour: UserLocal, DateOnly or TimeZoneIndependent. */
    String dateBehavior = "UserLocal";
    final List<String> targets = new ArrayList<>();
    /** Option values and labels (Picklist, State, Status) or Boolean: 1 true, 0 false. */
    final Map<Integer, String> options = new LinkedHashMap<>();
    /** Status option value to its State (statuscode). */
    final Map<Integer, Integer> statusState = new LinkedHashMap<>();
    Computed computed = Computed.NONE;
    /**
     * A column with AttributeOf that is nevertheless a Web API property of its own (the file name of a
     * file column, the id, time stamp and URL of an image column), unlike the name helpers of lookups
     * and option sets, which only appear as annotations.
     */
    boolean ownProperty;
    /** File and image columns: MaxSizeInKB. */
    int maxSizeInKB;
    /** Image columns: CanStoreFullImage (else only the thumbnail is kept). */
    boolean canStoreFullImage;
    /** Image columns: IsPrimaryImage. */
    boolean primaryImage;
    /** A self-referencing lookup that makes the table hierarchical (its relationship's IsHierarchical). */
    boolean hierarchical;
    /** For BASE_AMOUNT: the money column it is the base of. */
    String baseOf;
    /** Low-cardinality UUID column: stored through a small dictionary. */
    boolean dictionary;
    /** Position among the stored columns of the table, or -1. */
    int storageIndex = -1;
    AttrType.Storage storage;
    int columnNumber;
    UUID metadataId;
    /** Web API property name (name, _x_value), or null when the column is not a Web API property. */
    String property;
    /** The property name pre-encoded for the JSON writer. */
    com.fasterxml.jackson.core.io.SerializedString propertyJson;
    /** Single-valued navigation property per target table (lookups). */
    final Map<String, String> navigationByTarget = new LinkedHashMap<>();

    ColumnDef(String table, String logicalName, String schemaName, AttrType type, String displayName) {
        this.table = table;
        this.logicalName = logicalName;
        this.schemaName = schemaName;
        this.type = type;
        this.displayName = displayName;
        this.storage = type.storage;
        this.metadataId = UUID.nameUUIDFromBytes(("attribute:" + table + "." + logicalName).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    boolean stored() {
        return storageIndex >= 0;
    }

    boolean isDateOnly() {
        return type == AttrType.DATETIME && "DateOnly".equals(dateBehavior);
    }

    String edmType() {
        if (isDateOnly()) {
            return "Edm.Date";
        }
        return type.edm;
    }

    @Override
    public String toString() {
        return table + "." + logicalName;
    }
}
