package org.dataversebackup.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the check needs to know of a table from its EntityDefinition, above all the names of its
 * privileges. Those come from the definition's {@code Privileges} (SecurityPrivilegeMetadata: Name
 * and PrivilegeType) when the environment returns them; otherwise they follow Microsoft's naming
 * convention "prv" + verb + the table's SchemaName ({@code prvReadAccount}, {@code prvReaddvb_Project}),
 * with the two exceptions the platform has always had: the user table's privileges are named after
 * {@code User} ({@code prvReadUser}) and activity tables share the {@code Activity} privileges.
 * Names are compared case-insensitively.
 *
 * @param declaredPrivileges the table's privileges by verb from the metadata, or null when the
 *                           environment did not return {@code Privileges}
 */
public record TableFacts(String logicalName, String schemaName, String entitySetName, boolean intersect,
        boolean privateTable, boolean activity, boolean changeTracking, Map<PrivilegeVerb, String> declaredPrivileges) {

    static TableFacts from(JsonNode definition) {
        Map<PrivilegeVerb, String> declared = null;
        JsonNode privileges = definition.get("Privileges");
        if (privileges != null && privileges.isArray()) {
            declared = new EnumMap<>(PrivilegeVerb.class);
            for (JsonNode privilege : privileges) {
                PrivilegeVerb verb = PrivilegeVerb.fromPrivilegeType(privilege.get("PrivilegeType"));
                String name = privilege.path("Name").asText("");
                if (verb != null && !name.isEmpty()) {
                    declared.put(verb, name);
                }
            }
        }
        String logicalName = definition.path("LogicalName").asText();
        return new TableFacts(logicalName, definition.path("SchemaName").asText(""),
                definition.path("EntitySetName").asText(""), definition.path("IsIntersect").asBoolean(false),
                definition.path("IsPrivate").asBoolean(false), definition.path("IsActivity").asBoolean(false),
                definition.path("ChangeTrackingEnabled").asBoolean(false), declared);
    }

    /** The Web API can read it: it has an entity set. */
    public boolean hasEntitySet() {
        return !entitySetName.isEmpty();
    }

    /**
     * The names the table's privilege for a verb may have, the most likely first; empty when the
     * metadata says the table has no such privilege (nothing to hold).
     */
    public List<String> privilegeNames(PrivilegeVerb verb) {
        if (declaredPrivileges != null) {
            String name = declaredPrivileges.get(verb);
            return name == null ? List.of() : List.of(name);
        }
        List<String> names = new ArrayList<>();
        if ("systemuser".equals(logicalName)) {
            names.add("prv" + verb.webName() + "User");
        }
        if (activity) {
            names.add("prv" + verb.webName() + "Activity");
        }
        names.add("prv" + verb.webName() + (schemaName.isEmpty() ? logicalName : schemaName));
        return names;
    }

    /** The name shown to users: the most likely one. */
    public String privilegeName(PrivilegeVerb verb) {
        List<String> names = privilegeNames(verb);
        return names.isEmpty() ? "prv" + verb.webName() + (schemaName.isEmpty() ? logicalName : schemaName) : names.get(0);
    }

    /** An intersect (N:N) table without privileges of its own: access follows its two tables. */
    boolean withoutOwnPrivileges() {
        return declaredPrivileges != null ? declaredPrivileges.isEmpty() : intersect;
    }
}
