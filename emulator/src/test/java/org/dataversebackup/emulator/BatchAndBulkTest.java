package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** $batch (change sets, Content-ID, errors) and CreateMultiple/UpdateMultiple/UpsertMultiple. */
class BatchAndBulkTest {
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(5, 1, 2)).start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** Builds a multipart batch body with CRLF line ends. */
    static final class BatchBody {
        final String boundary = "batch_" + UUID.randomUUID();
        final StringBuilder text = new StringBuilder();
        private String changeSet;

        BatchBody request(String method, String url, String body) {
            return request(method, url, body, null);
        }

        BatchBody request(String method, String url, String body, String contentId) {
            String delimiter = changeSet != null ? changeSet : boundary;
            text.append("--").append(delimiter).append("\r\n");
            text.append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
            if (contentId != null) {
                text.append("Content-ID: ").append(contentId).append("\r\n");
            }
            text.append("\r\n").append(method).append(' ').append(url).append(" HTTP/1.1\r\n");
            if (body != null) {
                text.append("Content-Type: application/json; type=entry\r\n\r\n").append(body).append("\r\n");
            } else {
                text.append("\r\n\r\n");
            }
            return this;
        }

        BatchBody beginChangeSet() {
            changeSet = "changeset_" + UUID.randomUUID();
            text.append("--").append(boundary).append("\r\n");
            text.append("Content-Type: multipart/mixed; boundary=\"").append(changeSet).append("\"\r\n\r\n");
            return this;
        }

        BatchBody endChangeSet() {
            text.append("--").append(changeSet).append("--\r\n");
            changeSet = null;
            return this;
        }

        String build() {
            return text + "--" + boundary + "--\r\n";
        }
    }

    private static TestClient.Response batch(BatchBody body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "multipart/mixed; boundary=\"" + body.boundary + "\"";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return client.apiRequest("POST", token, "$batch", body.build(), all);
    }

    private static List<Integer> statuses(String body) {
        List<Integer> result = new ArrayList<>();
        Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(body);
        while (m.find()) {
            result.add(Integer.parseInt(m.group(1)));
        }
        return result;
    }

    private static int count(String set, String filter) {
        return Integer.parseInt(client.api(token, set + "/$count?$filter=" + TestClient.q(filter)).body().trim());
    }

    @Test
    void independentRequestsAnswerInOrderWithLocationAndEntityId() {
        BatchBody body = new BatchBody()
                .request("POST", "/api/data/v9.2/accounts", "{\"name\":\"batch one\"}")
                .request("POST", emulator.webApiUrl() + "accounts", "{\"name\":\"batch two\"}")
                .request("GET", "/api/data/v9.2/accounts?$select=name&$filter=startswith(name,'batch%20')", null);
        TestClient.Response r = batch(body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("multipart/mixed; boundary=batchresponse_");
        assertThat(statuses(r.body())).containsExactly(204, 204, 200);
        assertThat(r.body()).contains("Location: " + emulator.webApiUrl() + "accounts(")
                .contains("OData-EntityId: " + emulator.webApiUrl() + "accounts(")
                .contains("\"name\":\"batch one\"").contains("\"name\":\"batch two\"");
        String boundary = r.header("Content-Type").substring(r.header("Content-Type").indexOf("boundary=") + 9);
        assertThat(r.body()).contains("--" + boundary + "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary")
                .endsWith("--" + boundary + "--\r\n");
    }

    @Test
    void changeSetIsAtomicAndContentIdsReferToCreatedRows() {
        BatchBody body = new BatchBody().beginChangeSet()
                .request("POST", "/api/data/v9.2/accounts", "{\"name\":\"cs account\"}", "1")
                .request("POST", "/api/data/v9.2/contacts", "{\"lastname\":\"cs contact\",\"parentcustomerid_account@odata.bind\":\"$1\"}", "2")
                .request("PATCH", "$1", "{\"primarycontactid@odata.bind\":\"$2\"}", "3")
                .request("PUT", "$1/telephone1", "{\"value\":\"555\"}", "4")
                .endChangeSet();
        TestClient.Response r = batch(body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(statuses(r.body())).containsExactly(204, 204, 204, 204);
        assertThat(r.body()).contains("Content-Type: multipart/mixed; boundary=changesetresponse_").contains("Content-ID: 1");
        JsonNode account = client.api(token, "accounts?$select=telephone1,_primarycontactid_value&$filter=" + TestClient.q("name eq 'cs account'"))
                .json().get("value").get(0);
        assertThat(account.get("telephone1").asText()).isEqualTo("555");
        JsonNode contact = client.api(token, "contacts?$select=_parentcustomerid_value&$filter=" + TestClient.q("lastname eq 'cs contact'"))
                .json().get("value").get(0);
        assertThat(contact.get("_parentcustomerid_value").asText()).isEqualTo(account.get("accountid").asText());
        assertThat(account.get("_primarycontactid_value").asText()).isEqualTo(contact.get("contactid").asText());
    }

    @Test
    void failingChangeSetIsRolledBackAndStopsTheBatch() {
        BatchBody body = new BatchBody().beginChangeSet()
                .request("POST", "/api/data/v9.2/accounts", "{\"name\":\"rollback me\"}", "1")
                .request("POST", "/api/data/v9.2/accounts", "{\"name\":\"" + "x".repeat(200) + "\"}", "2")
                .endChangeSet()
                .request("POST", "/api/data/v9.2/accounts", "{\"name\":\"after the change set\"}");
        TestClient.Response r = batch(body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(statuses(r.body())).containsExactly(400);
        assertThat(r.body()).contains("0x80044331");
        assertThat(count("accounts", "name eq 'rollback me'")).isZero();
        assertThat(count("accounts", "name eq 'after the change set'")).isZero();
    }

    @Test
    void firstErrorStopsUnlessContinueOnError() {
        BatchBody stop = new BatchBody()
                .request("POST", "/api/data/v9.2/accounts", "{\"name\":\"stop 1\"}")
                .request("POST", "/api/data/v9.2/accounts", "{\"Name\":\"bad\"}")
                .request("POST", "/api/data/v9.2/accounts", "{\"name\":\"stop 3\"}");
        TestClient.Response r = batch(stop);
        assertThat(r.status()).isEqualTo(400);
        assertThat(statuses(r.body())).containsExactly(204, 400);
        assertThat(count("accounts", "name eq 'stop 1'")).isEqualTo(1);
        assertThat(count("accounts", "name eq 'stop 3'")).isZero();

        BatchBody go = new BatchBody()
                .request("POST", "/api/data/v9.2/accounts", "{\"Name\":\"bad\"}")
                .request("POST", "/api/data/v9.2/accounts", "{\"name\":\"go 2\"}");
        TestClient.Response on = batch(go, "Prefer", "odata.continue-on-error");
        assertThat(on.status()).isEqualTo(200);
        assertThat(statuses(on.body())).containsExactly(400, 204);
        assertThat(count("accounts", "name eq 'go 2'")).isEqualTo(1);
    }

    @Test
    void unknownContentIdGetInChangeSetAndTooManyRequestsAreErrors() {
        BatchBody unknown = new BatchBody().beginChangeSet()
                .request("POST", "/api/data/v9.2/contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"$9\"}", "1")
                .endChangeSet();
        TestClient.Response r = batch(unknown);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("Content-ID Reference: '$9' does not exist in the batch context.");

        BatchBody get = new BatchBody().beginChangeSet().request("GET", "/api/data/v9.2/accounts", null, "1").endChangeSet();
        assertThat(batch(get).status()).isEqualTo(400);

        BatchBody many = new BatchBody();
        for (int i = 0; i < 1001; i++) {
            many.request("GET", "/api/data/v9.2/WhoAmI", null);
        }
        TestClient.Response tooMany = batch(many);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("error").get("message").asText()).contains("1000");
    }

    @Test
    void createMultipleIsAllOrNothing() {
        TestClient.Response r = client.apiRequest("POST", token, "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                "{\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"name\":\"bulk 1\"},"
                        + "{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"name\":\"bulk 2\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("Ids")).hasSize(2);
        assertThat(r.json().get("@odata.context").asText()).endsWith("$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse");
        assertThat(count("accounts", "startswith(name,'bulk ')")).isEqualTo(2);

        TestClient.Response noType = client.apiRequest("POST", token, "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                "{\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"name\":\"bulk 3\"},{\"name\":\"bulk 4\"}]}");
        assertThat(noType.status()).isEqualTo(400);
        String existing = r.json().get("Ids").get(0).asText();
        TestClient.Response duplicate = client.apiRequest("POST", token, "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                "{\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"name\":\"bulk 5\"},"
                        + "{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + existing + "\",\"name\":\"bulk 6\"}]}");
        assertThat(duplicate.status()).isEqualTo(412);
        assertThat(duplicate.json().get("error").get("code").asText()).isEqualTo("0x80040237");
        assertThat(count("accounts", "startswith(name,'bulk ')")).isEqualTo(2);
    }

    /** The query Microsoft documents to tell whether a standard table supports a bulk message: one filter found, or none. */
    @Test
    void sdkMessageFiltersTellWhichTablesSupportTheBulkMessages() {
        String query = "sdkmessagefilters?$select=sdkmessagefilterid&$filter="
                + java.net.URLEncoder.encode("primaryobjecttypecode eq 'account' and sdkmessageid/name eq 'CreateMultiple'",
                        java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        TestClient.Response supported = client.api(token, query);
        assertThat(supported.status()).as(supported.body()).isEqualTo(200);
        assertThat(supported.json().get("value")).hasSize(1);
        assertThat(client.api(token, query.replace("account", "systemuser")).json().get("value")).as("read-only here").isEmpty();
        assertThat(client.api(token, query.replace("CreateMultiple", "UpsertMultiple")).json().get("value")).hasSize(1);
        assertThat(client.api(token, "sdkmessagefilters?$filter=name%20eq%20'x'").status()).isEqualTo(400);
    }

    @Test
    void updateMultipleAndUpsertMultiple() {
        TestClient.Response created = client.apiRequest("POST", token, "dvb_projects/Microsoft.Dynamics.CRM.CreateMultiple",
                "{\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM.dvb_project\",\"dvb_name\":\"um 1\",\"dvb_code\":\"UM-1\"}]}");
        String id = created.json().get("Ids").get(0).asText();
        TestClient.Response update = client.apiRequest("POST", token, "dvb_projects/Microsoft.Dynamics.CRM.UpdateMultiple",
                "{\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM.dvb_project\",\"dvb_projectid\":\"" + id + "\",\"dvb_name\":\"um 1b\"}]}");
        assertThat(update.status()).isEqualTo(204);
        assertThat(client.api(token, "dvb_projects(" + id + ")?$select=dvb_name").json().get("dvb_name").asText()).isEqualTo("um 1b");
        TestClient.Response missing = client.apiRequest("POST", token, "dvb_projects/Microsoft.Dynamics.CRM.UpdateMultiple",
                "{\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM.dvb_project\",\"dvb_projectid\":\"" + id + "\",\"dvb_name\":\"never\"},"
                        + "{\"@odata.type\":\"Microsoft.Dynamics.CRM.dvb_project\",\"dvb_projectid\":\"" + UUID.randomUUID() + "\",\"dvb_name\":\"x\"}]}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(client.api(token, "dvb_projects(" + id + ")?$select=dvb_name").json().get("dvb_name").asText()).isEqualTo("um 1b");

        TestClient.Response upsert = client.apiRequest("POST", token, "dvb_projects/Microsoft.Dynamics.CRM.UpsertMultiple",
                "{\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM.dvb_project\",\"@odata.id\":\"dvb_projects(dvb_code='UM-1')\",\"dvb_name\":\"um 1c\"},"
                        + "{\"@odata.type\":\"Microsoft.Dynamics.CRM.dvb_project\",\"@odata.id\":\"dvb_projects(dvb_code='UM-2')\",\"dvb_name\":\"um 2\"}]}");
        assertThat(upsert.status()).as(upsert.body()).isEqualTo(204);
        assertThat(client.api(token, "dvb_projects(" + id + ")?$select=dvb_name").json().get("dvb_name").asText()).isEqualTo("um 1c");
        assertThat(client.api(token, "dvb_projects(dvb_code='UM-2')?$select=dvb_name").json().get("dvb_name").asText()).isEqualTo("um 2");
    }

    @Test
    void aBatchBodyWithoutCrlfLineEndingsIsRejectedAsDocumented() {
        BatchBody body = new BatchBody().request("POST", "/api/data/v9.2/accounts", "{\"name\":\"lf only\"}");
        String lf = body.build().replace("\r\n", "\n");
        TestClient.Response r = client.apiRequest("POST", token, "$batch", lf, "Content-Type",
                "multipart/mixed; boundary=\"" + body.boundary + "\"");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("Stream was not readable");
        assertThat(count("accounts", "name eq 'lf only'")).isZero();
    }
}
