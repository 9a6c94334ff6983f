package org.dataversebackup.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state as one JSON document, streamed both ways so large data sets load and save in little
 * memory: the directory (users, applications, roles, teams), the rows of every table in the Web
 * API's shape, and the change tracking log of deleted rows. The rows of systemuser, team, role and
 * the membership tables follow the directory: after loading, they are brought in line with it.
 */
final class StateJson {
    static final String FORMAT = "dataverse-backup-emulator/1";
    private StateJson() {
    }

    static void write(EmulatorState state, OutputStream out) throws IOException {
        Store store = state.store();
        try (JsonGenerator json = ApiResponse.JSON_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            store.read(() -> {
                try {
                    json.writeStartObject();
                    json.writeStringField("format", FORMAT);
                    json.writeNumberField("lastVersion", store.lastVersion());
                    json.writeFieldName("directory");
                    writeDirectory(state, json);
                    json.writeObjectFieldStart("tables");
                    for (Table table : store.tables()) {
                        json.writeArrayFieldStart(table.def.logicalName);
                        RowJson rows = RowJson.forDump(table.def);
                        table.scan(true, 0, 0, (hi, lo, data, version) -> {
                            try {
                                UUID id = Guids.fromKey(hi, lo);
                                json.writeStartObject();
                                json.writeNumberField("@emulator.version", version);
                                json.writeFieldName("row");
                                rows.write(json, id, table.codec.decode(data), version);
                                json.writeEndObject();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            return true;
                        });
                        json.writeEndArray();
                    }
                    json.writeEndObject();
                    json.writeObjectFieldStart("deleted");
                    for (Table table : store.tables()) {
                        List<long[]> deletions = table.deletionsBetween(0, Long.MAX_VALUE);
                        if (deletions.isEmpty()) {
                            continue;
                        }
                        json.writeArrayFieldStart(table.def.logicalName);
                        for (long[] d : deletions) {
                            json.writeStartObject();
                            json.writeStringField("id", Guids.fromKey(d[1], d[2]).toString());
                            json.writeNumberField("version", d[0]);
                            json.writeEndObject();
                        }
                        json.writeEndArray();
                    }
                    json.writeEndObject();
                    writeFiles(state, json);
                    json.writeEndObject();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return null;
            });
        }
    }

    /** The contents of file and image columns, base64, with the ids their rows show. */
    private static void writeFiles(EmulatorState state, JsonGenerator json) throws IOException {
        json.writeArrayFieldStart("files");
        for (FileStore.Entry entry : state.files().entries()) {
            FileStore.StoredFile file = entry.file();
            json.writeStartObject();
            json.writeStringField("table", entry.table());
            json.writeStringField("id", entry.rowId().toString());
            json.writeStringField("column", entry.column());
            json.writeStringField("fileId", file.fileId().toString());
            json.writeStringField("fileName", file.fileName());
            json.writeStringField("mimeType", file.mimeType());
            json.writeNumberField("timestamp", file.timestamp());
            json.writeFieldName("data");
            json.writeBinary(file.data());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void readFiles(EmulatorState state, JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, parser);
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            JsonNode f = parser.readValueAsTree();
            String table = f.path("table").asText();
            String column = f.path("column").asText();
            try {
                FileStore.definition(table, column);
            } catch (IllegalArgumentException e) {
                throw new IOException("Unknown file column '" + table + "." + column + "' in the state file");
            }
            state.files().restore(new FileStore.Entry(table, Guids.parse(f.path("id").asText()), column,
                    new FileStore.StoredFile(Guids.parse(f.path("fileId").asText()), f.path("fileName").asText(),
                            f.path("mimeType").asText(), f.path("data").binaryValue(), f.path("timestamp").asLong())));
        }
    }

    private static void writeDirectory(EmulatorState state, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("users");
        for (EmulatorUser u : state.users()) {
            json.writeStartObject();
            json.writeStringField("userPrincipalName", u.userPrincipalName());
            json.writeStringField("password", u.password());
            json.writeStringField("objectId", u.objectId().toString());
            json.writeStringField("systemUserId", u.systemUserId().toString());
            json.writeStringField("firstName", u.firstName());
            json.writeStringField("lastName", u.lastName());
            json.writeNumberField("accessMode", u.accessMode());
            json.writeBooleanField("disabled", u.disabled());
            json.writeBooleanField("mfaRequired", u.mfaRequired());
            json.writeBooleanField("accountEnabled", u.accountEnabled());
            json.writeStringField("businessUnitId", u.businessUnitId().toString());
            ids(json, "roles", u.roleIds());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("applications");
        for (EmulatorApp a : state.applications()) {
            json.writeStartObject();
            json.writeStringField("clientId", a.clientId());
            json.writeStringField("name", a.name());
            json.writeStringField("objectId", a.objectId().toString());
            json.writeArrayFieldStart("secrets");
            for (String s : a.secrets()) {
                json.writeString(s);
            }
            json.writeEndArray();
            if (a.certificate() != null) {
                json.writeStringField("certificatePem", Tls.certificatePem(a.certificate()));
            }
            json.writeBooleanField("adminConsent", a.adminConsent());
            if (a.applicationUserId() != null) {
                json.writeStringField("applicationUserId", a.applicationUserId().toString());
            }
            json.writeNumberField("applicationUserAccessMode", a.applicationUserAccessMode());
            json.writeBooleanField("applicationUserDisabled", a.applicationUserDisabled());
            json.writeStringField("businessUnitId", a.businessUnitId().toString());
            ids(json, "roles", a.roleIds());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("roles");
        for (EmulatorRole r : state.roles()) {
            json.writeStartObject();
            json.writeStringField("id", r.id().toString());
            json.writeStringField("name", r.name());
            json.writeStringField("businessUnitId", r.businessUnitId().toString());
            json.writeObjectFieldStart("privileges");
            for (Map.Entry<String, PrivilegeDepth> p : r.privileges().entrySet()) {
                json.writeStringField(Privileges.canonical(p.getKey()), p.getValue().webApiName());
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("teams");
        for (EmulatorTeam t : state.teams()) {
            json.writeStartObject();
            json.writeStringField("id", t.id().toString());
            json.writeStringField("name", t.name());
            json.writeStringField("businessUnitId", t.businessUnitId().toString());
            ids(json, "roles", t.roleIds());
            ids(json, "members", t.memberIds());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void ids(JsonGenerator json, String name, Set<UUID> ids) throws IOException {
        json.writeArrayFieldStart(name);
        for (UUID id : ids) {
            json.writeString(id.toString());
        }
        json.writeEndArray();
    }

    // ------------------------------------------------------------------ reading

    static EmulatorState read(InputStream in) throws IOException {
        EmulatorState state = new EmulatorState();
        Store store = state.store();
        try (JsonParser parser = ApiResponse.JSON_FACTORY.createParser(in)) {
            parser.setCodec(Jwt.JSON);
            expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
            long lastVersion = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                parser.nextToken();
                switch (field) {
                    case "format" -> {
                        if (!FORMAT.equals(parser.getText())) {
                            throw new IOException("Not an emulator state file (format " + parser.getText() + ")");
                        }
                    }
                    case "lastVersion" -> lastVersion = parser.getLongValue();
                    case "directory" -> readDirectory(state, parser.readValueAsTree());
                    case "tables" -> readTables(store, parser);
                    case "deleted" -> readDeleted(store, parser.readValueAsTree());
                    case "files" -> readFiles(state, parser);
                    default -> parser.skipChildren();
                }
            }
            long last = lastVersion;
            store.write(() -> {
                store.lastVersion(last);
                for (Table t : store.tables()) {
                    store.lastVersion(t.maxVersion());
                }
                return null;
            });
        }
        if (state.users().isEmpty() && state.applications().isEmpty()) {
            WellKnown.install(state);
        }
        state.changed();
        return state;
    }

    private static void readTables(Store store, JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, parser);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String tableName = parser.getCurrentName();
            TableDef def = Schema.INSTANCE.table(tableName);
            expect(parser.nextToken(), JsonToken.START_ARRAY, parser);
            if (def == null) {
                throw new IOException("Unknown table '" + tableName + "' in the state file");
            }
            Table table = store.table(tableName);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                ObjectNode entry = parser.readValueAsTree();
                JsonNode row = entry.has("row") ? entry.get("row") : entry;
                long version = entry.path("@emulator.version").asLong(0);
                UUID id = Guids.parse(row.path(def.primaryId).asText());
                Object[] values = rowValues(def, (ObjectNode) row);
                store.write(() -> {
                    long v = version > 0 ? version : store.nextVersion();
                    store.putWithVersion(table, id, table.codec.encode(values), v);
                    return null;
                });
            }
        }
    }

    /** Values of a row given in the Web API's shape (dump files, tests). */
    static Object[] rowValues(TableDef def, ObjectNode row) {
        Object[] values = new Object[def.stored.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.contains("@") || name.equals(def.primaryId) || name.equals("versionnumber")) {
                continue;
            }
            ColumnDef c = def.byProperty.get(name);
            if (c == null) {
                c = def.column(name);
            }
            if (c == null) {
                throw new IllegalArgumentException("Unknown property '" + name + "' of " + def.logicalName);
            }
            if (!c.stored()) {
                continue;
            }
            JsonNode node = e.getValue();
            if (node.isNull()) {
                continue;
            }
            if (c.storage == AttrType.Storage.REF) {
                String target = row.path(name + "@" + Annotations.LOOKUP_LOGICAL_NAME).asText(null);
                if (target == null) {
                    target = c.targets.get(0);
                }
                values[c.storageIndex] = new Ref(target, Guids.parse(node.asText()));
            } else if (c.type.isLookup()) {
                values[c.storageIndex] = Guids.parse(node.asText());
            } else {
                values[c.storageIndex] = Values.fromJson(c, node);
            }
        }
        return values;
    }

    private static void readDeleted(Store store, JsonNode deleted) {
        store.write(() -> {
            for (Iterator<Map.Entry<String, JsonNode>> it = deleted.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                Table table = store.table(e.getKey());
                for (JsonNode d : e.getValue()) {
                    table.logDeletion(Guids.parse(d.path("id").asText()), d.path("version").asLong());
                }
            }
            return null;
        });
    }

    private static void readDirectory(EmulatorState state, JsonNode directory) {
        for (JsonNode r : directory.path("roles")) {
            EmulatorRole role = new EmulatorRole(UUID.fromString(r.path("id").asText()), r.path("name").asText())
                    .businessUnit(UUID.fromString(r.path("businessUnitId").asText(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID)));
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("privileges").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> p = it.next();
                role.grant(p.getKey(), PrivilegeDepth.fromWebApiName(p.getValue().asText()));
            }
            state.addRoleQuietly(role);
        }
        for (JsonNode u : directory.path("users")) {
            EmulatorUser user = EmulatorUser.named(u.path("userPrincipalName").asText())
                    .password(u.path("password").asText())
                    .objectId(UUID.fromString(u.path("objectId").asText()))
                    .systemUserId(UUID.fromString(u.path("systemUserId").asText()))
                    .name(u.path("firstName").asText(null), u.path("lastName").asText(null))
                    .accessMode(u.path("accessMode").asInt())
                    .disabled(u.path("disabled").asBoolean())
                    .mfaRequired(u.path("mfaRequired").asBoolean())
                    .accountEnabled(u.path("accountEnabled").asBoolean(true))
                    .businessUnit(UUID.fromString(u.path("businessUnitId").asText(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID)));
            for (JsonNode role : u.path("roles")) {
                user.role(UUID.fromString(role.asText()));
            }
            state.addUserQuietly(user);
        }
        for (JsonNode a : directory.path("applications")) {
            EmulatorApp app = EmulatorApp.withClientId(a.path("clientId").asText()).name(a.path("name").asText())
                    .objectId(UUID.fromString(a.path("objectId").asText()))
                    .adminConsent(a.path("adminConsent").asBoolean(true))
                    .applicationUserAccessMode(a.path("applicationUserAccessMode").asInt(EmulatorIdentities.ACCESS_MODE_NON_INTERACTIVE))
                    .applicationUserDisabled(a.path("applicationUserDisabled").asBoolean())
                    .businessUnit(UUID.fromString(a.path("businessUnitId").asText(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID)));
            for (JsonNode s : a.path("secrets")) {
                app.secret(s.asText());
            }
            if (a.hasNonNull("certificatePem")) {
                app.certificate(certificate(a.path("certificatePem").asText()));
            } else if (EmulatorIdentities.APP_CLIENT_ID.equalsIgnoreCase(app.clientId())) {
                app.certificate(Tls.appCertificateMaterial().certificate());
            }
            if (a.hasNonNull("applicationUserId")) {
                app.applicationUser(UUID.fromString(a.path("applicationUserId").asText()));
            }
            for (JsonNode role : a.path("roles")) {
                app.role(UUID.fromString(role.asText()));
            }
            state.addApplicationQuietly(app);
        }
        for (JsonNode t : directory.path("teams")) {
            EmulatorTeam team = new EmulatorTeam(UUID.fromString(t.path("id").asText()), t.path("name").asText())
                    .businessUnit(UUID.fromString(t.path("businessUnitId").asText(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID)));
            for (JsonNode role : t.path("roles")) {
                team.role(UUID.fromString(role.asText()));
            }
            for (JsonNode member : t.path("members")) {
                team.member(UUID.fromString(member.asText()));
            }
            state.addTeamQuietly(team);
        }
    }

    private static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalArgumentException("Bad certificate in the state file: " + e.getMessage(), e);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
        if (actual != expected) {
            throw new IOException("Unexpected " + actual + " at " + parser.getCurrentLocation() + ", expected " + expected);
        }
    }

    static List<String> tableNames() {
        List<String> names = new ArrayList<>();
        for (TableDef def : Schema.INSTANCE.tables()) {
            names.add(def.logicalName);
        }
        return names;
    }
}
