package org.dataversebackup.emulator;

import java.util.UUID;

/** Dispatches a Web API request (below the service root) to its handler. */
final class Router {
    private final EmulatorContext ctx;
    private final Reads reads;
    private final MetadataApi metadata;
    private final Functions functions;
    private final MessageFilters messageFilters;
    private final Writes writes;
    private final Batch batch;
    private final FileColumns files;

    Router(EmulatorContext ctx) {
        this.ctx = ctx;
        this.reads = new Reads(ctx);
        this.metadata = new MetadataApi(ctx);
        this.functions = new Functions(ctx);
        this.messageFilters = new MessageFilters(ctx);
        this.writes = new Writes(ctx, reads);
        this.batch = new Batch(ctx, this::routeOrError);
        this.files = new FileColumns(ctx, reads);
    }

    /** Routes a request, turning errors into error responses (for the parts of a $batch). */
    ApiResponse routeOrError(ApiRequest request, Principal principal) {
        try {
            return route(request, principal);
        } catch (ApiError e) {
            return WebApi.errorResponse(e, request);
        } catch (RuntimeException e) {
            return WebApi.errorResponse(new ApiError(500, "0x80040216", "An unexpected error occurred: " + e), request);
        }
    }

    ApiResponse route(ApiRequest request, Principal principal) {
        String raw = request.path;
        if (request.isWrite()) {
            Security.checkBypassHeaders(request, principal);
        }
        if (raw.isEmpty()) {
            requireGet(request);
            return serviceDocument(request);
        }
        if (raw.equals("$metadata")) {
            requireGet(request);
            // ?annotations=true, or (as documented) the Prefer header asking for the annotations
            Annotations preferred = Annotations.parse(request.preferences().get("odata.include-annotations"));
            boolean annotations = "true".equalsIgnoreCase(request.query().get("annotations"))
                    || preferred.includes(Csdl.CHANGE_TRACKING);
            ApiResponse response = ApiResponse.bytes(200, "application/xml", Csdl.document(annotations));
            if (preferred.any()) {
                response.header("Preference-Applied", "odata.include-annotations=\"" + preferred.raw + "\"");
            }
            return response;
        }
        if (raw.equals("$batch")) {
            return batch.handle(request, principal);
        }
        if (raw.equals("WhoAmI") || raw.equals("WhoAmI()")) {
            requireGet(request);
            return whoAmI(request, principal);
        }
        ResourcePath path = ResourcePath.parse(raw);
        ResourcePath.Segment first = path.get(0);
        if (first.name().equals("EntityDefinitions")) {
            return metadata.entityDefinitions(request, path);
        }
        if (first.name().equals("RelationshipDefinitions")) {
            return metadata.relationshipDefinitions(request, path);
        }
        if (path.size() == 1 && (first.name().equals("RetrieveTotalRecordCount")
                || first.name().equals("Microsoft.Dynamics.CRM.RetrieveTotalRecordCount"))) {
            return functions.retrieveTotalRecordCount(request, principal, first);
        }
        if (path.size() == 1 && first.key() == null) {
            switch (first.name()) {
                case "InitializeFileBlocksUpload":
                    return files.initializeUpload(request, principal);
                case "UploadBlock":
                    return files.uploadBlock(request);
                case "CommitFileBlocksUpload":
                    return files.commitUpload(request);
                default:
                    break;
            }
        }
        if (path.size() == 1 && first.key() == null && first.name().equals("sdkmessagefilters")) {
            return messageFilters.read(request);
        }
        TableDef def = Schema.INSTANCE.bySet(first.name());
        if (def == null) {
            throw ApiError.segmentNotFound(first.name());
        }
        if (first.key() == null) {
            if (path.size() == 1) {
                if ("GET".equals(request.method)) {
                    return reads.collection(request, principal, def, def.entitySetName, Reads.Scope.ALL);
                }
                if ("POST".equals(request.method)) {
                    return writes.create(request, principal, def);
                }
                throw unsupportedMethod(request);
            }
            if (path.size() == 2 && path.get(1).name().equals("$count")) {
                requireGet(request);
                return reads.count(request, principal, def, Reads.Scope.ALL);
            }
            String action = path.get(1).name();
            if (path.size() == 2 && (action.equals("Microsoft.Dynamics.CRM.CreateMultiple")
                    || action.equals("Microsoft.Dynamics.CRM.UpdateMultiple") || action.equals("Microsoft.Dynamics.CRM.UpsertMultiple"))) {
                if (!"POST".equals(request.method)) {
                    throw ApiError.noResource(ctx.serviceRoot(request.version) + request.path);
                }
                return writes.bulk(request, principal, def, action.substring("Microsoft.Dynamics.CRM.".length()));
            }
            throw ApiError.segmentNotFound(path.get(1).name());
        }
        if (path.size() == 1) {
            switch (request.method) {
                case "GET":
                    return reads.single(request, principal, def, first.key());
                case "PATCH":
                    return writes.patch(request, principal, def, first.key());
                case "DELETE":
                    return writes.delete(request, principal, def, first.key());
                default:
                    throw unsupportedMethod(request);
            }
        }
        ResourcePath.Segment second = path.get(1);
        FileColumns.Column fileColumn = second.key() == null ? FileColumns.column(def.logicalName, second.name()) : null;
        if (fileColumn != null) {
            return fileColumn(request, principal, def, first.key(), path, fileColumn);
        }
        if (second.name().startsWith("Microsoft.Dynamics.CRM.") && def.logicalName.equals("systemuser")) {
            UUID id = Reads.keyToId(def, first.key());
            if (id == null) {
                id = reads.locate(def, first.key()).id();
            }
            return functions.systemUserFunction(request, principal, id, second);
        }
        if (path.size() == 2 && def.byProperty.containsKey(second.name()) && second.key() == null) {
            if ("PUT".equals(request.method) || "DELETE".equals(request.method)) {
                return writes.property(request, principal, def, first.key(), second.name());
            }
            requireGet(request);
            return reads.property(request, principal, def, first.key(), second.name());
        }
        if (path.size() == 3 && path.get(2).name().equals("$ref")) {
            return writes.reference(request, principal, def, first.key(), second);
        }
        return navigation(request, principal, def, first.key(), path);
    }

    private ApiResponse fileColumn(ApiRequest request, Principal principal, TableDef def, String key, ResourcePath path,
            FileColumns.Column column) {
        if (path.size() == 3 && path.get(2).name().equals("$value")) {
            requireGet(request);
            return files.download(request, principal, def, key, column);
        }
        if (path.size() == 2 && "PATCH".equals(request.method)) {
            return files.upload(request, principal, def, key, column);
        }
        if (path.size() == 2 && "DELETE".equals(request.method)) {
            return files.delete(principal, def, key, column);
        }
        throw unsupportedMethod(request);
    }

    private ApiResponse navigation(ApiRequest request, Principal principal, TableDef def, String key, ResourcePath path) {
        ResourcePath.Segment nav = path.get(1);
        TableDef.Navigation single = def.navigations.get(nav.name());
        if (single != null && path.size() == 2 && "GET".equals(request.method)) {
            Table.Row row = reads.locate(def, key);
            Security.require(principal, def, "Read");
            Object[] values = ctx.state.store().table(def.logicalName).codec.decode(row.data());
            Object v = values[single.column().storageIndex];
            if (v == null) {
                return ApiResponse.noContent();
            }
            String target = v instanceof Ref r ? r.table() : single.target();
            if (single.target() != null && !single.target().equals(target)) {
                return ApiResponse.noContent();
            }
            TableDef targetDef = Schema.INSTANCE.table(target);
            return reads.single(request, principal, targetDef, Values.uuidOrNull(v).toString());
        }
        RelationshipDef collection = collectionNavigation(def, nav.name());
        if (collection != null && path.size() == 2 && "GET".equals(request.method)) {
            UUID id = reads.locate(def, key).id();
            Security.require(principal, def, "Read");
            String targetTable = collection.manyToMany
                    ? (collection.entity1.equals(def.logicalName) ? collection.entity2 : collection.entity1)
                    : collection.referencingEntity;
            TableDef target = Schema.INSTANCE.table(targetTable);
            return reads.collection(request, principal, target, request.path, reads.relatedScope(def, id, collection, target));
        }
        if (single == null && collection == null) {
            throw ApiError.segmentNotFound(nav.name());
        }
        throw unsupportedMethod(request);
    }

    static RelationshipDef collectionNavigation(TableDef def, String name) {
        for (RelationshipDef r : def.oneToMany) {
            if (r.referencedNavigation.equals(name)) {
                return r;
            }
        }
        for (RelationshipDef r : def.manyToMany) {
            if ((r.entity1.equals(def.logicalName) && r.entity1Navigation.equals(name))
                    || (r.entity2.equals(def.logicalName) && r.entity2Navigation.equals(name))) {
                return r;
            }
        }
        return null;
    }

    private void requireGet(ApiRequest request) {
        if (!"GET".equals(request.method)) {
            throw ApiError.noResource(ctx.serviceRoot(request.version) + request.path);
        }
    }

    private ApiError unsupportedMethod(ApiRequest request) {
        return new ApiError(405, "0x80040315", "The HTTP method " + request.method + " is not supported for '"
                + request.path + "'.");
    }

    private ApiResponse serviceDocument(ApiRequest request) {
        String root = ctx.serviceRoot(request.version);
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", root + "$metadata");
            g.writeArrayFieldStart("value");
            for (TableDef t : Schema.INSTANCE.tables()) {
                g.writeStartObject();
                g.writeStringField("name", t.entitySetName);
                g.writeStringField("kind", "EntitySet");
                g.writeStringField("url", t.entitySetName);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private ApiResponse whoAmI(ApiRequest request, Principal principal) {
        return ApiResponse.json(200, json -> {
            json.writeStartObject();
            json.writeStringField("@odata.context", ctx.serviceRoot(request.version) + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
            json.writeStringField("BusinessUnitId", principal.businessUnitId.toString());
            json.writeStringField("UserId", principal.systemUserId.toString());
            json.writeStringField("OrganizationId", EmulatorIdentities.ORGANIZATION_ID);
            json.writeEndObject();
        });
    }
}
