package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RecordPageTest {

    @Test
    void keepsEachRecordByteForByteAndDropsTheContext() {
        String body = "{\"@odata.context\":\"https://x/api/data/v9.2/$metadata#accounts\",\"value\":["
                + "{\"@odata.etag\":\"W/\\\"72201545\\\"\",\"name\":\"A \\\"quoted\\\" name\",\"revenue\":12345678901234.1234567891,"
                + "\"_parentaccountid_value\":null,\"_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname\":\"team\"},"
                + "{\"name\":\"\\u00e9t\u00e9\",\"nested\":{\"a\":[1,2,{\"b\":\"}\"}]}}"
                + "],\"@odata.nextLink\":\"https://x/api/data/v9.2/accounts?$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E\"}";
        RecordPage page = RecordPage.parse(body.getBytes(StandardCharsets.UTF_8));

        assertThat(page.records()).hasSize(2);
        assertThat(new String(page.records().get(0), StandardCharsets.UTF_8)).isEqualTo(
                "{\"@odata.etag\":\"W/\\\"72201545\\\"\",\"name\":\"A \\\"quoted\\\" name\",\"revenue\":12345678901234.1234567891,"
                        + "\"_parentaccountid_value\":null,\"_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname\":\"team\"}");
        assertThat(new String(page.records().get(1), StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"\\u00e9t\u00e9\",\"nested\":{\"a\":[1,2,{\"b\":\"}\"}]}}");
        assertThat(page.nextLink()).endsWith("%3Ccookie%20pagenumber=%222%22%20/%3E");
        assertThat(page.deltaLink()).isNull();
    }

    @Test
    void prettyPrintedRecordsBecomeSingleLines() {
        String body = "{\n  \"value\": [\n    {\n      \"name\": \"a\\nb\",\n      \"n\": 1\n    }\n  ],\n"
                + "  \"@odata.deltaLink\": \"https://x/api/data/v9.2/accounts?$deltatoken=1\"\n}";
        RecordPage page = RecordPage.parse(body.getBytes(StandardCharsets.UTF_8));
        String record = new String(page.records().get(0), StandardCharsets.UTF_8);
        assertThat(record).doesNotContain("\n").contains("\"a\\nb\"");
        assertThat(page.nextLink()).isNull();
        assertThat(page.deltaLink()).endsWith("$deltatoken=1");
    }

    @Test
    void emptyPage() {
        RecordPage page = RecordPage.parse("{\"value\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThat(page.records()).isEmpty();
        assertThat(page.nextLink()).isNull();
    }
}
