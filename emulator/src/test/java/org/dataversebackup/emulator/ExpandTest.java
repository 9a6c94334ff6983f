package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** $expand of navigation properties on table rows, as the Web API documents it ("Join tables using OData"). */
class ExpandTest {
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;
    static final UUID PARENT = UUID.randomUUID();
    static final UUID LONELY_ACCOUNT = UUID.randomUUID();
    static final UUID ONE = UUID.randomUUID();
    static final UUID TWO = UUID.randomUUID();
    static final UUID THREE = UUID.randomUUID();
    static final UUID ORPHAN = UUID.randomUUID();
    static final UUID CHILD_OF_CONTACT = UUID.randomUUID();
    static final UUID PROJECT = UUID.randomUUID();

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(30, 2, 5)).start();
        client = new TestClient(emulator);
        token = client.appToken();
        EmulatorState state = emulator.state();
        state.putRow("account", owned().put("accountid", PARENT.toString()).put("name", "EX Parent")
                .put("_primarycontactid_value", TWO.toString()));
        state.putRow("account", owned().put("accountid", LONELY_ACCOUNT.toString()).put("name", "EX Lonely"));
        contact(ONE, "EX One", "Sales", "account", PARENT);
        contact(TWO, "EX Two", "Buyer", "account", PARENT);
        contact(THREE, "EX Three", "Sales", "account", PARENT);
        contact(ORPHAN, "EX Orphan", null, null, null);
        contact(CHILD_OF_CONTACT, "EX Child", null, "contact", ONE);
        state.putRow("dvb_project", owned().put("dvb_projectid", PROJECT.toString()).put("dvb_name", "EX Project"));
        for (UUID member : new UUID[] {ONE, THREE}) {
            TestClient.Response r = client.apiRequest("POST", token, "dvb_projects(" + PROJECT + ")/dvb_project_contact/$ref",
                    "{\"@odata.id\":\"" + emulator.webApiUrl() + "contacts(" + member + ")\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(204);
        }
    }

    static void contact(UUID id, String fullname, String job, String parentTable, UUID parent) {
        ObjectNode row = owned().put("contactid", id.toString()).put("fullname", fullname).put("lastname", fullname)
                .put("jobtitle", job);
        if (parent != null) {
            row.put("_parentcustomerid_value", parent.toString())
                    .put("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", parentTable);
        }
        emulator.state().putRow("contact", row);
    }

    static ObjectNode owned() {
        return TestClient.JSON.createObjectNode().put("_ownerid_value", EmulatorIdentities.ADMIN_USER_ID)
                .put("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "systemuser");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    static TestClient.Response get(String relative, String... headers) {
        return client.api(token, relative.replace(" ", "%20"), headers);
    }

    static JsonNode ok(String relative, String... headers) {
        TestClient.Response r = get(relative, headers);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<String> names(JsonNode rows, String property) {
        List<String> names = new ArrayList<>();
        rows.forEach(r -> names.add(r.get(property).asText()));
        return names;
    }

    // ------------------------------------------------------------------ single-valued

    @Test
    void lookupExpandsToTheRelatedRowWithoutEtag() {
        JsonNode body = ok("contacts(" + ONE + ")?$select=fullname&$expand=parentcustomerid_account($select=name)");
        assertThat(body.get("@odata.context").asText())
                .isEqualTo(emulator.webApiUrl() + "$metadata#contacts(fullname,parentcustomerid_account(name))/$entity");
        assertThat(body.get("fullname").asText()).isEqualTo("EX One");
        JsonNode account = body.get("parentcustomerid_account");
        List<String> keys = new ArrayList<>();
        account.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("name", "accountid");
        assertThat(account.get("name").asText()).isEqualTo("EX Parent");
        assertThat(account.get("accountid").asText()).isEqualTo(PARENT.toString());
        assertThat(body.has("_parentcustomerid_value")).isFalse();
    }

    @Test
    void anEmptyLookupOrOneToAnotherTableExpandsToNull() {
        JsonNode orphan = ok("contacts(" + ORPHAN + ")?$select=fullname&$expand=parentcustomerid_account($select=name)");
        assertThat(orphan.has("parentcustomerid_account")).isTrue();
        assertThat(orphan.get("parentcustomerid_account").isNull()).isTrue();
        JsonNode child = ok("contacts(" + CHILD_OF_CONTACT + ")?$select=fullname"
                + "&$expand=parentcustomerid_account($select=name),parentcustomerid_contact($select=fullname)");
        assertThat(child.get("parentcustomerid_account").isNull()).isTrue();
        assertThat(child.get("parentcustomerid_contact").get("fullname").asText()).isEqualTo("EX One");
    }

    @Test
    void lookupsExpandOnEveryRowOfACollection() {
        JsonNode body = ok("accounts?$select=name&$filter=startswith(name,'EX ')&$orderby=name"
                + "&$expand=primarycontactid($select=fullname,jobtitle)");
        assertThat(body.get("@odata.context").asText())
                .isEqualTo(emulator.webApiUrl() + "$metadata#accounts(name,primarycontactid(fullname,jobtitle))");
        JsonNode rows = body.get("value");
        assertThat(names(rows, "name")).containsExactly("EX Lonely", "EX Parent");
        assertThat(rows.get(0).get("primarycontactid").isNull()).isTrue();
        assertThat(rows.get(1).get("primarycontactid").get("fullname").asText()).isEqualTo("EX Two");
        assertThat(rows.get(1).get("primarycontactid").get("jobtitle").asText()).isEqualTo("Buyer");
    }

    // ------------------------------------------------------------------ collection-valued

    @Test
    void oneToManyExpandsWithSelectAndTopAndANextLinkToTheSameRows() {
        JsonNode body = ok("accounts(" + PARENT + ")?$select=name&$expand=contact_customer_accounts($select=fullname;$top=5)");
        JsonNode contacts = body.get("contact_customer_accounts");
        assertThat(contacts).hasSize(3);
        assertThat(contacts.get(0).get("@odata.etag").asText()).startsWith("W/\"");
        assertThat(contacts.get(0).has("jobtitle")).isFalse();
        assertThat(names(contacts, "fullname")).containsExactlyInAnyOrder("EX One", "EX Two", "EX Three");
        String next = body.get("contact_customer_accounts@odata.nextLink").asText();
        assertThat(next).isEqualTo(emulator.webApiUrl() + "accounts(" + PARENT + ")/contact_customer_accounts?$select=fullname&$top=5");
        assertThat(names(ok(next).get("value"), "fullname")).containsExactlyInAnyOrder("EX One", "EX Two", "EX Three");
        JsonNode lonely = ok("accounts(" + LONELY_ACCOUNT + ")?$select=name&$expand=contact_customer_accounts($select=fullname)");
        assertThat(lonely.get("contact_customer_accounts")).isEmpty();
    }

    @Test
    void filterOrderByAndTopApplyInsideTheExpand() {
        JsonNode body = ok("accounts(" + PARENT + ")?$select=name&$expand=contact_customer_accounts($select=fullname;"
                + "$filter=jobtitle eq 'Sales';$orderby=fullname desc)");
        assertThat(names(body.get("contact_customer_accounts"), "fullname")).containsExactly("EX Three", "EX One");
        JsonNode top = ok("accounts(" + PARENT + ")?$select=name&$expand=contact_customer_accounts($select=fullname;"
                + "$orderby=fullname;$top=2)");
        assertThat(names(top.get("contact_customer_accounts"), "fullname")).containsExactly("EX One", "EX Three");
    }

    @Test
    void manyToManyExpands() {
        JsonNode body = ok("dvb_projects(" + PROJECT + ")?$select=dvb_name&$expand=dvb_project_contact($select=fullname;"
                + "$orderby=fullname)");
        assertThat(names(body.get("dvb_project_contact"), "fullname")).containsExactly("EX One", "EX Three");
    }

    @Test
    void collectionsExpandOnEveryRowOfAPagedCollection() {
        String url = "accounts?$select=name&$filter=startswith(name,'EX ')&$orderby=name desc"
                + "&$expand=contact_customer_accounts($select=fullname)";
        JsonNode first = ok(url, "Prefer", "odata.maxpagesize=1");
        assertThat(first.get("value").get(0).get("name").asText()).isEqualTo("EX Parent");
        assertThat(first.get("value").get(0).get("contact_customer_accounts")).hasSize(3);
        JsonNode second = ok(first.get("@odata.nextLink").asText(), "Prefer", "odata.maxpagesize=1");
        assertThat(second.get("value").get(0).get("name").asText()).isEqualTo("EX Lonely");
        assertThat(second.get("value").get(0).get("contact_customer_accounts")).isEmpty();
    }

    // ------------------------------------------------------------------ limits and errors

    @Test
    void topAndOrderByOnALookupGetTheDocumentedError() {
        TestClient.Response r = get("contacts(" + ONE + ")?$expand=parentcustomerid_account($select=name;$top=1)");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("0x80060888");
        assertThat(r.json().get("error").get("message").asText()).isEqualTo("Only $select and $filter clause can be provided"
                + " while doing $expand on many-to-one relationship or nested one-to-many relationship.");
    }

    @Test
    void expandWithChangeTrackingGetsTheDocumentedError() {
        TestClient.Response r = get("accounts?$select=name&$expand=primarycontactid($select=fullname)",
                "Prefer", "odata.track-changes");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("message").asText())
                .isEqualTo("The \"$expand\" query parameter isn't supported when Change Tracking is enabled.");
    }

    @Test
    void unknownNavigationNestedExpandRefAndTooManyExpandsAreRefused() {
        TestClient.Response unknown = get("accounts?$expand=nope");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").get("message").asText())
                .isEqualTo("Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.account'.");
        TestClient.Response nested = get("accounts?$expand=contact_customer_accounts($select=fullname;"
                + "$expand=parentcustomerid_account($select=name))");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.json().get("error").get("message").asText()).contains("nested $expand");
        TestClient.Response ref = get("accounts?$expand=primarycontactid/$ref");
        assertThat(ref.status()).isEqualTo(400);
        assertThat(ref.json().get("error").get("message").asText()).contains("/$ref");
        String sixteen = String.join(",", java.util.Collections.nCopies(16, "primarycontactid($select=fullname)"));
        TestClient.Response many = get("accounts?$expand=" + sixteen);
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.json().get("error").get("message").asText()).contains("up to 15");
        TestClient.Response skip = get("accounts?$expand=contact_customer_accounts($skip=1)");
        assertThat(skip.status()).isEqualTo(400);
        assertThat(skip.json().get("error").get("message").asText()).contains("'$skip'");
    }
}
