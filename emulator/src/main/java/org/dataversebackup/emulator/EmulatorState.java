package org.dataversebackup.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
    private final Store store = new Store();
    private final FileStore files = new FileStore(store);

    EmulatorState() {
    }

    Store store() {
        return store;
    }

    /** The contents of file and image columns. */
    FileStore files() {
        return files;
    }

    /** A state with the well-known identities and no business data. */
    public static EmulatorState standard() {
        EmulatorState state = new EmulatorState();
        WellKnown.install(state);
        return state;
    }

    /** A generated data set (with the well-known identities); the same spec always gives the same rows. */
    public static EmulatorState generate(DataSetSpec spec) {
        EmulatorState state = standard();
        DataGenerator.generate(state, spec);
        return state;
    }

    /** Loads a state written by {@link #save(Path)}. */
    public static EmulatorState load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the emulator state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a state written by {@link #write(OutputStream)}. */
    public static EmulatorState read(InputStream in) throws IOException {
        return StateJson.read(in);
    }

    /** Writes the whole state (directory, rows, change tracking log) as JSON to a file. */
    public void save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                write(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the emulator state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the whole state as JSON. */
    public void write(OutputStream out) throws IOException {
        StateJson.write(this, out);
    }

    // ------------------------------------------------------------------ rows

    /** Logical names of the tables. */
    public List<String> tableNames() {
        return StateJson.tableNames();
    }

    /** Number of rows of a table. */
    public int count(String table) {
        return store.read(() -> store.table(table).size());
    }

    /** Ids of the rows of a table, in primary key order. */
    public List<UUID> ids(String table) {
        return store.read(() -> {
            List<UUID> ids = new ArrayList<>();
            store.table(table).scan(true, 0, 0, (hi, lo, data, version) -> {
                ids.add(Guids.fromKey(hi, lo));
                return true;
            });
            return ids;
        });
    }

    /**
     * A row in the Web API's shape (every property, lookups as {@code _x_value} with
     * {@code @Microsoft.Dynamics.CRM.lookuplogicalname} for polymorphic ones, plus
     * {@code @odata.etag}), or empty.
     */
    public Optional<ObjectNode> row(String table, UUID id) {
        return store.read(() -> {
            Table t = store.table(table);
            Table.Row row = t.get(id);
            if (row == null) {
                return Optional.<ObjectNode>empty();
            }
            try {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                try (com.fasterxml.jackson.core.JsonGenerator json = ApiResponse.JSON_FACTORY.createGenerator(out)) {
                    json.writeStartObject();
                    json.writeStringField("@odata.etag", "W/\"" + row.version() + "\"");
                    json.writeNumberField("versionnumber", row.version());
                    json.writeFieldName("row");
                    RowJson.forDump(t.def).write(json, id, t.values(row), row.version());
                    json.writeEndObject();
                }
                ObjectNode wrapper = (ObjectNode) Jwt.JSON.readTree(out.toByteArray());
                ObjectNode result = Jwt.JSON.createObjectNode();
                result.set("@odata.etag", wrapper.get("@odata.etag"));
                result.setAll((ObjectNode) wrapper.get("row"));
                result.set("versionnumber", wrapper.get("versionnumber"));
                return Optional.of(result);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Inserts or replaces a row given in the Web API's shape (as {@link #row} returns it); the
     * primary key property is required. Returns the new version. Meant for seeding tests.
     */
    public long putRow(String table, ObjectNode row) {
        TableDef def = Schema.INSTANCE.table(table);
        if (def == null) {
            throw new IllegalArgumentException("No table " + table);
        }
        JsonNode id = row.get(def.primaryId);
        if (id == null || id.isNull()) {
            throw new IllegalArgumentException("The row has no " + def.primaryId);
        }
        Object[] values = StateJson.rowValues(def, row);
        return store.write(() -> {
            Table t = store.table(table);
            return store.put(t, Guids.parse(id.asText()), t.codec.encode(values));
        });
    }

    /**
     * Stores a file in a file or image column of a row, as an upload through the Web API would (the
     * row shows it, with a new version). Meant for seeding tests.
     */
    public void putFile(String table, UUID id, String column, String fileName, String mimeType, byte[] data) {
        files.put(table, id, column, fileName, mimeType, data);
    }

    /** The file a file or image column holds (the full image for image columns that keep it), or empty. */
    public Optional<byte[]> file(String table, UUID id, String column) {
        FileStore.StoredFile file = files.get(table, id, column);
        return file == null ? Optional.empty() : Optional.of(file.data().clone());
    }

    /** The name a file or image column's file has, or empty. */
    public Optional<String> fileName(String table, UUID id, String column) {
        FileStore.StoredFile file = files.get(table, id, column);
        return file == null ? Optional.empty() : Optional.of(file.fileName());
    }

    /** Deletes a row (logged for change tracking); false when there was none. */
    public boolean deleteRow(String table, UUID id) {
        return store.write(() -> store.delete(store.table(table), id) != null);
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
        store.write(() -> {
            DirectoryRows.sync(this, store);
            return null;
        });
    }

    // used while loading: no row sync until the whole directory is read
    void addUserQuietly(EmulatorUser user) {
        usersByUpn.put(user.key(), user);
        usersBySystemUserId.put(user.systemUserId(), user);
        usersByObjectId.put(user.objectId(), user);
    }

    void addApplicationQuietly(EmulatorApp app) {
        appsByClientId.put(app.clientId().toLowerCase(Locale.ROOT), app);
    }

    void addRoleQuietly(EmulatorRole role) {
        roles.put(role.id(), role);
    }

    void addTeamQuietly(EmulatorTeam team) {
        teams.put(team.id(), team);
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
