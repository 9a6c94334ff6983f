package org.dataversebackup.emulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writing rows: create (POST), update and upsert (PATCH), delete, single properties, lookups by
 * {@code @odata.bind} (polymorphic Customer and Owner included), associations by {@code $ref}, and
 * the bulk actions CreateMultiple, UpdateMultiple and UpsertMultiple. Checks follow Dataverse:
 * privileges and access mode, read-only columns, types and lengths, keys, conditional headers.
 */
final class Writes {
    private static final String PAYLOAD = "0x80048d19";
    private final EmulatorContext ctx;
    private final Store store;
    private final Reads reads;

    Writes(EmulatorContext ctx, Reads reads) {
        this.ctx = ctx;
        this.store = ctx.state.store();
        this.reads = reads;
    }

    /** What a request body asks to set: column values and lookups by navigation property. */
    private static final class Changes {
        final Map<ColumnDef, Object> values = new LinkedHashMap<>();
        UUID id;
    }

    // ------------------------------------------------------------------ create, update, upsert, delete

    ApiResponse create(ApiRequest request, Principal principal, TableDef def) {
        checkWritable(def, "Create");
        Security.require(principal, def, "Create");
        ObjectNode body = body(request);
        Map<RelationshipDef, List<Changes>> related = deepInsert(request, principal, def, body);
        Changes changes = parse(request, principal, def, body, true);
        UUID id = store.transaction(() -> {
            UUID created = insert(principal, def, changes, null, null);
            insertRelated(related, created);
            return created;
        });
        return written(request, def, id, true, 201);
    }

    /**
     * Deep insert (create-entity-web-api, "Create related table rows in one operation"): the
     * collection-valued navigation properties of a POST body are removed from it and read as rows of
     * the related table, created with the new row in the same transaction. This is how activity
     * parties are written: they cannot be created on their own.
     */
    private Map<RelationshipDef, List<Changes>> deepInsert(ApiRequest request, Principal principal, TableDef def, ObjectNode body) {
        Map<RelationshipDef, List<Changes>> related = new LinkedHashMap<>();
        for (String name : names(body)) {
            RelationshipDef r = Router.collectionNavigation(def, name);
            if (r == null || r.manyToMany) {
                continue;
            }
            JsonNode items = body.remove(name);
            if (!items.isArray()) {
                throw new ApiError(400, "0x0", "The value of the collection-valued navigation property '" + name + "' must be an array.");
            }
            TableDef child = Schema.INSTANCE.table(r.referencingEntity);
            List<Changes> rows = new ArrayList<>();
            for (JsonNode item : items) {
                if (!(item instanceof ObjectNode object)) {
                    throw new ApiError(400, "0x0", "Each item of '" + name + "' must be a JSON object.");
                }
                Changes c = parse(request, principal, child, object, true);
                if (c.values.containsKey(child.column(r.referencingAttribute))) {
                    throw new ApiError(400, "0x0", "'" + r.referencingAttribute + "' of an item of '" + name
                            + "' is set by the deep insert and cannot be given.");
                }
                rows.add(c);
            }
            related.put(r, rows);
        }
        return related;
    }

    private static List<String> names(ObjectNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Inserts the rows of a deep insert that point to the new row (write lock held). */
    private void insertRelated(Map<RelationshipDef, List<Changes>> related, UUID parentId) {
        for (Map.Entry<RelationshipDef, List<Changes>> e : related.entrySet()) {
            RelationshipDef r = e.getKey();
            TableDef child = Schema.INSTANCE.table(r.referencingEntity);
            Table table = store.table(child.logicalName);
            ColumnDef lookup = child.column(r.referencingAttribute);
            for (Changes c : e.getValue()) {
                UUID id = c.id != null ? c.id : UUID.randomUUID();
                if (table.get(id) != null) {
                    throw new ApiError(412, "0x80040237", "Cannot insert duplicate key.");
                }
                RowValues v = new RowValues(child);
                for (Map.Entry<ColumnDef, Object> value : c.values.entrySet()) {
                    v.values[value.getKey().storageIndex] = value.getValue();
                }
                v.values[lookup.storageIndex] = lookup.storage == AttrType.Storage.REF ? new Ref(r.referencedEntity, parentId) : parentId;
                checkKeys(table, id, v.values);
                store.put(table, id, table.codec.encode(v.values));
            }
        }
    }

    ApiResponse patch(ApiRequest request, Principal principal, TableDef def, String key) {
        checkWritable(def, "Update");
        ObjectNode body = body(request);
        UUID keyId = Reads.keyToId(def, key);
        Map<String, String> alternate = keyId == null ? ResourcePath.keyValues(key) : null;
        String ifMatch = request.header("If-Match");
        String ifNoneMatch = request.header("If-None-Match");
        boolean[] created = {false};
        UUID id = store.transaction(() -> {
            Table table = store.table(def.logicalName);
            Table.Row existing = keyId != null ? table.get(keyId) : findAlternate(table, alternate);
            if (ifNoneMatch != null && ifNoneMatch.trim().equals("*") && existing != null) {
                throw new ApiError(412, "", "A record with matching key values already exists.");
            }
            if (ifMatch != null && existing == null) {
                throw new ApiError(404, "", def.logicalName + " With Id = " + (keyId != null ? keyId : alternateText(alternate))
                        + " Does Not Exist");
            }
            if (ifMatch != null && !ifMatch.trim().equals("*") && !ifMatch.trim().equals("W/\"" + existing.version() + "\"")) {
                throw new ApiError(412, "", "The version of the existing record doesn't match the RowVersion property provided.");
            }
            if (existing == null) {
                Security.require(principal, def, "Create");
                Changes changes = parse(request, principal, def, body, true);
                if (changes.id != null && keyId != null && !changes.id.equals(keyId)) {
                    throw new ApiError(400, "0x80040203", "The Id in the body (" + changes.id + ") does not match the key in the URL ("
                            + keyId + ").");
                }
                created[0] = true;
                return insert(principal, def, changes, keyId, alternate);
            }
            Changes changes = parse(request, principal, def, body, false);
            if (changes.id != null && !changes.id.equals(existing.id())) {
                throw new ApiError(400, "0x80040203", "The Id in the body (" + changes.id + ") does not match the key of the record ("
                        + existing.id() + ").");
            }
            update(principal, def, existing, changes);
            return existing.id();
        });
        return written(request, def, id, created[0], created[0] ? 201 : 200);
    }

    ApiResponse delete(ApiRequest request, Principal principal, TableDef def, String key) {
        checkWritable(def, "Delete");
        PrivilegeDepth depth = Security.require(principal, def, "Delete");
        String ifMatch = request.header("If-Match");
        store.transaction(() -> {
            Table.Row row = reads.locate(def, key);
            Table table = store.table(def.logicalName);
            if (!Security.reaches(principal, depth, def, table.values(row))) {
                throw Security.noAccess(principal, def, row.id(), "DeleteAccess");
            }
            if (ifMatch != null && !ifMatch.trim().equals("*") && !ifMatch.trim().equals("W/\"" + row.version() + "\"")) {
                throw new ApiError(412, "", "The version of the existing record doesn't match the RowVersion property provided.");
            }
            deleteCascading(def, row.id(), principal);
            return null;
        });
        return ApiResponse.noContent();
    }

    /** PUT set(key)/property {"value": x} and DELETE set(key)/property. */
    ApiResponse property(ApiRequest request, Principal principal, TableDef def, String key, String property) {
        checkWritable(def, "Update");
        ColumnDef c = def.byProperty.get(property);
        if (c == null) {
            throw ApiError.propertyNotFound(property, def.logicalName);
        }
        if (c.type.isLookup()) {
            throw new ApiError(400, "0x0", "CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
        }
        ObjectNode body = Jwt.JSON.createObjectNode();
        if ("PUT".equals(request.method)) {
            JsonNode value = body(request).get("value");
            if (value == null) {
                throw new ApiError(400, "0x0", "The property 'value' is required in the request body.");
            }
            body.set(property, value);
        } else {
            body.putNull(property);
        }
        store.transaction(() -> {
            Table.Row row = reads.locate(def, key);
            update(principal, def, row, parse(request, principal, def, body, false));
            return null;
        });
        return ApiResponse.noContent();
    }

    // ------------------------------------------------------------------ $ref

    /** POST/PUT/DELETE set(key)/nav[(relatedKey)]/$ref */
    ApiResponse reference(ApiRequest request, Principal principal, TableDef def, String key, ResourcePath.Segment nav) {
        checkWritable(def, "Update");
        TableDef.Navigation single = def.navigations.get(nav.name());
        RelationshipDef collection = Router.collectionNavigation(def, nav.name());
        if (single == null && collection == null) {
            throw ApiError.segmentNotFound(nav.name());
        }
        store.transaction(() -> {
            Table.Row row = reads.locate(def, key);
            if (single != null) {
                if ("DELETE".equals(request.method)) {
                    Changes changes = new Changes();
                    changes.values.put(single.column(), null);
                    update(principal, def, row, changes);
                    return null;
                }
                if (!"PUT".equals(request.method)) {
                    throw new ApiError(405, "0x80040315", "Use PUT to set a single-valued navigation property.");
                }
                Target target = target(request, odataId(request), single.target());
                Changes changes = new Changes();
                setLookup(principal, def, changes, single, target);
                update(principal, def, row, changes);
                return null;
            }
            if ("POST".equals(request.method)) {
                associate(request, principal, def, row.id(), collection, target(request, odataId(request), null));
                return null;
            }
            if ("DELETE".equals(request.method)) {
                Target related;
                if (nav.key() != null) {
                    TableDef other = Schema.INSTANCE.table(otherSide(def, collection));
                    related = new Target(other, reads.locate(other, nav.key()).id());
                } else {
                    String id = request.query().get("$id");
                    if (id == null) {
                        throw new ApiError(400, "0x0", "The $id query option is required to remove a reference from a collection.");
                    }
                    related = target(request, id, null);
                }
                disassociate(principal, def, row.id(), collection, related);
                return null;
            }
            throw new ApiError(405, "0x80040315", "Use POST to add and DELETE to remove a reference of a collection.");
        });
        return ApiResponse.noContent();
    }

    private static String otherSide(TableDef def, RelationshipDef r) {
        if (r.manyToMany) {
            return r.entity1.equals(def.logicalName) ? r.entity2 : r.entity1;
        }
        return r.referencingEntity;
    }

    private static String odataId(ApiRequest request) {
        JsonNode id = body(request).get("@odata.id");
        if (id == null || !id.isTextual()) {
            throw new ApiError(400, "0x0", "The request body must have an '@odata.id' property with the URL of the related record.");
        }
        return id.asText();
    }

    private void associate(ApiRequest request, Principal principal, TableDef def, UUID id, RelationshipDef r, Target related) {
        if (!r.manyToMany) {
            TableDef child = Schema.INSTANCE.table(r.referencingEntity);
            if (!related.def.logicalName.equals(child.logicalName)) {
                throw new ApiError(400, "0x0", "The URL " + related.def.entitySetName + " does not match the navigation property " + r.referencedNavigation + ".");
            }
            Table.Row childRow = existing(related);
            Changes changes = new Changes();
            ColumnDef lookup = child.column(r.referencingAttribute);
            TableDef.Navigation nav = child.navigations.get(r.referencingNavigation);
            setLookup(principal, child, changes, nav, new Target(def, id));
            Security.require(principal, child, "Write");
            update(principal, child, childRow, changes);
            Objects.requireNonNull(lookup);
            return;
        }
        String otherTable = r.entity1.equals(def.logicalName) ? r.entity2 : r.entity1;
        if (!related.def.logicalName.equals(otherTable)) {
            throw new ApiError(400, "0x0", "The record " + related.def.entitySetName + "(" + related.id + ") cannot be associated through "
                    + r.schemaName + ".");
        }
        existing(related);
        for (TableDef t : new TableDef[] {def, related.def}) {
            Security.require(principal, t, "Append");
            Security.require(principal, t, "AppendTo");
        }
        Table intersect = store.table(r.intersectEntity);
        UUID first = r.entity1.equals(def.logicalName) ? id : related.id;
        UUID second = r.entity1.equals(def.logicalName) ? related.id : id;
        KeyIndex pair = intersect.keyIndexes.get(0);
        if (intersect.findByKey(pair, new Object[] {first, second}) != null) {
            throw new ApiError(412, "0x80040237", "Cannot insert duplicate key.");
        }
        RowValues v = new RowValues(intersect.def).set(r.entity1IntersectAttribute, first).set(r.entity2IntersectAttribute, second);
        store.put(intersect, DirectoryRows.pairId(r.intersectEntity, first, second), intersect.codec.encode(v.values));
    }

    private void disassociate(Principal principal, TableDef def, UUID id, RelationshipDef r, Target related) {
        if (!r.manyToMany) {
            TableDef child = Schema.INSTANCE.table(r.referencingEntity);
            Table.Row childRow = existing(related);
            Object[] values = store.table(child.logicalName).values(childRow);
            ColumnDef lookup = child.column(r.referencingAttribute);
            if (id.equals(Values.uuidOrNull(values[lookup.storageIndex]))) {
                Changes changes = new Changes();
                changes.values.put(lookup, null);
                update(principal, child, childRow, changes);
            }
            return;
        }
        for (TableDef t : new TableDef[] {def, related.def}) {
            Security.require(principal, t, "Append");
            Security.require(principal, t, "AppendTo");
        }
        Table intersect = store.table(r.intersectEntity);
        UUID first = r.entity1.equals(def.logicalName) ? id : related.id;
        UUID second = r.entity1.equals(def.logicalName) ? related.id : id;
        Table.Row link = intersect.findByKey(intersect.keyIndexes.get(0), new Object[] {first, second});
        if (link != null) {
            store.delete(intersect, link.id());
        }
    }

    // ------------------------------------------------------------------ bulk actions

    ApiResponse bulk(ApiRequest request, Principal principal, TableDef def, String action) {
        checkWritable(def, "Create");
        JsonNode targets = body(request).get("Targets");
        if (targets == null || !targets.isArray()) {
            throw new ApiError(400, "0x0", "The parameter 'Targets' of the action " + action + " is missing or is not a collection.");
        }
        List<UUID> ids = new ArrayList<>();
        store.transaction(() -> {
            for (JsonNode target : targets) {
                if (!(target instanceof ObjectNode item)) {
                    throw new ApiError(400, "0x0", "Each item of 'Targets' must be an object.");
                }
                String type = item.path("@odata.type").asText(null);
                if (type == null) {
                    throw new ApiError(400, PAYLOAD, "Error identified in Payload provided by the user for Entity :'"
                            + def.entitySetName + "'. The '@odata.type' annotation is required for every item of Targets.");
                }
                String expected = "Microsoft.Dynamics.CRM." + def.logicalName;
                if (!type.replaceFirst("^#", "").equals(expected)) {
                    throw new ApiError(400, PAYLOAD, "The type '" + type + "' of an item of Targets does not match the entity set "
                            + def.entitySetName + " ('" + expected + "').");
                }
                ids.add(bulkItem(request, principal, def, item, action));
            }
            return null;
        });
        if (action.equals("CreateMultiple")) {
            String context = ctx.serviceRoot(request.version) + "$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse";
            return ApiResponse.json(200, g -> {
                g.writeStartObject();
                g.writeStringField("@odata.context", context);
                g.writeArrayFieldStart("Ids");
                for (UUID id : ids) {
                    g.writeString(id.toString());
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        }
        return ApiResponse.noContent();
    }

    private UUID bulkItem(ApiRequest request, Principal principal, TableDef def, ObjectNode item, String action) {
        Table table = store.table(def.logicalName);
        ObjectNode body = item.deepCopy();
        String odataId = body.has("@odata.id") ? body.remove("@odata.id").asText() : null;
        switch (action) {
            case "CreateMultiple": {
                Security.require(principal, def, "Create");
                return insert(principal, def, parse(request, principal, def, body, true), null, null);
            }
            case "UpdateMultiple": {
                Security.require(principal, def, "Write");
                UUID id = body.hasNonNull(def.primaryId) ? parseId(def, body.get(def.primaryId).asText()) : null;
                Table.Row row = id != null ? table.get(id) : odataId != null ? locateUrl(request, def, odataId) : null;
                if (row == null) {
                    throw new ApiError(404, "0x80040217", def.schemaName + " With Ids = " + (id != null ? id : odataId) + " Do Not Exist");
                }
                update(principal, def, row, parse(request, principal, def, body, false));
                return row.id();
            }
            default: {
                UUID id = body.hasNonNull(def.primaryId) ? parseId(def, body.get(def.primaryId).asText()) : null;
                Map<String, String> alternate = null;
                Table.Row row = null;
                if (id != null) {
                    row = table.get(id);
                } else if (odataId != null) {
                    Target t = target(request, odataId, def.logicalName);
                    if (t.alternate != null) {
                        alternate = t.alternate;
                        row = findAlternate(table, alternate);
                    } else {
                        id = t.id;
                        row = table.get(id);
                    }
                }
                if (row == null) {
                    Security.require(principal, def, "Create");
                    return insert(principal, def, parse(request, principal, def, body, true), id, alternate);
                }
                Security.require(principal, def, "Write");
                update(principal, def, row, parse(request, principal, def, body, false));
                return row.id();
            }
        }
    }

    private Table.Row locateUrl(ApiRequest request, TableDef def, String url) {
        Target t = target(request, url, def.logicalName);
        Table table = store.table(def.logicalName);
        return t.alternate != null ? findAlternate(table, t.alternate) : table.get(t.id);
    }

    // ------------------------------------------------------------------ core

    private static void checkWritable(TableDef def, String message) {
        if (!def.writable) {
            throw new ApiError(405, "0x80040315", "The '" + message + "' method does not support entities of type '" + def.logicalName
                    + "' in the emulator, which writes account, contact, dvb_project, email (with its activity parties) and their N:N relationships only.");
        }
    }

    static ObjectNode body(ApiRequest request) {
        if (request.body.length == 0) {
            return Jwt.JSON.createObjectNode();
        }
        try {
            JsonNode node = Jwt.JSON.readTree(request.body);
            if (!(node instanceof ObjectNode object)) {
                throw new ApiError(400, "0x0", "The request body must be a JSON object.");
            }
            return object;
        } catch (java.io.IOException e) {
            throw new ApiError(400, "0x0", "The request body is not valid JSON: " + e.getMessage());
        }
    }

    /** Reads a body into column values, checking names, types, limits and what may be written. */
    private Changes parse(ApiRequest request, Principal principal, TableDef def, ObjectNode body, boolean create) {
        Changes changes = new Changes();
        Map<String, Target> binds = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode node = e.getValue();
            if (name.endsWith("@odata.bind")) {
                String navName = name.substring(0, name.length() - "@odata.bind".length());
                TableDef.Navigation nav = def.navigations.get(navName);
                if (nav == null) {
                    throw new ApiError(400, PAYLOAD, "Error identified in Payload provided by the user for Entity :'" + def.entitySetName
                            + "'  ---->  InnerException : Microsoft.OData.ODataException: An undeclared property '" + navName
                            + "' which only has property annotations in the payload but no property value was found in the payload."
                            + " In OData, only declared navigation properties and declared named streams can be represented as"
                            + " properties without values.");
                }
                ColumnDef c = nav.column();
                checkWritable(c, create, def);
                if (node.isNull()) {
                    changes.values.put(c, null);
                    continue;
                }
                if (!node.isTextual()) {
                    throw new ApiError(400, "0x0", "The value of '" + name + "' must be the URL of a record.");
                }
                Target target = target(request, node.asText(), nav.target());
                if (binds.containsKey(c.logicalName) && c.type == AttrType.CUSTOMER) {
                    throw new ApiError(400, "0x80040508", "You can either specify a contacts parent contact or its account, but not both.");
                }
                binds.put(c.logicalName, target);
                setLookup(principal, def, changes, nav, target);
                continue;
            }
            if (name.startsWith("@") || name.contains("@")) {
                continue; // instance annotations (@odata.type, @odata.etag, property@OData.Community...) are ignored
            }
            ColumnDef c = def.byProperty.get(name);
            if (c == null) {
                throw new ApiError(400, "0x0", "An error occurred while validating input parameters: Microsoft.Crm.CrmException:"
                        + " Invalid property '" + name + "' was found in entity 'Microsoft.Dynamics.CRM." + def.logicalName + "'.");
            }
            if (c.type.isLookup()) {
                throw new ApiError(400, "0x0", "CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
            }
            if (c.primaryId) {
                if (node.isNull()) {
                    continue;
                }
                changes.id = parseId(def, node.asText());
                continue;
            }
            checkWritable(c, create, def);
            Object value;
            try {
                value = Values.fromJson(c, node);
            } catch (IllegalArgumentException ex) {
                throw new ApiError(400, "0x0", ex.getMessage());
            }
            String invalid = Values.validate(c, value, def.logicalName);
            if (invalid != null) {
                throw new ApiError(400, "0x80044331", invalid);
            }
            changes.values.put(c, value);
        }
        NoteColumns.derive(def, changes.values);
        return changes;
    }

    private static UUID parseId(TableDef def, String text) {
        try {
            return Guids.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "0x0", "Cannot convert the literal '" + text + "' to the expected type 'Edm.Guid'.");
        }
    }

    /** Columns that are not valid for create (or update) fail: the emulator is strict where Dataverse may ignore. */
    private static void checkWritable(ColumnDef c, boolean create, TableDef def) {
        boolean allowed = create ? c.validForCreate : c.validForUpdate;
        if (!allowed) {
            throw new ApiError(400, PAYLOAD, "Error identified in Payload provided by the user for Entity :'" + def.entitySetName
                    + "'. The attribute '" + c.logicalName + "' of entity '" + def.logicalName + "' is not valid for "
                    + (create ? "create" : "update") + " (IsValidFor" + (create ? "Create" : "Update") + " is false).");
        }
    }

    /** A row an @odata.bind or @odata.id points to. */
    private record Target(TableDef def, UUID id, Map<String, String> alternate) {
        Target(TableDef def, UUID id) {
            this(def, id, null);
        }
    }

    /**
     * Resolves "/accounts(id)", "accounts(id)", an absolute URL, an alternate key, or a change set
     * reference "$1".
     */
    private Target target(ApiRequest request, String reference, String expectedTable) {
        String url = reference.trim();
        if (url.startsWith("$")) {
            Map<String, String> ids = request.contentIds;
            String resolved = ids == null ? null : ids.get(url);
            if (resolved == null) {
                throw new ApiError(400, "0x0", "Content-ID Reference: '" + url + "' does not exist in the batch context.");
            }
            url = resolved;
        }
        int api = url.indexOf("/api/data/");
        if (api >= 0) {
            url = url.substring(url.indexOf('/', api + "/api/data/".length()) + 1);
        }
        while (url.startsWith("/")) {
            url = url.substring(1);
        }
        ResourcePath path = ResourcePath.parse(url);
        ResourcePath.Segment segment = path.get(0);
        TableDef def = Schema.INSTANCE.bySet(segment.name());
        if (def == null || segment.key() == null || path.size() != 1) {
            throw new ApiError(400, "0x0", "The URL '" + reference + "' does not identify a record.");
        }
        if (expectedTable != null && !expectedTable.equals(def.logicalName)) {
            throw new ApiError(400, "0x0", "The URL '" + reference + "' is a " + def.logicalName + " record where a "
                    + expectedTable + " record is expected.");
        }
        UUID id = Reads.keyToId(def, segment.key());
        return id != null ? new Target(def, id) : new Target(def, null, ResourcePath.keyValues(segment.key()));
    }

    private Table.Row existing(Target target) {
        Table table = store.table(target.def.logicalName);
        Table.Row row = target.alternate != null ? findAlternate(table, target.alternate) : table.get(target.id);
        if (row == null) {
            throw ApiError.doesNotExist(target.def.logicalName, target.id != null ? target.id : alternateText(target.alternate));
        }
        return row;
    }

    /** Sets a lookup from a bind: the target must exist; Append on this table, AppendTo on the target's. */
    private void setLookup(Principal principal, TableDef def, Changes changes, TableDef.Navigation nav, Target target) {
        ColumnDef c = nav.column();
        String targetTable = target.def.logicalName;
        if (!c.targets.contains(targetTable)) {
            throw new ApiError(400, "0x0", "The navigation property '" + nav.name() + "' of " + def.logicalName
                    + " cannot refer to a " + targetTable + " record.");
        }
        UUID id = existing(target).id();
        Security.require(principal, def, "Append");
        Security.require(principal, target.def, "AppendTo");
        changes.values.put(c, c.storage == AttrType.Storage.REF ? new Ref(targetTable, id) : id);
    }

    private static Table.Row findAlternate(Table table, Map<String, String> alternate) {
        KeyIndex index = Reads.alternateKey(table, alternate.keySet());
        Object[] key = new Object[index.columnNames().size()];
        for (int i = 0; i < key.length; i++) {
            String column = index.columnNames().get(i);
            key[i] = Reads.keyLiteral(table.def.column(column), alternate.get(column));
        }
        return table.findByKey(index, key);
    }

    private static String alternateText(Map<String, String> alternate) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : alternate.entrySet()) {
            b.append(b.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** Inserts a new row (write lock held): defaults, audit columns, key checks. */
    private UUID insert(Principal principal, TableDef def, Changes changes, UUID urlId, Map<String, String> alternate) {
        Table table = store.table(def.logicalName);
        UUID id = urlId != null ? urlId : changes.id != null ? changes.id : UUID.randomUUID();
        if (table.get(id) != null) {
            throw new ApiError(412, "0x80040237", "Cannot insert duplicate key.");
        }
        RowValues v = new RowValues(def);
        for (Map.Entry<ColumnDef, Object> e : changes.values.entrySet()) {
            v.values[e.getKey().storageIndex] = e.getValue();
        }
        if (alternate != null) {
            for (Map.Entry<String, String> e : alternate.entrySet()) {
                ColumnDef c = def.column(e.getKey());
                v.values[c.storageIndex] = Reads.keyLiteral(c, e.getValue());
            }
        }
        Instant now = ctx.clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (def.userOwned()) {
            if (v.get("ownerid") == null) {
                v.set("ownerid", new Ref("systemuser", principal.systemUserId));
            }
            v.set("owningbusinessunit", ownerBusinessUnit((Ref) v.get("ownerid"), principal));
            if (v.has("statecode") && v.get("statecode") == null) {
                Integer status = (Integer) v.get("statuscode");
                v.set("statecode", status == null ? 0 : def.column("statuscode").statusState.getOrDefault(status, 0));
            }
            if (v.has("statuscode") && v.get("statuscode") == null) {
                v.set("statuscode", ((Integer) v.get("statecode")) == 1 ? 2 : 1);
            }
        }
        if (def.column("transactioncurrencyid") != null) {
            if (v.get("transactioncurrencyid") == null) {
                v.set("transactioncurrencyid", DirectoryRows.USD);
            }
            v.set("exchangerate", exchangeRate((UUID) v.get("transactioncurrencyid")));
        }
        computed(def, v);
        // as in Dataverse: a given overriddencreatedon becomes createdon, and overriddencreatedon
        // then records when the row was really created (migrated)
        Object overridden = v.has("overriddencreatedon") ? v.get("overriddencreatedon") : null;
        v.set("createdon", overridden instanceof Instant given ? given : now);
        if (overridden != null) {
            v.set("overriddencreatedon", now);
        }
        v.set("modifiedon", now).set("createdby", principal.systemUserId).set("modifiedby", principal.systemUserId);
        checkKeys(table, id, v.values);
        store.put(table, id, table.codec.encode(v.values));
        return id;
    }

    /** Applies changes to an existing row (write lock held): privileges, depth, audit columns, keys. */
    private void update(Principal principal, TableDef def, Table.Row row, Changes changes) {
        PrivilegeDepth depth = Security.require(principal, def, "Write");
        Table table = store.table(def.logicalName);
        Object[] before = table.values(row);
        if (!Security.reaches(principal, depth, def, before)) {
            throw Security.noAccess(principal, def, row.id(), "WriteAccess");
        }
        RowValues v = new RowValues(def, before);
        for (Map.Entry<ColumnDef, Object> e : changes.values.entrySet()) {
            v.values[e.getKey().storageIndex] = e.getValue();
        }
        if (def.userOwned()) {
            Object owner = v.get("ownerid");
            if (owner == null) {
                throw new ApiError(400, "0x80040203", "Attribute 'ownerid' cannot be set to NULL.");
            }
            if (!Objects.equals(owner, before[def.column("ownerid").storageIndex])) {
                Security.require(principal, def, "Assign");
                v.set("owningbusinessunit", ownerBusinessUnit((Ref) owner, principal));
            }
            if (changes.values.containsKey(def.column("statuscode")) && !changes.values.containsKey(def.column("statecode"))
                    && v.get("statuscode") != null) {
                v.set("statecode", def.column("statuscode").statusState.getOrDefault((Integer) v.get("statuscode"), 0));
            }
        }
        if (def.column("transactioncurrencyid") != null && v.get("transactioncurrencyid") != null) {
            v.set("exchangerate", exchangeRate((UUID) v.get("transactioncurrencyid")));
        }
        computed(def, v);
        v.set("modifiedon", ctx.clock.instant().truncatedTo(ChronoUnit.SECONDS)).set("modifiedby", principal.systemUserId);
        checkKeys(table, row.id(), v.values);
        store.put(table, row.id(), table.codec.encode(v.values));
    }

    private UUID ownerBusinessUnit(Ref owner, Principal principal) {
        if (owner == null) {
            return principal.businessUnitId;
        }
        Table table = store.table(owner.table());
        Table.Row row = table.get(owner.id());
        if (row == null) {
            return principal.businessUnitId;
        }
        Object bu = table.values(row)[table.def.column("businessunitid").storageIndex];
        return bu instanceof UUID u ? u : principal.businessUnitId;
    }

    private BigDecimal exchangeRate(UUID currency) {
        Table table = store.table("transactioncurrency");
        Table.Row row = table.get(currency);
        if (row == null) {
            throw ApiError.doesNotExist("transactioncurrency", currency);
        }
        Object rate = table.values(row)[table.def.column("exchangerate").storageIndex];
        return rate instanceof BigDecimal d ? d : new BigDecimal("1.0000000000");
    }

    /** Computed columns: fullname of contact and systemuser. */
    private static void computed(TableDef def, RowValues v) {
        if (def.column("fullname") != null && def.column("firstname") != null && def.column("lastname") != null) {
            String first = (String) v.get("firstname");
            String last = (String) v.get("lastname");
            String full = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
            v.set("fullname", full.isEmpty() ? null : full);
        }
    }

    /** Alternate keys must stay unique: 412 0x80060892. */
    private static void checkKeys(Table table, UUID id, Object[] values) {
        for (int i = 0; i < table.def.keys.size(); i++) {
            TableDef.KeyDef key = table.def.keys.get(i);
            KeyIndex index = table.keyIndexes.get(i);
            Object[] keyValues = index.keyOf(values);
            if (keyValues == null) {
                continue;
            }
            Table.Row other = table.findByKey(index, keyValues);
            if (other != null && !other.id().equals(id)) {
                throw new ApiError(412, "0x80060892", "Entity Key " + key.schemaName() + " violated. A record with the same value for "
                        + String.join(",", key.columns()) + " already exists. A duplicate record cannot be created. Select one or"
                        + " more unique values and try again.");
            }
        }
    }

    /** Deletes a row with Dataverse's cascades: parental children deleted, other lookups removed, N:N links removed. */
    private void deleteCascading(TableDef def, UUID id, Principal principal) {
        Table table = store.table(def.logicalName);
        if (store.delete(table, id) == null) {
            return;
        }
        for (RelationshipDef r : def.oneToMany) {
            TableDef child = Schema.INSTANCE.table(r.referencingEntity);
            Table childTable = store.table(child.logicalName);
            ColumnDef lookup = child.column(r.referencingAttribute);
            if (lookup == null || !lookup.stored()) {
                continue;
            }
            List<Table.Row> referencing = new ArrayList<>();
            childTable.scan(true, 0, 0, (hi, lo, data, version) -> {
                Object[] values = childTable.codec.decode(data);
                if (id.equals(Values.uuidOrNull(values[lookup.storageIndex]))) {
                    referencing.add(new Table.Row(Guids.fromKey(hi, lo), data, version));
                }
                return true;
            });
            for (Table.Row childRow : referencing) {
                if ("Cascade".equals(r.cascadeDelete)) {
                    deleteCascading(child, childRow.id(), principal);
                } else {
                    Object[] values = childTable.codec.decode(childRow.data());
                    values[lookup.storageIndex] = null;
                    RowValues v = new RowValues(child, values);
                    v.set("modifiedon", ctx.clock.instant().truncatedTo(ChronoUnit.SECONDS)).set("modifiedby", principal.systemUserId);
                    store.put(childTable, childRow.id(), childTable.codec.encode(v.values));
                }
            }
        }
        for (RelationshipDef r : def.manyToMany) {
            Table intersect = store.table(r.intersectEntity);
            List<UUID> links = new ArrayList<>();
            ColumnDef first = intersect.def.column(r.entity1IntersectAttribute);
            ColumnDef second = intersect.def.column(r.entity2IntersectAttribute);
            intersect.scan(true, 0, 0, (hi, lo, data, version) -> {
                Object[] values = intersect.codec.decode(data);
                if ((r.entity1.equals(def.logicalName) && id.equals(values[first.storageIndex]))
                        || (r.entity2.equals(def.logicalName) && id.equals(values[second.storageIndex]))) {
                    links.add(Guids.fromKey(hi, lo));
                }
                return true;
            });
            for (UUID link : links) {
                store.delete(intersect, link);
            }
        }
    }

    /** 204 (+ OData-EntityId), or with Prefer: return=representation the row (201 created, 200 updated). */
    private ApiResponse written(ApiRequest request, TableDef def, UUID id, boolean created, int representationStatus) {
        String entityId = ctx.serviceRoot(request.version) + def.entitySetName + "(" + id + ")";
        Map<String, String> prefs = request.preferences();
        if (!"representation".equalsIgnoreCase(prefs.get("return"))) {
            ApiResponse response = ApiResponse.noContent();
            response.setHeader("OData-EntityId", entityId);
            return response;
        }
        TableQuery query = TableQuery.parse(request, def);
        Annotations annotations = Annotations.parse(prefs.get("odata.include-annotations"));
        Table table = store.table(def.logicalName);
        Table.Row row = store.read(() -> table.get(id));
        if (row == null) { // deleted by another request meanwhile
            ApiResponse response = ApiResponse.noContent();
            response.setHeader("OData-EntityId", entityId);
            return response;
        }
        RowJson json = new RowJson(def, query.columns(), annotations, reads.names());
        String context = ctx.serviceRoot(request.version) + "$metadata#" + def.entitySetName
                + (query.selectText != null ? "(" + query.selectText + ")" : "") + "/$entity";
        ApiResponse response = ApiResponse.json(created ? 201 : representationStatus,
                g -> json.write(g, id, table.codec.decode(row.data()), row.version(), context));
        response.header("Preference-Applied", "return=representation");
        response.setHeader("ETag", "W/\"" + row.version() + "\"");
        if (created) {
            response.setHeader("Location", entityId);
        }
        return response;
    }

    static boolean sameBytes(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
