package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BatchRequestTest {
    private static final URI API = URI.create("https://contoso.crm.dynamics.com/api/data/v9.2/");

    @Test
    void writesOnePartPerOperationWithTheAbsolutePathAndCrlfLines() {
        BatchRequest request = BatchRequest.of(List.of(
                new WriteOperation("PATCH", "accounts(00000000-0000-0000-0000-000000000001)", Map.of("If-Match", "*"),
                        "{\"name\":\"A\"}".getBytes(StandardCharsets.UTF_8)),
                new WriteOperation("POST", "contacts", Map.of(), "{\"lastname\":\"B\"}".getBytes(StandardCharsets.UTF_8))), API);
        String body = new String(request.body(), StandardCharsets.UTF_8);
        String b = request.boundary();
        assertThat(b).startsWith("batch_");
        assertThat(request.contentType()).isEqualTo("multipart/mixed; boundary=\"" + b + "\"");
        assertThat(body).isEqualTo("--" + b + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "\r\n"
                + "PATCH /api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001) HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n"
                + "If-Match: *\r\n"
                + "\r\n"
                + "{\"name\":\"A\"}\r\n"
                + "--" + b + "\r\n"
                + "Content-Type: application/http\r\n"
                + "Content-Transfer-Encoding: binary\r\n"
                + "\r\n"
                + "POST /api/data/v9.2/contacts HTTP/1.1\r\n"
                + "Content-Type: application/json\r\n"
                + "\r\n"
                + "{\"lastname\":\"B\"}\r\n"
                + "--" + b + "--\r\n");
    }

    /** The change set response of Microsoft's "Execute batch operations using the Web API", with LF line ends. */
    @Test
    void parsesTheDocumentedChangeSetResponse() {
        String response = """
                --batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
                Content-Type: multipart/mixed; boundary=changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15

                --changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
                Content-Type: application/http
                Content-Transfer-Encoding: binary
                Content-ID: 1

                HTTP/1.1 204 No Content
                OData-Version: 4.0
                Location: [Organization Uri]/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)
                OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)


                --changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
                Content-Type: application/http
                Content-Transfer-Encoding: binary
                Content-ID: 2

                HTTP/1.1 204 No Content
                OData-Version: 4.0


                --changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15--
                --batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
                Content-Type: application/http
                Content-Transfer-Encoding: binary

                HTTP/1.1 200 OK
                Content-Type: application/json; odata.metadata=minimal; odata.streaming=true
                OData-Version: 4.0

                {
                  "value": [ { "subject": "Task 1 in batch" } ]
                }
                --batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f--
                """;
        List<BatchResponse.Part> parts = BatchResponse.parse(
                "multipart/mixed; boundary=batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f",
                response.getBytes(StandardCharsets.UTF_8));
        assertThat(parts).extracting(BatchResponse.Part::status).containsExactly(204, 204, 200);
        assertThat(parts.get(0).header("OData-EntityId")).hasValueSatisfying(v -> assertThat(v).endsWith("e73ffc82-e292-ed11-aad1-000d3a9933c9)"));
        assertThat(parts.get(2).body()).contains("Task 1 in batch");
    }

    /** The continue-on-error response of the same page, CRLF line ends: the failed part carries the Web API error. */
    @Test
    void readsTheErrorOfAFailedPart() {
        String response = String.join("\r\n",
                "--batchresponse_f44bd09d",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "",
                "HTTP/1.1 400 Bad Request",
                "REQ_ID: de4c5227-4a28-4ebd-8ced-3392ece1697b",
                "Content-Type: application/json; odata.metadata=minimal",
                "OData-Version: 4.0",
                "",
                "{\"error\":{\"code\":\"0x80044331\",\"message\":\"A validation error occurred.\"}}",
                "--batchresponse_f44bd09d",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "",
                "HTTP/1.1 204 No Content",
                "OData-Version: 4.0",
                "",
                "",
                "--batchresponse_f44bd09d--",
                "");
        List<BatchResponse.Part> parts = BatchResponse.parse("multipart/mixed; boundary=\"batchresponse_f44bd09d\"",
                response.getBytes(StandardCharsets.UTF_8));
        assertThat(parts).hasSize(2);
        WriteResult failed = parts.get(0).result();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.status()).isEqualTo(400);
        assertThat(failed.code()).isEqualTo("0x80044331");
        assertThat(failed.message()).isEqualTo("A validation error occurred.");
        assertThat(parts.get(1).result().succeeded()).isTrue();
    }

    @Test
    void recognisesDuplicateKeyAndNotFoundAnswers() {
        assertThat(new WriteResult(412, "", "A record with matching key values already exists.").duplicateKey()).isTrue();
        assertThat(new WriteResult(400, "0x80040237", "Cannot insert duplicate key.").duplicateKey()).isTrue();
        assertThat(new WriteResult(500, "", "Cannot insert duplicate key exception").duplicateKey()).isTrue();
        assertThat(new WriteResult(400, "0x80044331", "A validation error occurred.").duplicateKey()).isFalse();
        assertThat(new WriteResult(404, "", "account With Id = x Does Not Exist").notFound()).isTrue();
        assertThat(WriteResult.ok(204).notFound()).isFalse();
    }
}
