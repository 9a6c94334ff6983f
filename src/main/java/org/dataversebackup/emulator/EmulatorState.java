package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of an emulator: the directory (Entra ID users and applications), the Dataverse
 * security model (users, teams, roles) and the tables with their rows. Create one with
 * {@link #standard()}, {@link #generate(DataSetSpec)} or {@link #load(java.nio.file.Path)}; every
 * state holds the {@link EmulatorIdentities well-known identities}. Changes made here are seen by
 * the running emulator at once.
 */
public final class EmulatorState {
    private final Map<String, EmulatorUser> usersByUpn = new ConcurrentHashMap<>();
    private final Map<UUID, EmulatorUser> usersBySystemUserId = new ConcurrentHashMap<>();
    private final Map<UUID, EmulatorUser> usersByObjectId = new ConcurrentHashMap<>();
    private final Map<String, EmulatorApp> appsByClientId = new ConcurrentHashMap<>();
    private final Map<UUID, EmulatorRole> roles = new ConcurrentHashMap<>();
    private final Map<UUID, EmulatorTeam> teams = new ConcurrentHashMap<>();
    /** Increments on every change of identities or security, so derived caches know when to refresh. */
    private final AtomicLong securityVersion = new AtomicLong();

    EmulatorState() {
    }

    /** A state with the well-known identities and no business data. */
    public static EmulatorState standard() {
        EmulatorState state = new EmulatorState();
        WellKnown.install(state);
        return state;
    }

    /** A generated data set (with the well-known identities). */
    public static EmulatorState generate(DataSetSpec spec) {
        return standard();
    }

    /** Loads a state written by {@link #save(java.nio.file.Path)}. */
    public static EmulatorState load(java.nio.file.Path file) {
        throw new UnsupportedOperationException("Loading a state from JSON arrives with milestone 2");
    }

    /** Writes the whole state as JSON. */
    public void save(java.nio.file.Path file) {
        throw new UnsupportedOperationException("Saving a state as JSON arrives with milestone 2");
    }

    // ------------------------------------------------------------------ identities

    /** Adds (or replaces, by user principal name) a user and its Dataverse systemuser. */
    public synchronized EmulatorUser addUser(EmulatorUser user) {
        EmulatorUser previous = usersByUpn.put(user.key(), user);
        if (previous != null) {
            usersBySystemUserId.remove(previous.systemUserId());
            usersByObjectId.remove(previous.objectId());
        }
        usersBySystemUserId.put(user.systemUserId(), user);
        usersByObjectId.put(user.objectId(), user);
        changed();
        return user;
    }

    /** Adds (or replaces, by client id) an application registration and its application user. */
    public synchronized EmulatorApp addApplication(EmulatorApp app) {
        appsByClientId.put(app.clientId().toLowerCase(Locale.ROOT), app);
        changed();
        return app;
    }

    public synchronized EmulatorRole addRole(EmulatorRole role) {
        roles.put(role.id(), role);
        changed();
        return role;
    }

    public synchronized EmulatorTeam addTeam(EmulatorTeam team) {
        teams.put(team.id(), team);
        changed();
        return team;
    }

    /** Call after changing a user, app, role or team object that was already added. */
    public void changed() {
        securityVersion.incrementAndGet();
    }

    long securityVersion() {
        return securityVersion.get();
    }

    public Optional<EmulatorUser> user(String userPrincipalName) {
        return Optional.ofNullable(usersByUpn.get(userPrincipalName.toLowerCase(Locale.ROOT)));
    }

    public Optional<EmulatorUser> userBySystemUserId(UUID systemUserId) {
        return Optional.ofNullable(usersBySystemUserId.get(systemUserId));
    }

    Optional<EmulatorUser> userByObjectId(UUID objectId) {
        return Optional.ofNullable(usersByObjectId.get(objectId));
    }

    public Optional<EmulatorApp> application(String clientId) {
        return Optional.ofNullable(appsByClientId.get(clientId.toLowerCase(Locale.ROOT)));
    }

    public Optional<EmulatorRole> role(UUID roleId) {
        return Optional.ofNullable(roles.get(roleId));
    }

    public Optional<EmulatorTeam> team(UUID teamId) {
        return Optional.ofNullable(teams.get(teamId));
    }

    public Collection<EmulatorUser> users() {
        return List.copyOf(usersByUpn.values());
    }

    public Collection<EmulatorApp> applications() {
        return List.copyOf(appsByClientId.values());
    }

    public Collection<EmulatorRole> roles() {
        return List.copyOf(roles.values());
    }

    public Collection<EmulatorTeam> teams() {
        return List.copyOf(teams.values());
    }

    /** Teams the principal (systemuserid) is a member of. */
    List<EmulatorTeam> teamsOf(UUID systemUserId) {
        List<EmulatorTeam> result = new ArrayList<>();
        for (EmulatorTeam team : teams.values()) {
            if (team.memberIds().contains(systemUserId)) {
                result.add(team);
            }
        }
        return result;
    }

    /** The application whose application user has this systemuserid. */
    Optional<EmulatorApp> applicationByUserId(UUID systemUserId) {
        for (EmulatorApp app : appsByClientId.values()) {
            if (systemUserId.equals(app.applicationUserId())) {
                return Optional.of(app);
            }
        }
        return Optional.empty();
    }
}
