package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bound functions of systemusers: RetrieveUserPrivileges, RetrieveUserSetOfPrivilegesByNames and
 * RetrieveUserPrivilegeByPrivilegeName (privileges include those the user holds through teams),
 * RetrievePrincipalAccess; and the unbound RetrieveTotalRecordCount.
 */
final class Functions {
    private final EmulatorContext ctx;

    Functions(EmulatorContext ctx) {
        this.ctx = ctx;
    }

    ApiResponse systemUserFunction(ApiRequest request, Principal caller, UUID userId, ResourcePath.Segment function) {
        if (!"GET".equals(request.method)) {
            throw ApiError.noResource(ctx.serviceRoot(request.version) + request.path);
        }
        Security.require(caller, Schema.INSTANCE.table("systemuser"), "Read");
        String name = function.name().substring("Microsoft.Dynamics.CRM.".length());
        Principal target = principal(userId);
        List<String> wanted;
        switch (name) {
            case "RetrieveUserPrivileges" -> wanted = null;
            case "RetrieveUserSetOfPrivilegesByNames" -> wanted = stringList(parameter(request, function.key(), "PrivilegeNames"));
            case "RetrieveUserPrivilegeByPrivilegeName" -> wanted = List.of(ResourcePath.unquote(parameter(request, function.key(), "PrivilegeName")));
            case "RetrievePrincipalAccess" -> {
                return principalAccess(request, target, parameter(request, function.key(), "Target"));
            }
            default -> throw ApiError.segmentNotFound(function.name());
        }
        List<String[]> privileges = new ArrayList<>();
        for (Map.Entry<String, PrivilegeDepth> p : target.privileges.entrySet()) {
            String canonical = Privileges.canonical(p.getKey());
            if (wanted != null && wanted.stream().noneMatch(w -> w.equalsIgnoreCase(canonical))) {
                continue;
            }
            UUID role = target.privilegeSource.get(p.getKey());
            UUID bu = ctx.state.role(role).map(EmulatorRole::businessUnitId).orElse(target.businessUnitId);
            privileges.add(new String[] {p.getValue().webApiName(), Privileges.privilegeId(canonical).toString(), bu.toString(), canonical});
        }
        String context = ctx.serviceRoot(request.version) + "$metadata#Microsoft.Dynamics.CRM." + name + "Response";
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context);
            g.writeArrayFieldStart("RolePrivileges");
            for (String[] p : privileges) {
                g.writeStartObject();
                g.writeStringField("Depth", p[0]);
                g.writeStringField("PrivilegeId", p[1]);
                g.writeStringField("BusinessUnitId", p[2]);
                g.writeStringField("PrivilegeName", p[3]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * {@code RetrieveTotalRecordCount(EntityNames=@p1)?@p1=["account","contact"]}: the number of
     * rows of each table, in the EntityRecordCountCollection complex type (Count, IsReadOnly,
     * Keys, Values). Dataverse answers from a snapshot of the last 24 hours; the emulator counts now.
     */
    ApiResponse retrieveTotalRecordCount(ApiRequest request, Principal caller, ResourcePath.Segment function) {
        if (!"GET".equals(request.method)) {
            throw ApiError.noResource(ctx.serviceRoot(request.version) + request.path);
        }
        List<String> names = stringList(parameter(request, function.key(), "EntityNames"));
        List<Integer> counts = new ArrayList<>();
        for (String name : names) {
            TableDef def = Schema.INSTANCE.table(name);
            if (def == null) {
                throw new ApiError(400, "0x80041102", "The entity with a name = '" + name + "' with namemapping = 'Logical'"
                        + " was not found in the MetadataCache.");
            }
            Security.require(caller, def, "Read");
            counts.add(ctx.state.count(name));
        }
        String context = ctx.serviceRoot(request.version) + "$metadata#Microsoft.Dynamics.CRM.RetrieveTotalRecordCountResponse";
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context);
            g.writeObjectFieldStart("EntityRecordCountCollection");
            g.writeNumberField("Count", names.size());
            g.writeBooleanField("IsReadOnly", false);
            g.writeArrayFieldStart("Keys");
            for (String name : names) {
                g.writeString(name);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Values");
            for (int count : counts) {
                g.writeNumber((long) count);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** RetrievePrincipalAccess(Target=@tid)?@tid={'@odata.id':'accounts(id)'} */
    private ApiResponse principalAccess(ApiRequest request, Principal target, String reference) {
        String url;
        try {
            JsonNode node = Jwt.JSON.readTree(reference.replace('\'', '"'));
            url = node.path("@odata.id").asText(null);
        } catch (Exception e) {
            url = null;
        }
        if (url == null) {
            throw new ApiError(400, "0x0", "The parameter 'Target' must be an object with '@odata.id', such as {'@odata.id':'accounts(<id>)'}.");
        }
        int api = url.indexOf("/api/data/");
        if (api >= 0) {
            url = url.substring(url.indexOf('/', api + "/api/data/".length()) + 1);
        }
        ResourcePath path = ResourcePath.parse(url.startsWith("/") ? url.substring(1) : url);
        TableDef def = Schema.INSTANCE.bySet(path.get(0).name());
        if (def == null || path.get(0).key() == null) {
            throw new ApiError(400, "0x0", "The Target '" + reference + "' does not identify a record.");
        }
        Reads reads = new Reads(ctx);
        Table.Row row = reads.locate(def, path.get(0).key());
        Object[] values = ctx.state.store().table(def.logicalName).codec.decode(row.data());
        String rights = Security.accessRights(target, def, values);
        String context = ctx.serviceRoot(request.version) + "$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse";
        return ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context);
            g.writeStringField("AccessRights", rights);
            g.writeEndObject();
        });
    }

    private Principal principal(UUID userId) {
        EmulatorState state = ctx.state;
        var user = state.userBySystemUserId(userId);
        if (user.isPresent()) {
            return Principal.of(state, user.get());
        }
        var app = state.applicationByUserId(userId);
        if (app.isPresent()) {
            return Principal.of(state, app.get());
        }
        Table users = state.store().table("systemuser");
        if (state.store().read(() -> users.get(userId)) == null) {
            throw ApiError.doesNotExist("systemuser", userId);
        }
        // SYSTEM: no roles of its own
        return Principal.of(state, EmulatorUser.named("system").systemUserId(userId));
    }

    /** A function parameter given inline (Name=value) or through an alias (Name=@p with ?@p=value). */
    private static String parameter(ApiRequest request, String inline, String name) {
        Map<String, String> params = ResourcePath.keyValues(inline == null ? "" : inline);
        String value = params.get(name);
        if (value == null) {
            throw new ApiError(400, "0x0", "The parameter '" + name + "' of the function is missing.");
        }
        if (value.startsWith("@")) {
            String alias = request.query().get(value);
            if (alias == null) {
                throw new ApiError(400, "0x0", "The parameter alias '" + value + "' has no value in the query string.");
            }
            return alias;
        }
        return value;
    }

    /** ["a","b"] or ['a','b']. */
    private static List<String> stringList(String text) {
        String t = text.trim();
        try {
            JsonNode node = Jwt.JSON.readTree(t.startsWith("['") || t.contains("'") ? t.replace('\'', '"') : t);
            List<String> result = new ArrayList<>();
            for (JsonNode n : node) {
                result.add(n.asText());
            }
            return result;
        } catch (Exception e) {
            throw new ApiError(400, "0x0", "The parameter value '" + text + "' is not a collection of strings.");
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
