package org.dataversebackup.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A security role: privileges by name ({@code prvReadAccount}, compared case-insensitively) with
 * their depth. Add to the emulator with {@link EmulatorState#addRole(EmulatorRole)}.
 */
public final class EmulatorRole {
    private final UUID id;
    private final String name;
    private UUID businessUnitId = UUID.fromString(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID);
    private final Map<String, PrivilegeDepth> privileges = new LinkedHashMap<>();

    public EmulatorRole(UUID id, String name) {
        this.id = id;
        this.name = name;
    }

    public static EmulatorRole named(String name) {
        return new EmulatorRole(UUID.randomUUID(), name);
    }

    /** Grants a privilege ({@code prvCreateAccount}) at a depth. */
    public EmulatorRole grant(String privilegeName, PrivilegeDepth depth) {
        privileges.put(privilegeName.toLowerCase(Locale.ROOT), depth);
        return this;
    }

    /** Grants every privilege of the emulator's tables at Global depth (as System Administrator). */
    public EmulatorRole grantAll() {
        for (String privilege : Privileges.allPrivilegeNames()) {
            grant(privilege, PrivilegeDepth.GLOBAL);
        }
        return this;
    }

    /** Grants the verbs (Create, Read, Write, Delete, Append, AppendTo, Assign, Share) on a table at a depth. */
    public EmulatorRole grantTable(String tableLogicalName, PrivilegeDepth depth, String... verbs) {
        for (String verb : verbs) {
            grant(Privileges.privilegeName(verb, tableLogicalName), depth);
        }
        return this;
    }

    public EmulatorRole revoke(String privilegeName) {
        privileges.remove(privilegeName.toLowerCase(Locale.ROOT));
        return this;
    }

    public EmulatorRole businessUnit(UUID businessUnitId) {
        this.businessUnitId = businessUnitId;
        return this;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public UUID businessUnitId() {
        return businessUnitId;
    }

    /** Privileges by lower-case name. */
    public Map<String, PrivilegeDepth> privileges() {
        return Collections.unmodifiableMap(privileges);
    }
}
