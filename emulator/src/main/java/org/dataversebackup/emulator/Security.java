package org.dataversebackup.emulator;

import java.util.Set;
import java.util.UUID;

/** Privilege and record access checks, with Dataverse's error codes and messages. */
final class Security {
    private static final Set<String> BUSINESS_TABLES = Set.of("account", "contact", "dvb_project", "annotation", "email",
            "activityparty");

    private Security() {
    }

    /** The depth of a privilege the caller holds, or a 403 0x80040220 naming the missing privilege. */
    static PrivilegeDepth require(Principal principal, TableDef def, String verb) {
        TableDef checked = def.intersect ? Schema.INSTANCE.table(intersectOwner(def)) : def;
        String name = Privileges.privilegeName(verb, checked.logicalName);
        PrivilegeDepth depth = principal.depth(name);
        boolean blockedByAccessMode = (principal.accessMode == EmulatorIdentities.ACCESS_MODE_READ && !"Read".equals(verb))
                || (principal.accessMode == EmulatorIdentities.ACCESS_MODE_ADMINISTRATIVE && BUSINESS_TABLES.contains(checked.logicalName));
        if (depth == null || blockedByAccessMode) {
            throw missing(principal, checked, verb);
        }
        return depth;
    }

    /** An organization-wide privilege (prvBypassCustomPlugins...), or a 403 naming it. */
    static void requireNamed(Principal principal, String privilege) {
        if (principal.depth(privilege) == null) {
            throw new ApiError(403, "0x80040220", "Principal user (Id=" + principal.systemUserId + ", type=8, roleCount="
                    + principal.roleCount() + ", privilegeCount=" + principal.privileges.size() + ", accessMode="
                    + principal.accessMode + "), is missing " + privilege + " privilege (Id=" + Privileges.privilegeId(privilege)
                    + ") on OTC=0 for entity ''. context.Caller=" + principal.systemUserId);
        }
    }

    /** The documented optional parameters that bypass custom logic need their privileges. */
    static void checkBypassHeaders(ApiRequest request, Principal principal) {
        String plugins = request.header("MSCRM.BypassCustomPluginExecution");
        if (plugins != null && plugins.trim().equalsIgnoreCase("true")) {
            requireNamed(principal, "prvBypassCustomPlugins");
        }
        String logic = request.header("MSCRM.BypassBusinessLogicExecution");
        if (logic != null) {
            for (String value : logic.split(",")) {
                String v = value.trim();
                if (!v.equals("CustomSync") && !v.equals("CustomAsync")) {
                    throw new ApiError(400, "0x80040203", "The value '" + logic + "' of BypassBusinessLogicExecution is not"
                            + " valid; use CustomSync, CustomAsync or CustomSync,CustomAsync.");
                }
            }
            requireNamed(principal, "prvBypassCustomBusinessLogic");
        }
    }

    /** AccessRights of a principal on a record, as .NET names the flags ("ReadAccess, WriteAccess, ..."). */
    static String accessRights(Principal principal, TableDef def, Object[] values) {
        String[][] rights = {{"Read", "ReadAccess"}, {"Write", "WriteAccess"}, {"Append", "AppendAccess"},
                {"AppendTo", "AppendToAccess"}, {"Create", "CreateAccess"}, {"Delete", "DeleteAccess"},
                {"Share", "ShareAccess"}, {"Assign", "AssignAccess"}};
        StringBuilder b = new StringBuilder();
        for (String[] right : rights) {
            PrivilegeDepth depth;
            try {
                depth = require(principal, def, right[0]);
            } catch (ApiError e) {
                continue;
            }
            if (reaches(principal, depth, def, values)) {
                b.append(b.length() == 0 ? "" : ", ").append(right[1]);
            }
        }
        return b.length() == 0 ? "None" : b.toString();
    }

    static ApiError missing(Principal principal, TableDef def, String verb) {
        String name = "prv" + verb + Privileges.entityPart(def.logicalName).toLowerCase(java.util.Locale.ROOT);
        return new ApiError(403, "0x80040220", "Principal user (Id=" + principal.systemUserId + ", type=8, roleCount="
                + principal.roleCount() + ", privilegeCount=" + principal.privileges.size() + ", accessMode="
                + principal.accessMode + "), is missing " + name + " privilege (Id="
                + Privileges.privilegeId(Privileges.privilegeName(verb, def.logicalName)) + ") on OTC=" + def.objectTypeCode
                + " for entity '" + def.logicalName + "'. context.Caller=" + principal.systemUserId);
    }

    /** 403 0x80048306: the privilege is held, but not at a depth reaching this record. */
    static ApiError noAccess(Principal principal, TableDef def, UUID id, String right) {
        return new ApiError(403, "0x80048306", "Principal with id " + principal.systemUserId + " does not have " + right
                + " right(s) for record with id " + id + " of entity " + def.logicalName + ".");
    }

    /** Whether a privilege at this depth reaches a row (user-owned tables; others are organization wide). */
    static boolean reaches(Principal principal, PrivilegeDepth depth, TableDef def, Object[] values) {
        if (depth == PrivilegeDepth.GLOBAL || !def.userOwned()) {
            return true;
        }
        if (depth == PrivilegeDepth.BASIC) {
            Object owner = values[def.column("ownerid").storageIndex];
            UUID ownerId = Values.uuidOrNull(owner);
            return ownerId != null && (ownerId.equals(principal.systemUserId) || principal.teamIds.contains(ownerId));
        }
        Object bu = values[def.column("owningbusinessunit").storageIndex];
        return principal.businessUnitId.equals(bu);
    }

    private static String intersectOwner(TableDef intersect) {
        for (RelationshipDef r : Schema.INSTANCE.relationships()) {
            if (r.manyToMany && r.intersectEntity.equals(intersect.logicalName)) {
                return r.entity1;
            }
        }
        return intersect.logicalName;
    }
}
