package org.dataversebackup.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Dataverse user behind a request (a person's systemuser or an application user), with its
 * effective privileges: its own roles plus the roles of its teams, the deepest depth winning.
 */
final class Principal {
    final UUID systemUserId;
    final UUID businessUnitId;
    final int accessMode;
    final boolean disabled;
    final boolean application;
    final String name;
    final Set<UUID> roleIds;
    final Set<UUID> teamIds;
    /** Effective privileges by lower-case name. */
    final Map<String, PrivilegeDepth> privileges;
    /** Where each privilege comes from (role id), for RetrieveUserPrivileges. */
    final Map<String, UUID> privilegeSource;

    private Principal(UUID systemUserId, UUID businessUnitId, int accessMode, boolean disabled, boolean application,
            String name, Set<UUID> roleIds, Set<UUID> teamIds, Map<String, PrivilegeDepth> privileges,
            Map<String, UUID> privilegeSource) {
        this.systemUserId = systemUserId;
        this.businessUnitId = businessUnitId;
        this.accessMode = accessMode;
        this.disabled = disabled;
        this.application = application;
        this.name = name;
        this.roleIds = roleIds;
        this.teamIds = teamIds;
        this.privileges = privileges;
        this.privilegeSource = privilegeSource;
    }

    static Principal of(EmulatorState state, EmulatorUser user) {
        return build(state, user.systemUserId(), user.businessUnitId(), user.accessMode(), user.disabled(), false,
                user.fullName(), user.roleIds());
    }

    static Principal of(EmulatorState state, EmulatorApp app) {
        return build(state, app.applicationUserId(), app.businessUnitId(), app.applicationUserAccessMode(),
                app.applicationUserDisabled(), true, "# " + app.name(), app.roleIds());
    }

    private static Principal build(EmulatorState state, UUID id, UUID bu, int accessMode, boolean disabled,
            boolean application, String name, Set<UUID> ownRoles) {
        Set<UUID> roleIds = new LinkedHashSet<>(ownRoles);
        Set<UUID> teamIds = new LinkedHashSet<>();
        List<EmulatorTeam> teams = state.teamsOf(id);
        for (EmulatorTeam team : teams) {
            teamIds.add(team.id());
            roleIds.addAll(team.roleIds());
        }
        Map<String, PrivilegeDepth> privileges = new LinkedHashMap<>();
        Map<String, UUID> source = new LinkedHashMap<>();
        for (UUID roleId : roleIds) {
            state.role(roleId).ifPresent(role -> {
                for (Map.Entry<String, PrivilegeDepth> e : role.privileges().entrySet()) {
                    PrivilegeDepth current = privileges.get(e.getKey());
                    if (current == null || e.getValue().ordinal() > current.ordinal()) {
                        privileges.put(e.getKey(), e.getValue());
                        source.put(e.getKey(), role.id());
                    }
                }
            });
        }
        return new Principal(id, bu, accessMode, disabled, application, name, Collections.unmodifiableSet(roleIds),
                Collections.unmodifiableSet(teamIds), Collections.unmodifiableMap(privileges),
                Collections.unmodifiableMap(source));
    }

    PrivilegeDepth depth(String privilegeName) {
        return privileges.get(privilegeName.toLowerCase(Locale.ROOT));
    }

    int roleCount() {
        return roleIds.size();
    }
}
