package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dataversebackup.emulator.EmulatorIdentities.*;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Creating, updating, upserting and deleting rows, lookups and associations, as the Web API documents. */
class WritesTest {
    static TestClock clock = new TestClock(Instant.parse("2025-03-04T05:06:07Z"));
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().clock(clock).tokenLifetime(Duration.ofDays(365))
                .generate(DataSetSpec.sized(10, 2, 3)).start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static TestClient.Response send(String method, String relative, String body, String... headers) {
        return client.apiRequest(method, token, relative, body, headers);
    }

    private static TestClient.Response get(String relative, String... headers) {
        return client.api(token, relative.replace(" ", "%20"), headers);
    }

    private static UUID idOf(TestClient.Response created) {
        String entityId = created.header("OData-EntityId");
        return UUID.fromString(entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1));
    }

    @Test
    void createAnswers204WithODataEntityIdAndFillsSystemColumns() {
        TestClient.Response r = send("POST", "accounts", "{\"name\":\"Created by test\",\"revenue\":1000.5,\"creditonhold\":true}");
        assertThat(r.status()).as(r.body()).isEqualTo(204);
        assertThat(r.header("OData-EntityId")).startsWith(emulator.webApiUrl() + "accounts(");
        UUID id = idOf(r);
        JsonNode row = get("accounts(" + id + ")?$select=name,revenue,createdon,modifiedon,_createdby_value,_ownerid_value,"
                + "_owningbusinessunit_value,statecode,statuscode,versionnumber,exchangerate", "Prefer",
                "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"").json();
        assertThat(row.get("name").asText()).isEqualTo("Created by test");
        assertThat(row.get("revenue").decimalValue()).isEqualByComparingTo("1000.5");
        assertThat(row.get("createdon").asText()).isEqualTo("2025-03-04T05:06:07Z");
        assertThat(row.get("modifiedon").asText()).isEqualTo("2025-03-04T05:06:07Z");
        assertThat(row.get("_createdby_value").asText()).isEqualTo(APP_USER_ID);
        assertThat(row.get("_ownerid_value").asText()).isEqualTo(APP_USER_ID);
        assertThat(row.get("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isEqualTo("systemuser");
        assertThat(row.get("_owningbusinessunit_value").asText()).isEqualTo(ROOT_BUSINESS_UNIT_ID);
        assertThat(row.get("statecode").asInt()).isZero();
        assertThat(row.get("statuscode").asInt()).isEqualTo(1);
        assertThat(row.get("@odata.etag").asText()).isEqualTo("W/\"" + row.get("versionnumber").asLong() + "\"");
    }

    @Test
    void clientSuppliedPrimaryKeyIsHonouredAndADuplicateIs412() {
        UUID id = UUID.randomUUID();
        TestClient.Response r = send("POST", "accounts", "{\"accountid\":\"" + id + "\",\"name\":\"Own id\"}");
        assertThat(r.status()).isEqualTo(204);
        assertThat(idOf(r)).isEqualTo(id);
        TestClient.Response again = send("POST", "accounts", "{\"accountid\":\"" + id + "\",\"name\":\"Own id again\"}");
        assertThat(again.status()).isEqualTo(412);
        assertThat(again.json().get("error").get("code").asText()).isEqualTo("0x80040237");
    }

    @Test
    void returnRepresentationGives201WithTheRow() {
        TestClient.Response r = send("POST", "contacts?$select=fullname,firstname", "{\"firstname\":\"Ada\",\"lastname\":\"Lovelace\"}",
                "Prefer", "return=representation");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Preference-Applied")).isEqualTo("return=representation");
        JsonNode body = r.json();
        assertThat(body.get("@odata.context").asText()).isEqualTo(emulator.webApiUrl() + "$metadata#contacts(fullname,firstname)/$entity");
        assertThat(body.get("fullname").asText()).isEqualTo("Ada Lovelace");
        assertThat(body.get("@odata.etag").asText()).startsWith("W/\"");
        assertThat(body.get("contactid").asText()).isNotEmpty();
    }

    @Test
    void patchUpdatesAndBumpsVersionAndModifiedOn() {
        UUID id = idOf(send("POST", "accounts", "{\"name\":\"To update\"}"));
        JsonNode before = get("accounts(" + id + ")?$select=name,modifiedon").json();
        clock.advance(Duration.ofMinutes(5));
        TestClient.Response r = send("PATCH", "accounts(" + id + ")", "{\"name\":\"Updated\",\"numberofemployees\":12}");
        assertThat(r.status()).isEqualTo(204);
        JsonNode after = get("accounts(" + id + ")?$select=name,modifiedon,numberofemployees").json();
        assertThat(after.get("name").asText()).isEqualTo("Updated");
        assertThat(after.get("modifiedon").asText()).isNotEqualTo(before.get("modifiedon").asText());
        assertThat(after.get("@odata.etag").asText()).isNotEqualTo(before.get("@odata.etag").asText());

        TestClient.Response representation = send("PATCH", "accounts(" + id + ")?$select=name", "{\"name\":\"Again\"}",
                "Prefer", "return=representation");
        assertThat(representation.status()).isEqualTo(200);
        assertThat(representation.json().get("name").asText()).isEqualTo("Again");
    }

    @Test
    void patchIsAnUpsertWithTheConditionalHeadersAsDocumented() {
        UUID id = UUID.randomUUID();
        TestClient.Response noCreate = send("PATCH", "accounts(" + id + ")", "{\"name\":\"x\"}", "If-Match", "*");
        assertThat(noCreate.status()).isEqualTo(404);
        assertThat(noCreate.json().get("error").get("message").asText()).isEqualTo("account With Id = " + id + " Does Not Exist");

        TestClient.Response created = send("PATCH", "accounts(" + id + ")", "{\"name\":\"Upserted\"}");
        assertThat(created.status()).isEqualTo(204);
        assertThat(get("accounts(" + id + ")?$select=name").json().get("name").asText()).isEqualTo("Upserted");

        TestClient.Response noUpdate = send("PATCH", "accounts(" + id + ")", "{\"name\":\"y\"}", "If-None-Match", "*");
        assertThat(noUpdate.status()).isEqualTo(412);
        assertThat(noUpdate.json().get("error").get("message").asText()).isEqualTo("A record with matching key values already exists.");

        TestClient.Response stale = send("PATCH", "accounts(" + id + ")", "{\"name\":\"z\"}", "If-Match", "W/\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        String etag = get("accounts(" + id + ")?$select=name").json().get("@odata.etag").asText();
        assertThat(send("PATCH", "accounts(" + id + ")", "{\"name\":\"z\"}", "If-Match", etag).status()).isEqualTo(204);
        assertThat(send("PATCH", "accounts(" + id + ")", "{\"name\":\"w\"}", "If-Match", "*").status()).isEqualTo(204);
    }

    @Test
    void deleteAndItsCascades() {
        UUID account = idOf(send("POST", "accounts", "{\"name\":\"Parent\"}"));
        UUID contact = idOf(send("POST", "contacts", "{\"lastname\":\"Child\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + account + ")\"}"));
        UUID other = idOf(send("POST", "accounts", "{\"name\":\"Refers\",\"parentaccountid@odata.bind\":\"/accounts(" + account + ")\"}"));
        assertThat(send("DELETE", "accounts(" + account + ")", null).status()).isEqualTo(204);
        TestClient.Response gone = get("accounts(" + account + ")");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(get("contacts(" + contact + ")").status()).isEqualTo(404);
        assertThat(get("accounts(" + other + ")?$select=_parentaccountid_value").json().get("_parentaccountid_value").isNull()).isTrue();
        TestClient.Response again = send("DELETE", "accounts(" + account + ")", null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").get("code").asText()).isEqualTo("0x80040217");
    }

    @Test
    void polymorphicCustomerAndOwnerBindsSetTheValueAndClearTheSiblings() {
        UUID account = idOf(send("POST", "accounts", "{\"name\":\"Customer account\"}"));
        UUID parentContact = idOf(send("POST", "contacts", "{\"lastname\":\"Parent contact\"}"));
        UUID contact = idOf(send("POST", "contacts", "{\"lastname\":\"Bound\",\"parentcustomerid_account@odata.bind\":\"accounts("
                + account + ")\",\"ownerid@odata.bind\":\"/teams(" + ADMIN_TEAM_ID + ")\"}"));
        String select = "contacts(" + contact + ")?$select=_parentcustomerid_value,_ownerid_value,_owninguser_value,_owningteam_value";
        String prefer = "odata.include-annotations=\"*\"";
        JsonNode row = get(select, "Prefer", prefer).json();
        assertThat(row.get("_parentcustomerid_value").asText()).isEqualTo(account.toString());
        assertThat(row.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isEqualTo("account");
        assertThat(row.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").asText()).isEqualTo("parentcustomerid_account");
        assertThat(row.get("_ownerid_value").asText()).isEqualTo(ADMIN_TEAM_ID);
        assertThat(row.get("_owningteam_value").asText()).isEqualTo(ADMIN_TEAM_ID);
        assertThat(row.get("_owninguser_value").isNull()).isTrue();

        assertThat(send("PATCH", "contacts(" + contact + ")", "{\"parentcustomerid_contact@odata.bind\":\"" + emulator.webApiUrl()
                + "contacts(" + parentContact + ")\",\"ownerid@odata.bind\":\"/systemusers(" + ADMIN_USER_ID + ")\"}").status()).isEqualTo(204);
        row = get(select, "Prefer", prefer).json();
        assertThat(row.get("_parentcustomerid_value").asText()).isEqualTo(parentContact.toString());
        assertThat(row.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isEqualTo("contact");
        assertThat(row.get("_owninguser_value").asText()).isEqualTo(ADMIN_USER_ID);
        assertThat(row.get("_owningteam_value").isNull()).isTrue();

        TestClient.Response both = send("POST", "contacts", "{\"lastname\":\"Both\",\"parentcustomerid_account@odata.bind\":\"/accounts("
                + account + ")\",\"parentcustomerid_contact@odata.bind\":\"/contacts(" + parentContact + ")\"}");
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void bindingUsesTheNavigationPropertyNameAndAnExistingRow() {
        UUID account = idOf(send("POST", "accounts", "{\"name\":\"For project\"}"));
        TestClient.Response ok = send("POST", "dvb_projects", "{\"dvb_name\":\"P\",\"dvb_AccountId@odata.bind\":\"/accounts(" + account + ")\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(204);
        assertThat(get("dvb_projects(" + idOf(ok) + ")?$select=_dvb_accountid_value").json().get("_dvb_accountid_value").asText())
                .isEqualTo(account.toString());

        TestClient.Response lowerCase = send("POST", "dvb_projects", "{\"dvb_name\":\"P\",\"dvb_accountid@odata.bind\":\"/accounts(" + account + ")\"}");
        assertThat(lowerCase.status()).isEqualTo(400);
        assertThat(lowerCase.json().get("error").get("code").asText()).isEqualTo("0x80048d19");
        assertThat(lowerCase.json().get("error").get("message").asText()).contains("An undeclared property 'dvb_accountid'");

        UUID missing = UUID.randomUUID();
        TestClient.Response notThere = send("POST", "contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + missing + ")\"}");
        assertThat(notThere.status()).isEqualTo(404);
        assertThat(notThere.json().get("error").get("code").asText()).isEqualTo("0x80040217");
        TestClient.Response wrongSet = send("POST", "contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/contacts(" + missing + ")\"}");
        assertThat(wrongSet.status()).isEqualTo(400);
    }

    @Test
    void columnsThatCannotBeWrittenFail() {
        TestClient.Response createdOn = send("POST", "accounts", "{\"name\":\"x\",\"createdon\":\"2020-01-01T00:00:00Z\"}");
        assertThat(createdOn.status()).isEqualTo(400);
        assertThat(createdOn.json().get("error").get("message").asText()).contains("createdon").contains("not valid for create");
        assertThat(send("POST", "contacts", "{\"lastname\":\"x\",\"fullname\":\"Full\"}").status()).isEqualTo(400);
        assertThat(send("POST", "accounts", "{\"name\":\"x\",\"versionnumber\":5}").status()).isEqualTo(400);
        TestClient.Response lookupValue = send("POST", "accounts", "{\"name\":\"x\",\"_parentaccountid_value\":\"" + UUID.randomUUID() + "\"}");
        assertThat(lookupValue.json().get("error").get("message").asText())
                .isEqualTo("CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
        TestClient.Response unknown = send("POST", "accounts", "{\"Name\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").get("message").asText()).contains("Invalid property 'Name' was found in entity 'Microsoft.Dynamics.CRM.account'");
        TestClient.Response tooLong = send("POST", "accounts", "{\"name\":\"" + "x".repeat(161) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("error").get("code").asText()).isEqualTo("0x80044331");
        assertThat(send("POST", "accounts", "{\"name\":\"x\",\"numberofemployees\":\"many\"}").status()).isEqualTo(400);
        assertThat(send("POST", "accounts", "{\"name\":\"x\",\"industrycode\":999}").status()).isEqualTo(400);
        // overriddencreatedon is a date and time (Edm.DateTimeOffset): it becomes createdon, and
        // then holds when the row was really created
        UUID id = idOf(send("POST", "accounts", "{\"name\":\"created\",\"overriddencreatedon\":\"2019-05-06T13:14:15Z\"}"));
        JsonNode created = get("accounts(" + id + ")?$select=createdon,overriddencreatedon").json();
        assertThat(created.get("createdon").asText()).isEqualTo("2019-05-06T13:14:15Z");
        assertThat(java.time.Instant.parse(created.get("overriddencreatedon").asText())).isAfter(java.time.Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(send("PATCH", "accounts(" + id + ")", "{\"overriddencreatedon\":\"2019-05-07T00:00:00Z\"}").status()).isEqualTo(400);
    }

    @Test
    void manyToManyAssociationAndTheIntersectTable() {
        UUID project = idOf(send("POST", "dvb_projects", "{\"dvb_name\":\"N:N\"}"));
        UUID contact = idOf(send("POST", "contacts", "{\"lastname\":\"Member\"}"));
        String ref = "{\"@odata.id\":\"" + emulator.webApiUrl() + "contacts(" + contact + ")\"}";
        assertThat(send("POST", "dvb_projects(" + project + ")/dvb_project_contact/$ref", ref).status()).isEqualTo(204);
        JsonNode links = get("dvb_project_contactset?$filter=dvb_projectid eq " + project).json().get("value");
        assertThat(links).hasSize(1);
        assertThat(links.get(0).get("contactid").asText()).isEqualTo(contact.toString());
        TestClient.Response duplicate = send("POST", "dvb_projects(" + project + ")/dvb_project_contact/$ref", ref);
        assertThat(duplicate.status()).isEqualTo(412);
        assertThat(duplicate.json().get("error").get("code").asText()).isEqualTo("0x80040237");
        assertThat(get("contacts(" + contact + ")/dvb_project_contact?$select=dvb_name").json().get("value").get(0)
                .get("dvb_projectid").asText()).isEqualTo(project.toString());
        assertThat(send("DELETE", "dvb_projects(" + project + ")/dvb_project_contact(" + contact + ")/$ref", null).status()).isEqualTo(204);
        assertThat(get("dvb_project_contactset?$filter=dvb_projectid eq " + project).json().get("value")).isEmpty();
    }

    @Test
    void singleValuedReferenceAndPropertyWrites() {
        UUID account = idOf(send("POST", "accounts", "{\"name\":\"Ref target\"}"));
        UUID contact = idOf(send("POST", "contacts", "{\"lastname\":\"Primary\"}"));
        assertThat(send("PUT", "accounts(" + account + ")/primarycontactid/$ref", "{\"@odata.id\":\"contacts(" + contact + ")\"}").status())
                .isEqualTo(204);
        assertThat(get("accounts(" + account + ")?$select=_primarycontactid_value").json().get("_primarycontactid_value").asText())
                .isEqualTo(contact.toString());
        assertThat(send("DELETE", "accounts(" + account + ")/primarycontactid/$ref", null).status()).isEqualTo(204);
        assertThat(get("accounts(" + account + ")?$select=_primarycontactid_value").json().get("_primarycontactid_value").isNull()).isTrue();
        assertThat(send("PUT", "accounts(" + account + ")/telephone1", "{\"value\":\"555-0100\"}").status()).isEqualTo(204);
        assertThat(get("accounts(" + account + ")/telephone1").json().get("value").asText()).isEqualTo("555-0100");
        assertThat(send("DELETE", "accounts(" + account + ")/telephone1", null).status()).isEqualTo(204);
        assertThat(get("accounts(" + account + ")/telephone1").status()).isEqualTo(204);
    }

    @Test
    void alternateKeysAddressUpsertAndStayUnique() {
        assertThat(send("PATCH", "dvb_projects(dvb_code='ALT-1')", "{\"dvb_name\":\"By key\"}").status()).isEqualTo(204);
        JsonNode row = get("dvb_projects(dvb_code='ALT-1')?$select=dvb_name,dvb_code").json();
        assertThat(row.get("dvb_code").asText()).isEqualTo("ALT-1");
        assertThat(send("PATCH", "dvb_projects(dvb_code='ALT-1')", "{\"dvb_name\":\"By key again\"}").status()).isEqualTo(204);
        assertThat(get("dvb_projects(dvb_code='ALT-1')?$select=dvb_name").json().get("dvb_projectid").asText())
                .isEqualTo(row.get("dvb_projectid").asText());
        TestClient.Response duplicate = send("POST", "dvb_projects", "{\"dvb_name\":\"dup\",\"dvb_code\":\"alt-1\"}");
        assertThat(duplicate.status()).isEqualTo(412);
        assertThat(duplicate.json().get("error").get("code").asText()).isEqualTo("0x80060892");
        assertThat(send("POST", "contacts", "{\"lastname\":\"K\",\"parentcustomerid_account@odata.bind\":\"/accounts(accountnumber='ACC-0000003')\"}")
                .status()).isEqualTo(204);
    }

    @Test
    void writePrivilegesAndAccessModesAreEnforced() {
        String noWrite = client.userToken(NO_CONTACT_WRITE_USER);
        TestClient.Response create = client.apiRequest("POST", noWrite, "contacts", "{\"lastname\":\"Allowed\"}");
        assertThat(create.status()).isEqualTo(204);
        TestClient.Response update = client.apiRequest("PATCH", noWrite, "contacts(" + idOf(create) + ")", "{\"lastname\":\"Denied\"}");
        assertThat(update.status()).isEqualTo(403);
        assertThat(update.json().get("error").get("code").asText()).isEqualTo("0x80040220");
        assertThat(update.json().get("error").get("message").asText()).contains("is missing prvWritecontact privilege");

        TestClient.Response reader = client.apiRequest("POST", client.userToken(READ_ONLY_USER), "accounts", "{\"name\":\"No\"}");
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.json().get("error").get("message").asText()).contains("accessMode=2").contains("prvCreateaccount");
        assertThat(client.apiRequest("POST", client.userToken(ADMINISTRATIVE_USER), "accounts", "{\"name\":\"No\"}").status()).isEqualTo(403);
        assertThat(send("POST", "systemusers", "{\"firstname\":\"x\"}").status()).isEqualTo(405);
    }
}
