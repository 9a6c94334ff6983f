package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Emails and their activity parties over HTTP, as activityparty-entity and the email and activityparty
 * table references document them: parties created inline with the email (deep insert), read as the
 * {@code email_activity_parties} collection and as the activityparties table, never created alone.
 */
class ActivityPartiesTest {
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;
    static final String LOOKUP = "@Microsoft.Dynamics.CRM.lookuplogicalname";

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(10, 1, 0)).start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    static JsonNode ok(String relative) {
        TestClient.Response r = client.api(token, relative.replace(" ", "%20"), "Prefer",
                "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static String firstId(String set, String id) {
        return ok(set + "?$select=" + id + "&$top=1").get("value").get(0).get(id).asText();
    }

    @Test
    void deepInsertCreatesTheEmailWithPartiesOfFourKinds() {
        String account = firstId("accounts", "accountid");
        String contact = firstId("contacts", "contactid");
        UUID email = UUID.randomUUID();
        String body = "{\"activityid\":\"" + email + "\",\"subject\":\"Deep insert\",\"directioncode\":true,"
                + "\"regardingobjectid_account_email@odata.bind\":\"/accounts(" + account + ")\","
                + "\"email_activity_parties\":["
                + "{\"partyid_systemuser@odata.bind\":\"/systemusers(" + EmulatorIdentities.ADMIN_USER_ID + ")\",\"participationtypemask\":1},"
                + "{\"partyid_account@odata.bind\":\"/accounts(" + account + ")\",\"participationtypemask\":2},"
                + "{\"partyid_contact@odata.bind\":\"/contacts(" + contact + ")\",\"participationtypemask\":3},"
                + "{\"addressused\":\"someone@elsewhere.example\",\"participationtypemask\":4}]}";
        TestClient.Response created = client.apiRequest("POST", token, "emails", body);
        assertThat(created.status()).as(created.body()).isEqualTo(204);

        JsonNode row = ok("emails(" + email + ")?$select=subject,statecode,statuscode,_regardingobjectid_value"
                + "&$expand=email_activity_parties($select=participationtypemask,_partyid_value,addressused)");
        assertThat(row.get("subject").asText()).isEqualTo("Deep insert");
        assertThat(row.get("statecode").asInt()).as("a new email is an open draft").isZero();
        assertThat(row.get("statuscode").asInt()).isEqualTo(1);
        assertThat(row.get("_regardingobjectid_value" + LOOKUP).asText()).isEqualTo("account");
        List<String> parties = new ArrayList<>();
        for (JsonNode p : row.get("email_activity_parties")) {
            parties.add(p.get("participationtypemask").asInt() + " "
                    + (p.get("_partyid_value").isNull() ? "-" : p.get("_partyid_value" + LOOKUP).asText() + ":"
                            + p.get("_partyid_value").asText())
                    + " " + (p.get("addressused").isNull() ? "-" : p.get("addressused").asText()));
        }
        assertThat(parties).containsExactlyInAnyOrder("1 systemuser:" + EmulatorIdentities.ADMIN_USER_ID + " -",
                "2 account:" + account + " -", "3 contact:" + contact + " -", "4 - someone@elsewhere.example");

        JsonNode nav = ok("emails(" + email + ")/email_activity_parties?$select=activitypartyid,_activityid_value");
        assertThat(nav.get("value")).hasSize(4);
        assertThat(nav.get("value").get(0).get("_activityid_value").asText()).isEqualTo(email.toString());
        JsonNode table = ok("activityparties?$select=activitypartyid&$filter=_activityid_value eq " + email);
        assertThat(table.get("value")).hasSize(4);
    }

    @Test
    void partiesCannotBeCreatedOnTheirOwn() {
        TestClient.Response r = client.apiRequest("POST", token, "activityparties",
                "{\"addressused\":\"a@b.example\",\"participationtypemask\":2}");
        assertThat(r.status()).as(r.body()).isEqualTo(405);
    }

    @Test
    void aPartyOfAnUnknownTableIsRefused() {
        TestClient.Response r = client.apiRequest("POST", token, "emails", "{\"subject\":\"x\",\"email_activity_parties\":"
                + "[{\"partyid_team@odata.bind\":\"/teams(" + EmulatorIdentities.ADMIN_TEAM_ID + ")\",\"participationtypemask\":2}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
    }

    @Test
    void generatedEmailsHavePartiesOfFourKindsAndSentOnesAreCompleted() {
        JsonNode emails = ok("emails?$select=subject,statecode,statuscode"
                + "&$expand=email_activity_parties($select=participationtypemask,_partyid_value,addressused)"
                + "&$filter=startswith(subject,'Proposal')");
        assertThat(emails.get("value")).as("one email per five accounts").hasSize(2);
        boolean sent = false;
        for (JsonNode e : emails.get("value")) {
            sent |= e.get("statecode").asInt() == 1 && e.get("statuscode").asInt() == 3;
            List<String> kinds = new ArrayList<>();
            for (JsonNode p : e.get("email_activity_parties")) {
                kinds.add(p.get("_partyid_value").isNull() ? "address" : p.get("_partyid_value" + LOOKUP).asText());
            }
            assertThat(kinds).containsExactlyInAnyOrder("systemuser", "account", "contact", "address");
        }
        assertThat(sent).isTrue();
    }

    @Test
    void metadataDescribesEmailAndActivityParty() {
        JsonNode party = ok("EntityDefinitions(LogicalName='activityparty')?$select=EntitySetName,PrimaryIdAttribute,OwnershipType");
        assertThat(party.get("EntitySetName").asText()).isEqualTo("activityparties");
        assertThat(party.get("PrimaryIdAttribute").asText()).isEqualTo("activitypartyid");
        JsonNode partyId = ok("EntityDefinitions(LogicalName='activityparty')/Attributes(LogicalName='partyid')"
                + "/Microsoft.Dynamics.CRM.LookupAttributeMetadata?$select=Targets");
        List<String> targets = new ArrayList<>();
        partyId.get("Targets").forEach(t -> targets.add(t.asText()));
        assertThat(targets).contains("account", "contact", "systemuser");
        TestClient.Response csdl = client.api(token, "$metadata");
        assertThat(csdl.body()).contains("Name=\"email_activity_parties\"").contains("EntityType Name=\"activityparty\"");
    }
}
