package org.dataversebackup.emulator;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/** An owner team: its members get the privileges of its roles. Add with {@link EmulatorState#addTeam(EmulatorTeam)}. */
public final class EmulatorTeam {
    private final UUID id;
    private final String name;
    private UUID businessUnitId = UUID.fromString(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID);
    private final Set<UUID> roleIds = new LinkedHashSet<>();
    private final Set<UUID> memberIds = new LinkedHashSet<>();

    public EmulatorTeam(UUID id, String name) {
        this.id = id;
        this.name = name;
    }

    public static EmulatorTeam named(String name) {
        return new EmulatorTeam(UUID.randomUUID(), name);
    }

    public EmulatorTeam role(UUID roleId) {
        roleIds.add(roleId);
        return this;
    }

    /** Adds a member by systemuserid. */
    public EmulatorTeam member(UUID systemUserId) {
        memberIds.add(systemUserId);
        return this;
    }

    public EmulatorTeam businessUnit(UUID businessUnitId) {
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

    public Set<UUID> roleIds() {
        return Collections.unmodifiableSet(roleIds);
    }

    public Set<UUID> memberIds() {
        return Collections.unmodifiableSet(memberIds);
    }
}
