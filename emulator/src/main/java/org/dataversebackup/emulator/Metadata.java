package org.dataversebackup.emulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Table definitions as the Web API returns them: EntityMetadata, typed AttributeMetadata,
 * relationships and keys, as JSON objects built once from the {@link Schema}.
 */
final class Metadata {
    static final Metadata INSTANCE = new Metadata();

    /** EntityMetadata properties Dataverse knows (a $select of any other name is an error). */
    static final Set<String> ENTITY_PROPERTIES = Set.of("ActivityTypeMask", "AutoCreateAccessTeams", "AutoRouteToOwnerQueue",
            "CanBeInCustomEntityAssociation", "CanBeInManyToMany", "CanBePrimaryEntityInRelationship",
            "CanBeRelatedEntityInRelationship", "CanChangeHierarchicalRelationship", "CanChangeTrackingBeEnabled",
            "CanCreateAttributes", "CanCreateCharts", "CanCreateForms", "CanCreateViews", "CanEnableSyncToExternalSearchIndex",
            "CanModifyAdditionalSettings", "CanTriggerWorkflow", "ChangeTrackingEnabled", "CollectionSchemaName",
            "CreatedOn", "DataProviderId", "DataSourceId", "DaysSinceRecordLastModified", "Description",
            "DisplayCollectionName", "DisplayName", "EnforceStateTransitions", "EntityColor", "EntityHelpUrl",
            "EntityHelpUrlEnabled", "EntitySetName", "ExternalCollectionName", "ExternalName", "HasActivities", "HasChanged",
            "HasEmailAddresses", "HasFeedback", "HasNotes", "IconLargeName", "IconMediumName", "IconSmallName",
            "IconVectorName", "IntroducedVersion", "IsActivity", "IsActivityParty", "IsAIRUpdated", "IsAuditEnabled",
            "IsAvailableOffline", "IsBPFEntity", "IsBusinessProcessEnabled", "IsChildEntity", "IsConnectionsEnabled",
            "IsCustomEntity", "IsCustomizable", "IsDocumentManagementEnabled", "IsDocumentRecommendationsEnabled",
            "IsDuplicateDetectionEnabled", "IsEnabledForCharts", "IsEnabledForExternalChannels", "IsEnabledForTrace",
            "IsImportable", "IsInteractionCentricEnabled", "IsIntersect", "IsKnowledgeManagementEnabled", "IsLogicalEntity",
            "IsMailMergeEnabled", "IsManaged", "IsMappable", "IsMSTeamsIntegrationEnabled", "IsOfflineInMobileClient",
            "IsOneNoteIntegrationEnabled", "IsOptimisticConcurrencyEnabled", "IsPrivate", "IsQuickCreateEnabled",
            "IsReadingPaneEnabled", "IsReadOnlyInMobileClient", "IsRenameable", "IsRetrieveAuditEnabled",
            "IsRetrieveMultipleAuditEnabled", "IsSLAEnabled", "IsSolutionAware", "IsStateModelAware", "IsValidForAdvancedFind",
            "IsValidForQueue", "IsVisibleInMobile", "IsVisibleInMobileClient", "LogicalCollectionName", "LogicalName",
            "MetadataId", "MobileOfflineFilters", "ModifiedOn", "ObjectTypeCode", "OwnershipType", "PrimaryIdAttribute",
            "PrimaryImageAttribute", "PrimaryNameAttribute", "Privileges", "RecurrenceBaseEntityLogicalName", "ReportViewName",
            "SchemaName", "SettingOf", "Settings", "SyncToExternalSearchIndex", "TableType", "UsesBusinessDataLabelTable");
    static final Set<String> NAVIGATIONS = Set.of("Attributes", "Keys", "ManyToManyRelationships", "ManyToOneRelationships",
            "OneToManyRelationships");

    private final Map<String, ObjectNode> entities = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> attributes = new LinkedHashMap<>();
    private final Map<String, ObjectNode> relationships = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> keys = new LinkedHashMap<>();

    private Metadata() {
        Schema schema = Schema.INSTANCE;
        for (RelationshipDef r : schema.relationships()) {
            relationships.put(r.schemaName, relationship(r));
        }
        for (TableDef t : schema.tables()) {
            entities.put(t.logicalName, entity(t));
            List<ObjectNode> list = new ArrayList<>();
            for (ColumnDef c : t.columns()) {
                list.add(attribute(t, c));
            }
            attributes.put(t.logicalName, list);
            List<ObjectNode> keyList = new ArrayList<>();
            for (TableDef.KeyDef k : t.keys) {
                keyList.add(key(t, k));
            }
            keys.put(t.logicalName, keyList);
        }
    }

    ObjectNode entity(String logicalName) {
        return entities.get(logicalName);
    }

    Iterable<String> entityNames() {
        return entities.keySet();
    }

    List<ObjectNode> attributes(String logicalName) {
        return attributes.get(logicalName);
    }

    List<ObjectNode> keys(String logicalName) {
        return keys.get(logicalName);
    }

    List<ObjectNode> oneToMany(String logicalName) {
        List<ObjectNode> list = new ArrayList<>();
        for (RelationshipDef r : Schema.INSTANCE.table(logicalName).oneToMany) {
            list.add(relationships.get(r.schemaName));
        }
        return list;
    }

    List<ObjectNode> manyToOne(String logicalName) {
        List<ObjectNode> list = new ArrayList<>();
        for (RelationshipDef r : Schema.INSTANCE.table(logicalName).manyToOne) {
            list.add(relationships.get(r.schemaName));
        }
        return list;
    }

    List<ObjectNode> manyToMany(String logicalName) {
        List<ObjectNode> list = new ArrayList<>();
        for (RelationshipDef r : Schema.INSTANCE.table(logicalName).manyToMany) {
            list.add(relationships.get(r.schemaName));
        }
        return list;
    }

    List<ObjectNode> allRelationships() {
        return new ArrayList<>(relationships.values());
    }

    // ------------------------------------------------------------------ building

    static ObjectNode label(String text) {
        ObjectNode label = Jwt.JSON.createObjectNode();
        ObjectNode localized = Jwt.JSON.createObjectNode();
        localized.put("Label", text);
        localized.put("LanguageCode", 1033);
        localized.put("IsManaged", true);
        localized.put("MetadataId", UUID.nameUUIDFromBytes(("label:" + text).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        localized.putNull("HasChanged");
        label.putArray("LocalizedLabels").add(localized);
        label.set("UserLocalizedLabel", localized.deepCopy());
        return label;
    }

    private static ObjectNode managed(boolean value, String logicalName) {
        ObjectNode node = Jwt.JSON.createObjectNode();
        node.put("Value", value);
        node.put("CanBeChanged", false);
        node.put("ManagedPropertyLogicalName", logicalName);
        return node;
    }

    private ObjectNode entity(TableDef t) {
        ObjectNode e = Jwt.JSON.createObjectNode();
        e.put("MetadataId", t.metadataId.toString());
        e.put("LogicalName", t.logicalName);
        e.put("SchemaName", t.schemaName);
        e.put("EntitySetName", t.entitySetName);
        e.put("LogicalCollectionName", t.intersect ? null : t.entitySetName);
        e.put("CollectionSchemaName", t.collectionSchemaName);
        e.put("ObjectTypeCode", t.objectTypeCode);
        e.put("PrimaryIdAttribute", t.primaryId);
        e.put("PrimaryNameAttribute", t.primaryName);
        if (t.primaryImage == null) {
            e.putNull("PrimaryImageAttribute");
        } else {
            e.put("PrimaryImageAttribute", t.primaryImage);
        }
        e.put("OwnershipType", t.ownershipType);
        e.put("TableType", "Standard");
        e.put("IsCustomEntity", t.custom);
        e.put("IsManaged", !t.custom);
        e.put("IsIntersect", t.intersect);
        e.put("IsActivity", false);
        e.put("IsActivityParty", false);
        e.put("IsBPFEntity", false);
        e.put("IsLogicalEntity", false);
        e.put("IsPrivate", false);
        e.put("IsChildEntity", false);
        e.put("IsValidForAdvancedFind", !t.intersect);
        e.put("IsOptimisticConcurrencyEnabled", true);
        e.put("IsAvailableOffline", !t.intersect);
        e.put("IsStateModelAware", t.column("statecode") != null);
        e.put("HasActivities", t.writable);
        e.put("HasNotes", t.writable);
        e.put("ChangeTrackingEnabled", t.changeTracking);
        e.set("CanChangeTrackingBeEnabled", managed(t.canChangeTrackingBeEnabled, "canchangetrackingbeenabled"));
        e.set("IsAuditEnabled", managed(true, "canmodifyauditsettings"));
        e.set("IsCustomizable", managed(!t.intersect, "iscustomizable"));
        e.set("CanCreateAttributes", managed(!t.intersect, "cancreateattributes"));
        e.set("CanBeInManyToMany", managed(!t.intersect, "canbeinmanytomany"));
        e.set("DisplayName", label(t.displayName));
        e.set("DisplayCollectionName", label(t.displayCollectionName));
        e.set("Description", label(t.description));
        e.put("IntroducedVersion", t.custom ? "1.0.0.0" : "5.0.0.0");
        e.put("CreatedOn", "2023-01-01T00:00:00Z");
        e.put("ModifiedOn", "2023-01-01T00:00:00Z");
        e.putNull("DataProviderId");
        e.putNull("DataSourceId");
        ArrayNode privileges = e.putArray("Privileges");
        if (!t.intersect) {
            for (String verb : Privileges.VERBS) {
                String name = Privileges.privilegeName(verb, t.logicalName);
                ObjectNode p = privileges.addObject();
                p.put("PrivilegeId", Privileges.privilegeId(name).toString());
                p.put("Name", name);
                p.put("PrivilegeType", verb);
                p.put("CanBeBasic", t.userOwned());
                p.put("CanBeLocal", !"OrganizationOwned".equals(t.ownershipType));
                p.put("CanBeDeep", !"OrganizationOwned".equals(t.ownershipType));
                p.put("CanBeGlobal", true);
                p.put("CanBeEntityReference", false);
                p.put("CanBeParentEntityReference", false);
                p.put("CanBeRecordFilter", false);
            }
        }
        return e;
    }

    private static ObjectNode attribute(TableDef t, ColumnDef c) {
        ObjectNode a = Jwt.JSON.createObjectNode();
        a.put("@odata.type", "#Microsoft.Dynamics.CRM." + c.type.metadataType);
        a.put("MetadataId", c.metadataId.toString());
        a.put("LogicalName", c.logicalName);
        a.put("SchemaName", c.schemaName);
        a.put("EntityLogicalName", t.logicalName);
        a.put("AttributeType", c.type.code);
        ObjectNode typeName = a.putObject("AttributeTypeName");
        typeName.put("Value", c.type.typeName);
        a.put("AttributeOf", c.attributeOf);
        a.put("ColumnNumber", c.columnNumber);
        a.put("IsPrimaryId", c.primaryId);
        a.put("IsPrimaryName", c.primaryName);
        a.put("IsCustomAttribute", c.custom);
        a.put("IsManaged", !c.custom);
        a.put("IsLogical", c.attributeOf != null || c.computed != ColumnDef.Computed.NONE);
        a.put("IsValidForCreate", c.validForCreate);
        a.put("IsValidForUpdate", c.validForUpdate);
        a.put("IsValidForRead", c.validForRead);
        a.put("IsValidODataAttribute", c.property != null);
        a.set("IsValidForAdvancedFind", managed(c.property != null, "isvalidforadvancedfind"));
        a.put("IsFilterable", c.property != null);
        a.put("IsSearchable", c.type == AttrType.STRING || c.type == AttrType.MEMO);
        a.put("IsSecured", false);
        a.put("IsRequiredForForm", false);
        a.put("SourceType", c.computed == ColumnDef.Computed.BASE_AMOUNT ? 1 : 0);
        a.putNull("LinkedAttributeId");
        a.put("IntroducedVersion", c.custom ? "1.0.0.0" : "5.0.0.0");
        ObjectNode required = a.putObject("RequiredLevel");
        required.put("Value", c.requiredLevel);
        required.put("CanBeChanged", !c.primaryId);
        required.put("ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings");
        a.set("DisplayName", label(c.displayName));
        a.set("Description", label(c.description));
        switch (c.type) {
            case STRING:
                a.put("MaxLength", c.maxLength);
                a.put("DatabaseLength", c.maxLength * 2);
                a.put("Format", c.format);
                a.putObject("FormatName").put("Value", c.format);
                break;
            case MEMO:
                a.put("MaxLength", c.maxLength);
                a.put("DatabaseLength", c.maxLength * 2);
                a.put("Format", "TextArea");
                break;
            case INTEGER:
                a.put("MinValue", c.minValue.intValue());
                a.put("MaxValue", c.maxValue.intValue());
                a.put("Format", "None");
                break;
            case BIGINT:
                a.put("MinValue", Long.MIN_VALUE);
                a.put("MaxValue", Long.MAX_VALUE);
                break;
            case DECIMAL:
            case DOUBLE:
                a.put("Precision", c.precision);
                a.put("MinValue", new BigDecimal(c.minValue.toString()));
                a.put("MaxValue", new BigDecimal(c.maxValue.toString()));
                break;
            case MONEY:
                a.put("Precision", c.precision);
                a.put("PrecisionSource", 2);
                a.put("MinValue", new BigDecimal(c.minValue.toString()));
                a.put("MaxValue", new BigDecimal(c.maxValue.toString()));
                a.put("IsBaseCurrency", c.computed == ColumnDef.Computed.BASE_AMOUNT);
                a.put("CalculationOf", c.baseOf);
                break;
            case DATETIME:
                a.put("Format", c.format);
                a.putObject("DateTimeBehavior").put("Value", c.dateBehavior);
                a.put("MinSupportedValue", "1753-01-01T00:00:00Z");
                a.put("MaxSupportedValue", "9999-12-30T23:59:59Z");
                break;
            case LOOKUP:
            case CUSTOMER:
            case OWNER:
                ArrayNode targets = a.putArray("Targets");
                c.targets.forEach(targets::add);
                a.put("Format", "None");
                break;
            case BOOLEAN:
                a.put("DefaultValue", false);
                break;
            case FILE:
                a.put("MaxSizeInKB", c.maxSizeInKB);
                break;
            case IMAGE:
                a.put("MaxSizeInKB", c.maxSizeInKB);
                a.put("CanStoreFullImage", c.canStoreFullImage);
                a.put("IsPrimaryImage", c.primaryImage);
                a.put("MaxHeight", 144);
                a.put("MaxWidth", 144);
                break;
            case PICKLIST:
                a.putNull("DefaultFormValue");
                break;
            default:
                break;
        }
        if (c.type == AttrType.BOOLEAN || c.type.isOptionSet()) {
            a.set("OptionSet", optionSet(t, c));
        }
        return a;
    }

    private static ObjectNode optionSet(TableDef t, ColumnDef c) {
        ObjectNode set = Jwt.JSON.createObjectNode();
        set.put("MetadataId", UUID.nameUUIDFromBytes(("optionset:" + t.logicalName + "." + c.logicalName)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        set.put("Name", t.logicalName + "_" + c.logicalName);
        set.put("IsGlobal", false);
        set.put("IsCustomOptionSet", c.custom);
        if (c.type == AttrType.BOOLEAN) {
            set.put("OptionSetType", "Boolean");
            ObjectNode yes = set.putObject("TrueOption");
            yes.put("Value", 1);
            yes.set("Label", label(c.options.get(1)));
            ObjectNode no = set.putObject("FalseOption");
            no.put("Value", 0);
            no.set("Label", label(c.options.get(0)));
            return set;
        }
        set.put("OptionSetType", c.type == AttrType.STATE ? "State" : c.type == AttrType.STATUS ? "Status" : "Picklist");
        ArrayNode options = set.putArray("Options");
        for (Map.Entry<Integer, String> o : c.options.entrySet()) {
            ObjectNode option = options.addObject();
            option.put("Value", o.getKey());
            option.set("Label", label(o.getValue()));
            if (c.type == AttrType.STATUS) {
                option.put("State", c.statusState.getOrDefault(o.getKey(), 0));
            }
            if (c.type == AttrType.STATE) {
                option.put("DefaultStatus", o.getKey() + 1);
                option.put("InvariantName", o.getValue());
            }
        }
        return set;
    }

    private static ObjectNode relationship(RelationshipDef r) {
        ObjectNode n = Jwt.JSON.createObjectNode();
        n.put("MetadataId", r.metadataId.toString());
        n.put("SchemaName", r.schemaName);
        n.put("IsCustomRelationship", r.custom);
        n.put("IsManaged", !r.custom);
        n.put("IsValidForAdvancedFind", true);
        n.put("SecurityTypes", r.manyToMany ? "None" : "Append");
        n.put("IntroducedVersion", r.custom ? "1.0.0.0" : "5.0.0.0");
        if (r.manyToMany) {
            n.put("RelationshipType", "ManyToManyRelationship");
            n.put("IntersectEntityName", r.intersectEntity);
            n.put("Entity1LogicalName", r.entity1);
            n.put("Entity2LogicalName", r.entity2);
            n.put("Entity1IntersectAttribute", r.entity1IntersectAttribute);
            n.put("Entity2IntersectAttribute", r.entity2IntersectAttribute);
            n.put("Entity1NavigationPropertyName", r.entity1Navigation);
            n.put("Entity2NavigationPropertyName", r.entity2Navigation);
            return n;
        }
        n.put("RelationshipType", "OneToManyRelationship");
        n.put("ReferencedEntity", r.referencedEntity);
        n.put("ReferencedAttribute", r.referencedAttribute);
        n.put("ReferencingEntity", r.referencingEntity);
        n.put("ReferencingAttribute", r.referencingAttribute);
        n.put("ReferencedEntityNavigationPropertyName", r.referencedNavigation);
        n.put("ReferencingEntityNavigationPropertyName", r.referencingNavigation);
        ColumnDef lookup = Schema.INSTANCE.table(r.referencingEntity).column(r.referencingAttribute);
        n.put("IsHierarchical", lookup != null && lookup.hierarchical);
        n.put("RelationshipBehavior", 0);
        ObjectNode cascade = n.putObject("CascadeConfiguration");
        boolean parental = "Cascade".equals(r.cascadeDelete);
        cascade.put("Assign", parental ? "Cascade" : "NoCascade");
        cascade.put("Delete", r.cascadeDelete);
        cascade.put("Merge", parental ? "Cascade" : "NoCascade");
        cascade.put("Reparent", parental ? "Cascade" : "NoCascade");
        cascade.put("Share", parental ? "Cascade" : "NoCascade");
        cascade.put("Unshare", parental ? "Cascade" : "NoCascade");
        cascade.put("RollupView", "NoCascade");
        cascade.put("Archive", parental ? "Cascade" : "NoCascade");
        return n;
    }

    private static ObjectNode key(TableDef t, TableDef.KeyDef k) {
        ObjectNode n = Jwt.JSON.createObjectNode();
        n.put("MetadataId", k.metadataId().toString());
        n.put("LogicalName", k.logicalName());
        n.put("SchemaName", k.schemaName());
        n.put("EntityLogicalName", t.logicalName);
        ArrayNode attrs = n.putArray("KeyAttributes");
        k.columns().forEach(attrs::add);
        n.put("EntityKeyIndexStatus", "Active");
        n.put("IsManaged", false);
        n.set("IsCustomizable", managed(true, "iscustomizable"));
        n.set("DisplayName", label(k.schemaName()));
        n.putNull("AsyncJob");
        return n;
    }

    // ------------------------------------------------------------------ query helpers

    /** Whether a JSON metadata object passes a $filter. */
    static boolean matches(Filter.Expr filter, JsonNode node) {
        return filter == null || Filter.test(filter, path -> value(node, path));
    }

    private static Object value(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("/")) {
            current = current.path(part);
        }
        if (current.isMissingNode() || current.isNull()) {
            return null;
        }
        if (current.isBoolean()) {
            return current.booleanValue();
        }
        if (current.isNumber()) {
            return current.decimalValue();
        }
        if (current.isTextual()) {
            String text = current.textValue();
            if (Guids.isGuid(text)) {
                return UUID.fromString(text);
            }
            return text;
        }
        return current.toString();
    }

    /** A copy with only the selected properties (MetadataId and @odata.type always kept). */
    static ObjectNode project(ObjectNode node, List<String> select) {
        if (select == null) {
            return node.deepCopy();
        }
        ObjectNode result = Jwt.JSON.createObjectNode();
        if (node.has("@odata.type")) {
            result.set("@odata.type", node.get("@odata.type"));
        }
        for (String name : select) {
            if (node.has(name)) {
                result.set(name, node.get(name).deepCopy());
            } else if (ENTITY_PROPERTIES.contains(name) && node.has("EntitySetName")) {
                result.putNull(name);
            }
        }
        if (node.has("MetadataId") && !result.has("MetadataId")) {
            result.set("MetadataId", node.get("MetadataId"));
        }
        return result;
    }

    /** Splits "a,b(c;d),e" at top-level commas. */
    static List<String> splitTopLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            }
            if (ch == separator && depth == 0 && !quoted) {
                parts.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString().trim());
        }
        return parts;
    }

    static String lowerFirstSegment(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static Iterator<String> fieldNames(ObjectNode node) {
        return node.fieldNames();
    }
}
