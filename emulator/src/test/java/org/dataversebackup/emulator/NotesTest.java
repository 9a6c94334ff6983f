package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Notes (annotation) as Microsoft's annotation EntityType documents them: objectid, documentbody, filesize. */
class NotesTest {
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(10, 2, 0)).start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static TestClient.Response send(String method, String relative, String body) {
        return client.apiRequest(method, token, relative, body);
    }

    private static JsonNode get(String relative) {
        return client.api(token, relative.replace(" ", "%20"), "Prefer",
                "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"").json();
    }

    private static String firstId(String set, String pk) {
        return get(set + "?$select=" + pk + "&$top=1").get("value").get(0).get(pk).asText();
    }

    @Test
    void aNoteWithAnAttachmentIsCreatedOnAnAccountAndReadBackWithItsBodyAndSize() {
        String account = firstId("accounts", "accountid");
        byte[] body = "Hello, notes \u00fc\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        String base64 = Base64.getEncoder().encodeToString(body);
        TestClient.Response created = send("POST", "annotations", "{\"subject\":\"Contract\",\"isdocument\":true,"
                + "\"filename\":\"contract.txt\",\"mimetype\":\"text/plain\",\"documentbody\":\"" + base64 + "\","
                + "\"objectid_account@odata.bind\":\"/accounts(" + account + ")\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(204);
        String entityId = created.header("OData-EntityId");
        String id = entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);

        JsonNode note = get("annotations(" + id + ")?$select=subject,documentbody,filesize,filename,mimetype,isdocument,"
                + "_objectid_value,objecttypecode");
        assertThat(Base64.getDecoder().decode(note.get("documentbody").asText())).isEqualTo(body);
        assertThat(note.get("filesize").asInt()).isEqualTo(body.length);
        assertThat(note.get("filename").asText()).isEqualTo("contract.txt");
        assertThat(note.get("mimetype").asText()).isEqualTo("text/plain");
        assertThat(note.get("isdocument").asBoolean()).isTrue();
        assertThat(note.get("_objectid_value").asText()).isEqualTo(account);
        assertThat(note.get("_objectid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isEqualTo("account");
        assertThat(note.get("objecttypecode").asText()).isEqualTo("account");

        TestClient.Response patched = send("PATCH", "annotations(" + id + ")",
                "{\"documentbody\":\"" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(204);
        assertThat(get("annotations(" + id + ")?$select=filesize").get("filesize").asInt()).isEqualTo(3);
    }

    @Test
    void aNoteOnAContactBindsThroughObjectidContactAndFilesizeIsReadOnly() {
        String contact = firstId("contacts", "contactid");
        TestClient.Response created = send("POST", "annotations", "{\"subject\":\"Plain note\",\"notetext\":\"no body\","
                + "\"objectid_contact@odata.bind\":\"/contacts(" + contact + ")\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(204);
        JsonNode notes = get("annotations?$select=subject,_objectid_value,objecttypecode,filesize&$filter=_objectid_value eq "
                + contact + " and subject eq 'Plain note'").get("value");
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).get("_objectid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isEqualTo("contact");
        assertThat(notes.get(0).get("filesize").isNull()).isTrue();

        assertThat(send("POST", "annotations", "{\"subject\":\"x\",\"filesize\":5}").status()).isEqualTo(400);
        assertThat(send("POST", "annotations", "{\"subject\":\"x\",\"documentbody\":\"not base64!\"}").status()).isEqualTo(400);
    }

    @Test
    void generatedNotesHangOnAccountsAndContactsAndTheMetadataDescribesTheTable() {
        JsonNode notes = get("annotations?$select=documentbody,filesize,_objectid_value,objecttypecode").get("value");
        assertThat(notes.size()).isGreaterThanOrEqualTo(3);
        boolean withBody = false;
        for (JsonNode n : notes) {
            assertThat(n.get("objecttypecode").asText()).isIn("account", "contact");
            if (!n.get("documentbody").isNull()) {
                withBody = true;
                assertThat(Base64.getDecoder().decode(n.get("documentbody").asText())).hasSize(n.get("filesize").asInt());
            }
        }
        assertThat(withBody).isTrue();

        JsonNode entity = get("EntityDefinitions(LogicalName='annotation')?$select=EntitySetName,PrimaryIdAttribute,"
                + "PrimaryNameAttribute,ObjectTypeCode");
        assertThat(entity.get("EntitySetName").asText()).isEqualTo("annotations");
        assertThat(entity.get("PrimaryNameAttribute").asText()).isEqualTo("subject");
        assertThat(entity.get("ObjectTypeCode").asInt()).isEqualTo(5);
        JsonNode objectid = get("EntityDefinitions(LogicalName='annotation')/Attributes(LogicalName='objectid')"
                + "/Microsoft.Dynamics.CRM.LookupAttributeMetadata?$select=Targets");
        assertThat(objectid.get("Targets").toString()).contains("account", "contact");
        String csdl = client.api(token, "$metadata").body();
        assertThat(csdl).contains("<EntityType Name=\"annotation\"", "Name=\"documentbody\"", "Name=\"objectid_account\"");
    }

    @Test
    void notesSurviveSavingAndLoadingTheState(@TempDir Path dir) throws Exception {
        EmulatorState state = EmulatorState.generate(DataSetSpec.sized(10, 2, 0));
        Path file = dir.resolve("state.json");
        state.save(file);
        EmulatorState loaded = EmulatorState.load(file);
        UUID id = state.ids("annotation").get(0);
        assertThat(loaded.row("annotation", id).orElseThrow().toString())
                .isEqualTo(state.row("annotation", id).orElseThrow().toString());
        assertThat(Files.readString(file)).contains("documentbody");
    }
}
