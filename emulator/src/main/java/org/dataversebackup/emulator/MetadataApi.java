package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code EntityDefinitions} (list with $select/$filter, single by LogicalName or MetadataId,
 * $expand of Attributes, relationships and Keys, the attribute casts such as
 * {@code /Attributes/Microsoft.Dynamics.CRM.LookupAttributeMetadata}) and
 * {@code RelationshipDefinitions}. No paging: every result comes in the first response.
 */
final class MetadataApi {
    private static final String CAST = "Microsoft.Dynamics.CRM.";
    private final EmulatorContext ctx;

    MetadataApi(EmulatorContext ctx) {
        this.ctx = ctx;
    }

    /** Options of a metadata read, or of one $expand item. */
    private static final class Options {
        List<String> select;
        Filter.Expr filter;
        final Map<String, Options> expand = new LinkedHashMap<>();

        static Options parse(Map<String, String> query) {
            Options o = new Options();
            for (Map.Entry<String, String> e : query.entrySet()) {
                String name = e.getKey().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "$select" -> o.select = names(e.getValue());
                    case "$filter" -> o.filter = Filter.parse(e.getValue());
                    case "$expand" -> {
                        for (String item : Metadata.splitTopLevel(e.getValue(), ',')) {
                            int open = item.indexOf('(');
                            String nav = (open < 0 ? item : item.substring(0, open)).trim();
                            Map<String, String> inner = new LinkedHashMap<>();
                            if (open >= 0) {
                                String body = item.substring(open + 1, item.lastIndexOf(')'));
                                for (String option : Metadata.splitTopLevel(body, ';')) {
                                    int eq = option.indexOf('=');
                                    if (eq > 0) {
                                        inner.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
                                    }
                                }
                            }
                            o.expand.put(nav, parse(inner));
                        }
                    }
                    case "$skip" -> throw new ApiError(400, "0x80060888", "Skip Clause is not supported in CRM");
                    default -> {
                        if (name.startsWith("$") && !name.equals("$top") && !name.equals("$count")) {
                            throw new ApiError(400, "0x80060888", "The query parameter '" + e.getKey() + "' is not supported.");
                        }
                    }
                }
            }
            return o;
        }

        private static List<String> names(String text) {
            List<String> names = new ArrayList<>();
            for (String n : text.split(",")) {
                if (!n.trim().isEmpty()) {
                    names.add(n.trim());
                }
            }
            return names;
        }
    }

    ApiResponse entityDefinitions(ApiRequest request, ResourcePath path) {
        if (!"GET".equals(request.method)) {
            throw new ApiError(405, "0x80040315", "The emulator's table definitions are read-only.");
        }
        String root = ctx.serviceRoot(request.version);
        Options options = Options.parse(request.query());
        ResourcePath.Segment first = path.get(0);
        if (first.key() == null) {
            if (path.size() > 1) {
                throw ApiError.segmentNotFound(path.get(1).name());
            }
            checkEntitySelect(options.select);
            ArrayNode value = Jwt.JSON.createArrayNode();
            for (String name : Metadata.INSTANCE.entityNames()) {
                ObjectNode entity = Metadata.INSTANCE.entity(name);
                if (Metadata.matches(options.filter, entity)) {
                    value.add(expand(name, Metadata.project(entity, options.select), options));
                }
            }
            return collection(root + "$metadata#EntityDefinitions" + selectSuffix(options.select), value);
        }
        TableDef def = entityByKey(first.key());
        if (path.size() == 1) {
            checkEntitySelect(options.select);
            ObjectNode entity = expand(def.logicalName, Metadata.project(Metadata.INSTANCE.entity(def.logicalName), options.select), options);
            return single(root + "$metadata#EntityDefinitions" + selectSuffix(options.select) + "/$entity", entity);
        }
        ResourcePath.Segment nav = path.get(1);
        String base = root + "$metadata#EntityDefinitions('" + def.metadataId + "')/" + nav.name();
        switch (nav.name()) {
            case "Attributes": {
                List<ObjectNode> attributes = Metadata.INSTANCE.attributes(def.logicalName);
                String cast = null;
                if (nav.key() != null) {
                    ObjectNode attribute = find(attributes, nav.key(), "LogicalName",
                            "Could not find an attribute with specified name: " + ResourcePath.unquote(nav.key().replaceFirst("^LogicalName=", "")));
                    if (path.size() > 2) {
                        cast = castName(path.get(2).name());
                        if (!attribute.path("@odata.type").asText().equals("#" + CAST + cast)) {
                            throw new ApiError(400, "0x0", "The attribute is not of type " + cast + ".");
                        }
                    }
                    ObjectNode result = attributeView(attribute, options);
                    return single(base + (cast != null ? "/" + CAST + cast : "") + selectSuffix(options.select) + "/$entity", result);
                }
                if (path.size() > 2) {
                    cast = castName(path.get(2).name());
                }
                ArrayNode value = Jwt.JSON.createArrayNode();
                for (ObjectNode a : attributes) {
                    if (cast != null && !a.path("@odata.type").asText().equals("#" + CAST + cast)) {
                        continue;
                    }
                    if (Metadata.matches(options.filter, a)) {
                        value.add(attributeView(a, options));
                    }
                }
                return collection(base + (cast != null ? "/" + CAST + cast : "") + selectSuffix(options.select), value);
            }
            case "ManyToOneRelationships":
            case "OneToManyRelationships":
            case "ManyToManyRelationships":
            case "Keys": {
                List<ObjectNode> items = related(def.logicalName, nav.name());
                if (nav.key() != null) {
                    ObjectNode item = find(items, nav.key(), nav.name().equals("Keys") ? "LogicalName" : "SchemaName",
                            "Could not find " + nav.name() + " " + nav.key());
                    return single(base + selectSuffix(options.select) + "/$entity", Metadata.project(item, options.select));
                }
                ArrayNode value = Jwt.JSON.createArrayNode();
                for (ObjectNode item : items) {
                    if (Metadata.matches(options.filter, item)) {
                        value.add(Metadata.project(item, options.select));
                    }
                }
                return collection(base + selectSuffix(options.select), value);
            }
            default:
                throw ApiError.segmentNotFound(nav.name());
        }
    }

    ApiResponse relationshipDefinitions(ApiRequest request, ResourcePath path) {
        if (!"GET".equals(request.method)) {
            throw new ApiError(405, "0x80040315", "The emulator's relationship definitions are read-only.");
        }
        String root = ctx.serviceRoot(request.version);
        Options options = Options.parse(request.query());
        List<ObjectNode> all = Metadata.INSTANCE.allRelationships();
        ResourcePath.Segment first = path.get(0);
        String cast = path.size() > 1 ? castName(path.get(1).name()) : null;
        if (first.key() != null) {
            ObjectNode item = find(all, first.key(), "SchemaName", "Could not find relationship " + first.key());
            return single(root + "$metadata#RelationshipDefinitions/$entity", Metadata.project(item, options.select));
        }
        ArrayNode value = Jwt.JSON.createArrayNode();
        for (ObjectNode r : all) {
            String type = r.path("RelationshipType").asText();
            if (cast != null && !(cast.equals("OneToManyRelationshipMetadata") && type.equals("OneToManyRelationship"))
                    && !(cast.equals("ManyToManyRelationshipMetadata") && type.equals("ManyToManyRelationship"))) {
                continue;
            }
            if (Metadata.matches(options.filter, r)) {
                ObjectNode copy = Metadata.project(r, options.select);
                copy.put("@odata.type", "#" + CAST + (type.equals("ManyToManyRelationship") ? "ManyToManyRelationshipMetadata"
                        : "OneToManyRelationshipMetadata"));
                value.add(copy);
            }
        }
        return collection(root + "$metadata#RelationshipDefinitions" + (cast != null ? "/" + CAST + cast : ""), value);
    }

    private static String castName(String segment) {
        if (!segment.startsWith(CAST)) {
            throw ApiError.segmentNotFound(segment);
        }
        String cast = segment.substring(CAST.length());
        List<String> known = Arrays.asList("LookupAttributeMetadata", "StringAttributeMetadata", "MemoAttributeMetadata",
                "IntegerAttributeMetadata", "BigIntAttributeMetadata", "DecimalAttributeMetadata", "DoubleAttributeMetadata",
                "MoneyAttributeMetadata", "BooleanAttributeMetadata", "DateTimeAttributeMetadata", "PicklistAttributeMetadata",
                "StateAttributeMetadata", "StatusAttributeMetadata", "UniqueIdentifierAttributeMetadata",
                "EntityNameAttributeMetadata", "FileAttributeMetadata", "ImageAttributeMetadata",
                "OneToManyRelationshipMetadata", "ManyToManyRelationshipMetadata");
        if (!known.contains(cast)) {
            throw ApiError.segmentNotFound(segment);
        }
        return cast;
    }

    private static void checkEntitySelect(List<String> select) {
        if (select == null) {
            return;
        }
        for (String name : select) {
            if (!Metadata.ENTITY_PROPERTIES.contains(name)) {
                throw new ApiError(400, "0x0", "Could not find a property named '" + name
                        + "' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.");
            }
        }
    }

    private ObjectNode expand(String table, ObjectNode entity, Options options) {
        for (Map.Entry<String, Options> e : options.expand.entrySet()) {
            String nav = e.getKey();
            if (!Metadata.NAVIGATIONS.contains(nav)) {
                throw new ApiError(400, "0x0", "Could not find a property named '" + nav
                        + "' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.");
            }
            Options inner = e.getValue();
            ArrayNode items = entity.putArray(nav);
            List<ObjectNode> source = nav.equals("Attributes") ? Metadata.INSTANCE.attributes(table) : related(table, nav);
            for (ObjectNode item : source) {
                if (Metadata.matches(inner.filter, item)) {
                    items.add(nav.equals("Attributes") ? attributeView(item, inner) : Metadata.project(item, inner.select));
                }
            }
        }
        return entity;
    }

    /** An attribute with its option set only when $expand asks for it. */
    private static ObjectNode attributeView(ObjectNode attribute, Options options) {
        ObjectNode result = Metadata.project(attribute, options.select);
        boolean expandOptions = options.expand.containsKey("OptionSet") || options.expand.containsKey("GlobalOptionSet");
        if (expandOptions && attribute.has("OptionSet")) {
            result.set("OptionSet", attribute.get("OptionSet").deepCopy());
            if (options.expand.containsKey("GlobalOptionSet")) {
                result.putNull("GlobalOptionSet");
            }
        } else {
            result.remove("OptionSet");
        }
        return result;
    }

    private static List<ObjectNode> related(String table, String nav) {
        return switch (nav) {
            case "ManyToOneRelationships" -> Metadata.INSTANCE.manyToOne(table);
            case "OneToManyRelationships" -> Metadata.INSTANCE.oneToMany(table);
            case "ManyToManyRelationships" -> Metadata.INSTANCE.manyToMany(table);
            default -> Metadata.INSTANCE.keys(table);
        };
    }

    private static TableDef entityByKey(String key) {
        Map<String, String> values = ResourcePath.keyValues(key);
        String logicalName = values.get("LogicalName");
        if (logicalName != null) {
            TableDef def = Schema.INSTANCE.table(ResourcePath.unquote(logicalName));
            if (def == null) {
                throw new ApiError(404, "0x80040217", "Could not find an entity with the name "
                        + ResourcePath.unquote(logicalName) + ".");
            }
            return def;
        }
        String raw = values.getOrDefault("", values.getOrDefault("MetadataId", key));
        UUID id;
        try {
            id = Guids.parse(ResourcePath.unquote(raw));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "0x0", "The key '" + key + "' of EntityDefinitions is not valid.");
        }
        for (TableDef def : Schema.INSTANCE.tables()) {
            if (def.metadataId.equals(id)) {
                return def;
            }
        }
        throw new ApiError(404, "0x80040217", "Could not find an entity with the MetadataId " + id + ".");
    }

    private static ObjectNode find(List<ObjectNode> items, String key, String nameProperty, String notFound) {
        Map<String, String> values = ResourcePath.keyValues(key);
        String name = values.containsKey(nameProperty) ? ResourcePath.unquote(values.get(nameProperty)) : null;
        String id = values.containsKey("") ? ResourcePath.unquote(values.get("")) : values.containsKey("MetadataId")
                ? ResourcePath.unquote(values.get("MetadataId")) : null;
        for (ObjectNode item : items) {
            if ((name != null && name.equals(item.path(nameProperty).asText()))
                    || (id != null && id.equalsIgnoreCase(item.path("MetadataId").asText()))) {
                return item;
            }
        }
        throw new ApiError(404, "0x80040217", notFound);
    }

    private static String selectSuffix(List<String> select) {
        return select == null ? "" : "(" + String.join(",", select) + ")";
    }

    private static ApiResponse collection(String context, ArrayNode value) {
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context);
            g.writeFieldName("value");
            Jwt.JSON.writeTree(g, value);
            g.writeEndObject();
        });
    }

    private static ApiResponse single(String context, ObjectNode node) {
        ObjectNode result = Jwt.JSON.createObjectNode();
        result.put("@odata.context", context);
        result.setAll(node);
        return ApiResponse.json(200, g -> Jwt.JSON.writeTree(g, result));
    }
}
