package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** FetchXML through the Web API ({@code GET <entity set>?fetchXml=...}), as Microsoft documents it. */
class FetchXmlTest {
    static final int GENERATED_ACCOUNTS = 12_000;
    static final String PAGING_ANNOTATIONS = "odata.include-annotations=\"Microsoft.Dynamics.CRM.fetchxmlpagingcookie,"
            + "Microsoft.Dynamics.CRM.morerecords\"";
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;
    static final UUID ALPHA = UUID.randomUUID();
    static final UUID BETA = UUID.randomUUID();
    static final UUID GAMMA = UUID.randomUUID();
    static final UUID DELTA = UUID.randomUUID();

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(GENERATED_ACCOUNTS, 0, 0)).start();
        client = new TestClient(emulator);
        token = client.appToken();
        // four accounts and four contacts whose names no generated row has ("FX ...")
        account(ALPHA, "FX Alpha", "Redmond", 100, 4, "2024-03-09T23:00:00Z");
        account(BETA, "FX Beta", "Redmond", 300, 6, null);
        account(GAMMA, "FX Gamma", "Dallas", null, 12, null);
        account(DELTA, "FX Delta", null, 50, null, "2024-03-10T15:00:00Z");
        contact("Ann FX", ALPHA);
        contact("Bob FX", ALPHA);
        contact("Cat FX", BETA);
        contact("Dan FX", null);
    }

    /** customertypecode: 4 Investor, 6 Influencer, 12 Other; their labels sort otherwise than their values. */
    static void account(UUID id, String name, String city, Integer employees, Integer customerType, String onHold) {
        ObjectNode row = owned().put("accountid", id.toString()).put("name", name).put("address1_city", city);
        row.put("numberofemployees", employees).put("customertypecode", customerType).put("lastonholdtime", onHold);
        emulator.state().putRow("account", row);
    }

    static void contact(String fullname, UUID account) {
        ObjectNode row = owned().put("contactid", UUID.randomUUID().toString()).put("fullname", fullname)
                .put("lastname", fullname).put("jobtitle", "Buyer");
        if (account != null) {
            row.put("_parentcustomerid_value", account.toString())
                    .put("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "account");
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

    static TestClient.Response fetch(String set, String xml, String... headers) {
        return fetchWith(set, xml, "", headers);
    }

    /** The FetchXML, URL-encoded, followed by other query options ({@code &$count=true}). */
    static TestClient.Response fetchWith(String set, String xml, String more, String... headers) {
        return client.api(token, set + "?fetchXml=" + TestClient.q(xml) + more, headers);
    }

    static JsonNode rows(String set, String xml, String... headers) {
        TestClient.Response r = fetch(set, xml, headers);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("value");
    }

    /** The names of the FX accounts passing a filter, in name order. */
    static List<String> accountsWhere(String filter) {
        List<String> names = new ArrayList<>();
        rows("accounts", "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/>"
                + "<filter><condition attribute='name' operator='like' value='FX %'/>" + filter + "</filter></entity></fetch>")
                .forEach(r -> names.add(r.get("name").asText()));
        return names;
    }

    static void assertError(TestClient.Response r, String code, String... messageParts) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo(code);
        for (String part : messageParts) {
            assertThat(r.json().get("error").get("message").asText()).contains(part);
        }
    }

    // ------------------------------------------------------------------ columns, filter, order, top

    @Test
    void topFilterAndOrderOfTheIssuesExampleAreApplied() {
        TestClient.Response r = fetch("accounts", "<fetch top=\"2\"><entity name=\"account\"><attribute name=\"name\"/>"
                + "<filter><condition attribute=\"name\" operator=\"like\" value=\"FX%\"/></filter>"
                + "<order attribute=\"name\" descending=\"true\"/></entity></fetch>");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("@odata.context").asText()).isEqualTo(emulator.webApiUrl() + "$metadata#accounts(name)");
        assertThat(body.get("value")).hasSize(2);
        assertThat(body.get("value").get(0).get("name").asText()).isEqualTo("FX Gamma");
        assertThat(body.get("value").get(1).get("name").asText()).isEqualTo("FX Delta");
        List<String> keys = new ArrayList<>();
        body.get("value").get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("@odata.etag", "name", "accountid");
        assertThat(body.get("value").get(0).get("accountid").asText()).isEqualTo(GAMMA.toString());
        assertThat(body.has("@Microsoft.Dynamics.CRM.morerecords")).isFalse();
    }

    @Test
    void nullPropertiesAreLeftOutAndLookupsUseTheirWebApiName() {
        JsonNode rows = rows("accounts", "<fetch><entity name='account'><attribute name='name'/><attribute name='address1_city'/>"
                + "<attribute name='ownerid'/><filter><condition attribute='accountid' operator='in'><value>" + DELTA
                + "</value><value>" + ALPHA + "</value></condition></filter><order attribute='name'/></entity></fetch>");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("address1_city").asText()).isEqualTo("Redmond");
        assertThat(rows.get(1).get("name").asText()).isEqualTo("FX Delta");
        assertThat(rows.get(1).has("address1_city")).isFalse();
        assertThat(rows.get(1).get("_ownerid_value").asText()).isEqualTo(EmulatorIdentities.ADMIN_USER_ID);
    }

    @Test
    void allAttributesAndNoAttributeElementReturnEveryColumn() {
        JsonNode all = rows("accounts", "<fetch><entity name='account'><all-attributes/><filter>"
                + "<condition attribute='accountid' operator='eq' value='" + BETA + "'/></filter></entity></fetch>");
        assertThat(all.get(0).get("numberofemployees").asInt()).isEqualTo(300);
        assertThat(all.get(0).get("customertypecode").asInt()).isEqualTo(6);
        JsonNode implicit = rows("accounts", "<fetch><entity name='account'><filter>"
                + "<condition attribute='accountid' operator='eq' value='{" + BETA.toString().toUpperCase() + "}'/></filter></entity></fetch>");
        assertThat(implicit.get(0).get("address1_city").asText()).isEqualTo("Redmond");
    }

    @Test
    void comparisonOperators() {
        assertThat(accountsWhere("<condition attribute='address1_city' operator='eq' value='redmond'/>"))
                .containsExactly("FX Alpha", "FX Beta");
        // SQL semantics: a null city is not "not equal"
        assertThat(accountsWhere("<condition attribute='address1_city' operator='ne' value='Redmond'/>"))
                .containsExactly("FX Gamma");
        assertThat(accountsWhere("<condition attribute='address1_city' operator='neq' value='Redmond'/>"))
                .containsExactly("FX Gamma");
        assertThat(accountsWhere("<condition attribute='numberofemployees' operator='gt' value='100'/>"))
                .containsExactly("FX Beta");
        assertThat(accountsWhere("<condition attribute='numberofemployees' operator='ge' value='100'/>"))
                .containsExactly("FX Alpha", "FX Beta");
        assertThat(accountsWhere("<condition attribute='numberofemployees' operator='lt' value='100'/>"))
                .containsExactly("FX Delta");
        assertThat(accountsWhere("<condition attribute='numberofemployees' operator='le' value='100'/>"))
                .containsExactly("FX Alpha", "FX Delta");
        assertThat(accountsWhere("<condition attribute='numberofemployees' operator='between'><value>60</value>"
                + "<value>300</value></condition>")).containsExactly("FX Alpha", "FX Beta");
        assertThat(accountsWhere("<condition attribute='numberofemployees' operator='not-between'><value>60</value>"
                + "<value>300</value></condition>")).containsExactly("FX Delta");
    }

    @Test
    void textAndSetOperators() {
        assertThat(accountsWhere("<condition attribute='name' operator='like' value='%et%'/>")).containsExactly("FX Beta");
        assertThat(accountsWhere("<condition attribute='name' operator='like' value='FX _amma'/>")).containsExactly("FX Gamma");
        assertThat(accountsWhere("<condition attribute='name' operator='like' value='FX [AB]%'/>"))
                .containsExactly("FX Alpha", "FX Beta");
        assertThat(accountsWhere("<condition attribute='name' operator='not-like' value='FX A%'/>"))
                .containsExactly("FX Beta", "FX Delta", "FX Gamma");
        assertThat(accountsWhere("<condition attribute='name' operator='begins-with' value='fx g'/>"))
                .containsExactly("FX Gamma");
        assertThat(accountsWhere("<condition attribute='name' operator='ends-with' value='ta'/>"))
                .containsExactly("FX Beta", "FX Delta");
        assertThat(accountsWhere("<condition attribute='address1_city' operator='in'><value>Dallas</value>"
                + "<value>Redmond</value></condition>")).containsExactly("FX Alpha", "FX Beta", "FX Gamma");
        assertThat(accountsWhere("<condition attribute='address1_city' operator='not-in'><value>Redmond</value></condition>"))
                .containsExactly("FX Gamma");
        assertThat(accountsWhere("<condition attribute='address1_city' operator='null'/>")).containsExactly("FX Delta");
        assertThat(accountsWhere("<condition attribute='numberofemployees' operator='not-null'/>"))
                .containsExactly("FX Alpha", "FX Beta", "FX Delta");
        assertThat(accountsWhere("<condition attribute='customertypecode' operator='eq' value='6'/>")).containsExactly("FX Beta");
    }

    @Test
    void dateOperatorsCompareTheDay() {
        assertThat(accountsWhere("<condition attribute='lastonholdtime' operator='on-or-after' value='2024-03-10'/>"))
                .containsExactly("FX Delta");
        assertThat(accountsWhere("<condition attribute='lastonholdtime' operator='on-or-before' value='2024-03-09'/>"))
                .containsExactly("FX Alpha");
        assertThat(accountsWhere("<condition attribute='lastonholdtime' operator='on-or-before' value='2024-03-10'/>"))
                .containsExactly("FX Alpha", "FX Delta");
    }

    @Test
    void nestedAndOrFilters() {
        assertThat(accountsWhere("<filter type='or'><condition attribute='address1_city' operator='eq' value='Dallas'/>"
                + "<condition attribute='numberofemployees' operator='gt' value='200'/></filter>"))
                .containsExactly("FX Beta", "FX Gamma");
        assertThat(accountsWhere("<filter type='or'><filter><condition attribute='address1_city' operator='eq' value='Redmond'/>"
                + "<condition attribute='numberofemployees' operator='lt' value='200'/></filter>"
                + "<condition attribute='address1_city' operator='null'/></filter>")).containsExactly("FX Alpha", "FX Delta");
    }

    @Test
    void choicesOrderByLabelAndRawWithUseRawOrderBy() {
        String fetch = "<fetch{options}><entity name='account'><attribute name='name'/><order attribute='customertypecode'/>"
                + "<filter><condition attribute='name' operator='like' value='FX %'/></filter></entity></fetch>";
        List<String> byLabel = new ArrayList<>();
        rows("accounts", fetch.replace("{options}", "")).forEach(r -> byLabel.add(r.get("name").asText()));
        // nulls first, then Influencer (6), Investor (4), Other (12)
        assertThat(byLabel).containsExactly("FX Delta", "FX Beta", "FX Alpha", "FX Gamma");
        List<String> byValue = new ArrayList<>();
        rows("accounts", fetch.replace("{options}", " useraworderby='true'")).forEach(r -> byValue.add(r.get("name").asText()));
        assertThat(byValue).containsExactly("FX Delta", "FX Alpha", "FX Beta", "FX Gamma");
    }

    // ------------------------------------------------------------------ link-entity

    @Test
    void innerAndOuterLinkEntitiesNameTheirColumnsAliasDotColumn() {
        String link = "<link-entity name='account' from='accountid' to='parentcustomerid' link-type='{type}' alias='acct'>"
                + "<attribute name='name'/><attribute name='numberofemployees' alias='staff'/></link-entity>";
        String fetch = "<fetch><entity name='contact'><attribute name='fullname'/><order attribute='fullname'/>"
                + "<filter><condition attribute='fullname' operator='like' value='% FX'/></filter>{link}</entity></fetch>";
        JsonNode inner = rows("contacts", fetch.replace("{link}", link.replace("{type}", "inner")));
        assertThat(inner).hasSize(3);
        assertThat(inner.get(0).get("fullname").asText()).isEqualTo("Ann FX");
        assertThat(inner.get(0).get("acct.name").asText()).isEqualTo("FX Alpha");
        assertThat(inner.get(0).get("staff").asInt()).isEqualTo(100);
        assertThat(inner.get(2).get("acct.name").asText()).isEqualTo("FX Beta");

        JsonNode outer = rows("contacts", fetch.replace("{link}", link.replace("{type}", "outer")));
        assertThat(outer).hasSize(4);
        assertThat(outer.get(3).get("fullname").asText()).isEqualTo("Dan FX");
        assertThat(outer.get(3).has("acct.name")).isFalse();

        // an outer join with a condition on the link's key: the contacts without an account
        JsonNode orphans = rows("contacts", "<fetch><entity name='contact'><attribute name='fullname'/>"
                + "<link-entity name='account' from='accountid' to='parentcustomerid' link-type='outer' alias='acct'/>"
                + "<filter><condition attribute='fullname' operator='like' value='% FX'/>"
                + "<condition entityname='acct' attribute='accountid' operator='null'/></filter></entity></fetch>");
        assertThat(orphans).hasSize(1);
        assertThat(orphans.get(0).get("fullname").asText()).isEqualTo("Dan FX");
    }

    @Test
    void oneToManyLinkRepeatsTheEntityRowAndAnUnaliasedLinkUsesTheTableName() {
        JsonNode rows = rows("accounts", "<fetch><entity name='account'><attribute name='name'/>"
                + "<filter><condition attribute='name' operator='like' value='FX %'/></filter>"
                + "<link-entity name='contact' from='parentcustomerid' to='accountid'><attribute name='fullname'/>"
                + "<filter><condition attribute='fullname' operator='ne' value='Bob FX'/></filter>"
                + "<order attribute='fullname'/></link-entity><order attribute='name'/></entity></fetch>");
        List<String> pairs = new ArrayList<>();
        rows.forEach(r -> pairs.add(r.get("name").asText() + "/" + r.get("contact.fullname").asText()));
        assertThat(pairs).containsExactly("FX Alpha/Ann FX", "FX Beta/Cat FX");
    }

    @Test
    void lookupsOrderByTheRelatedRowsName() {
        List<String> names = new ArrayList<>();
        rows("contacts", "<fetch><entity name='contact'><attribute name='fullname'/>"
                + "<filter><condition attribute='fullname' operator='like' value='% FX'/></filter>"
                + "<order attribute='parentcustomerid' descending='true'/><order attribute='fullname'/></entity></fetch>")
                .forEach(r -> names.add(r.get("fullname").asText()));
        // FX Beta's contact first, then FX Alpha's, then the one without an account (nulls sort first ascending)
        assertThat(names).containsExactly("Cat FX", "Ann FX", "Bob FX", "Dan FX");
    }

    // ------------------------------------------------------------------ aggregate, distinct

    @Test
    void aggregateFunctions() {
        JsonNode rows = rows("accounts", "<fetch aggregate='true'><entity name='account'>"
                + "<attribute name='numberofemployees' alias='Average' aggregate='avg'/>"
                + "<attribute name='numberofemployees' alias='Count' aggregate='count'/>"
                + "<attribute name='numberofemployees' alias='ColumnCount' aggregate='countcolumn'/>"
                + "<attribute name='address1_city' alias='Cities' aggregate='countcolumn' distinct='true'/>"
                + "<attribute name='numberofemployees' alias='Maximum' aggregate='max'/>"
                + "<attribute name='numberofemployees' alias='Minimum' aggregate='min'/>"
                + "<attribute name='numberofemployees' alias='Sum' aggregate='sum'/>"
                + "<filter><condition attribute='name' operator='like' value='FX %'/></filter></entity></fetch>");
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("Count").asInt()).isEqualTo(4);
        assertThat(row.get("ColumnCount").asInt()).isEqualTo(3);
        assertThat(row.get("Cities").asInt()).isEqualTo(2);
        assertThat(row.get("Sum").asInt()).isEqualTo(450);
        assertThat(row.get("Average").asInt()).isEqualTo(150);
        assertThat(row.get("Minimum").asInt()).isEqualTo(50);
        assertThat(row.get("Maximum").asInt()).isEqualTo(300);
    }

    @Test
    void aggregateGroupedAndOrderedByAlias() {
        JsonNode rows = rows("accounts", "<fetch aggregate='true'><entity name='account'>"
                + "<attribute name='numberofemployees' alias='Total' aggregate='sum'/>"
                + "<attribute name='accountid' alias='Count' aggregate='count'/>"
                + "<attribute name='address1_city' alias='City' groupby='true'/><order alias='City' descending='true'/>"
                + "<filter><condition attribute='name' operator='like' value='FX %'/></filter></entity></fetch>");
        List<String> groups = new ArrayList<>();
        rows.forEach(r -> groups.add((r.has("City") ? r.get("City").asText() : "(null)") + ":" + r.get("Count").asInt()
                + ":" + r.get("Total").asInt()));
        assertThat(groups).containsExactly("Redmond:2:400", "Dallas:1:0", "(null):1:50");
    }

    @Test
    void aggregateOverLinkedRows() {
        JsonNode rows = rows("contacts", "<fetch aggregate='true'><entity name='contact'>"
                + "<attribute name='contactid' alias='Contacts' aggregate='count'/>"
                + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='acct'>"
                + "<attribute name='name' alias='Account' groupby='true'/></link-entity>"
                + "<filter><condition attribute='fullname' operator='like' value='% FX'/></filter>"
                + "<order alias='Account'/></entity></fetch>");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("Account").asText()).isEqualTo("FX Alpha");
        assertThat(rows.get(0).get("Contacts").asInt()).isEqualTo(2);
        assertThat(rows.get(1).get("Contacts").asInt()).isEqualTo(1);
    }

    @Test
    void aggregateOverMoreThanFiftyThousandRowsOrItsOwnLimitIsRefused() {
        TestClient.Response r = fetch("accounts", "<fetch aggregate='true' aggregatelimit='10'><entity name='account'>"
                + "<attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>");
        assertError(r, "0x8004E023", "AggregateQueryRecordLimit exceeded");
    }

    @Test
    void distinctLeavesOutRepeatedRows() {
        JsonNode rows = rows("accounts", "<fetch distinct='true'><entity name='account'><attribute name='address1_city'/>"
                + "<filter><condition attribute='name' operator='like' value='FX %'/></filter>"
                + "<order attribute='address1_city'/></entity></fetch>");
        List<String> cities = new ArrayList<>();
        rows.forEach(r -> cities.add(r.has("address1_city") ? r.get("address1_city").asText() : "(null)"));
        assertThat(cities).containsExactly("(null)", "Dallas", "Redmond");
        assertThat(rows.get(1).has("accountid")).isFalse();
    }

    // ------------------------------------------------------------------ paging

    @Test
    void pagingCookieReturnsEveryOneOfTwelveThousandRowsExactlyOnce() {
        int total = emulator.state().count("account");
        assertThat(total).isGreaterThan(GENERATED_ACCOUNTS);
        // after the first page a row is added that sorts before it: paging by the cookie (the
        // position after the last row) neither returns it nor repeats a row, as paging by number would
        UUID sortsFirst = UUID.fromString("00000001-0000-0000-0000-000000000000");
        assertThat(pageThrough("<fetch count='5000' page='%d'%s><entity name='account'><attribute name='name'/></entity></fetch>",
                sortsFirst)).isEqualTo(total);
        emulator.state().deleteRow("account", sortsFirst);
        // ordered by a column with repeated values and nulls, then another: the cookie carries both and the key
        UUID nullCity = UUID.randomUUID();
        assertThat(pageThrough("<fetch count='2500' page='%d'%s><entity name='account'><attribute name='name'/>"
                + "<order attribute='address1_city'/><order attribute='name' descending='true'/></entity></fetch>", nullCity))
                .isEqualTo(total);
        emulator.state().deleteRow("account", nullCity);
    }

    /**
     * Follows the documented loop (decode pagingcookie twice, set it XML-encoded as paging-cookie,
     * increment page); after the first page adds an account named "ZZZ" without a city under the
     * given id. Returns how many rows were returned, each once.
     */
    private static int pageThrough(String template, UUID addedAfterFirstPage) {
        Set<String> seen = new HashSet<>();
        String cookie = null;
        int page = 1;
        while (true) {
            String attribute = cookie == null ? "" : " paging-cookie='" + cookie.replace("&", "&amp;").replace("<", "&lt;")
                    .replace(">", "&gt;").replace("'", "&apos;") + "'";
            TestClient.Response r = fetch("accounts", String.format(template, page, attribute), "Prefer", PAGING_ANNOTATIONS);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode body = r.json();
            body.get("value").forEach(v -> assertThat(seen.add(v.get("accountid").asText())).as("row returned twice").isTrue());
            if (page == 1) {
                emulator.state().putRow("account", owned().put("accountid", addedAfterFirstPage.toString()).put("name", "ZZZ"));
            }
            if (!body.has("@Microsoft.Dynamics.CRM.morerecords")) {
                assertThat(body.has("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie")).isFalse();
                break;
            }
            assertThat(body.get("@Microsoft.Dynamics.CRM.morerecords").asBoolean()).isTrue();
            String annotation = body.get("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie").asText();
            Matcher m = Pattern.compile("<cookie pagenumber=\"(\\d+)\" pagingcookie=\"([^\"]+)\" istracking=\"False\" />")
                    .matcher(annotation);
            assertThat(m.matches()).as(annotation).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(page + 1);
            assertThat(m.group(2)).startsWith("%253ccookie%2520page%253d%2522" + page + "%2522%253e");
            cookie = URLDecoder.decode(URLDecoder.decode(m.group(2), StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            page++;
        }
        assertThat(seen).doesNotContain(addedAfterFirstPage.toString());
        return seen.size();
    }

    @Test
    void simplePagingByPageNumberWithoutACookie() {
        String fetch = "<fetch count='2' page='{page}'><entity name='account'><attribute name='name'/><order attribute='name'/>"
                + "<filter><condition attribute='name' operator='like' value='FX %'/></filter></entity></fetch>";
        JsonNode second = fetch("accounts", fetch.replace("{page}", "2"), "Prefer", "odata.include-annotations=\"*\"").json();
        assertThat(second.get("value").get(0).get("name").asText()).isEqualTo("FX Delta");
        assertThat(second.get("value").get(1).get("name").asText()).isEqualTo("FX Gamma");
        assertThat(second.has("@Microsoft.Dynamics.CRM.morerecords")).isFalse();
        JsonNode first = fetch("accounts", fetch.replace("{page}", "1"), "Prefer", "odata.include-annotations=\"*\"").json();
        assertThat(first.get("@Microsoft.Dynamics.CRM.morerecords").asBoolean()).isTrue();
        assertThat(fetch("accounts", fetch.replace("{page}", "3")).json().get("value")).isEmpty();
    }

    @Test
    void countsWithDollarCountAndReturnTotalRecordCount() {
        JsonNode counted = fetchWith("accounts", "<fetch count='1'><entity name='account'><attribute name='name'/>"
                + "<filter><condition attribute='name' operator='like' value='FX %'/></filter></entity></fetch>", "&$count=true",
                "Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount\"").json();
        assertThat(counted.get("@odata.count").asInt()).isEqualTo(4);
        assertThat(counted.get("@Microsoft.Dynamics.CRM.totalrecordcount").asInt()).isEqualTo(4);
        assertThat(counted.get("value")).hasSize(1);
        JsonNode all = fetch("accounts", "<fetch returntotalrecordcount='true' count='1'><entity name='account'>"
                + "<attribute name='name'/></entity></fetch>", "Prefer", "odata.include-annotations=\"*\"").json();
        assertThat(all.get("@Microsoft.Dynamics.CRM.totalrecordcount").asInt()).isEqualTo(5000);
        assertThat(all.get("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded").asBoolean()).isTrue();
    }

    @Test
    void fetchXmlInsideABatchAsDocumentedForLongQueries() {
        String xml = "<fetch><entity name='account'><attribute name='name'/><filter>"
                + "<condition attribute='accountid' operator='eq' value='" + GAMMA + "'/></filter></entity></fetch>";
        String body = "--batch_AAA123\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET " + emulator.webApiUrl() + "accounts?fetchXml=" + TestClient.q(xml) + " HTTP/1.1\r\n"
                + "Accept: application/json\r\n\r\n--batch_AAA123--\r\n";
        TestClient.Response r = client.apiRequest("POST", token, "$batch", body, "Content-Type",
                "multipart/mixed;boundary=batch_AAA123");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("HTTP/1.1 200 OK").contains("\"name\":\"FX Gamma\"");
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void unsupportedElementsAttributesAndOperatorsAreRefusedByName() {
        assertError(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/><unknown/></entity></fetch>"),
                "0x8004111c", "<unknown>");
        assertError(fetch("accounts", "<fetch datasource='retained'><entity name='account'/></fetch>"),
                "0x8004111c", "'datasource'");
        assertError(fetch("accounts", "<fetch><entity name='account'><attribute name='createdon' groupby='true'"
                + " dategrouping='month'/></entity></fetch>"), "0x8004111c", "'dategrouping'");
        assertError(fetch("accounts", "<fetch><entity name='account'><filter><condition attribute='createdon'"
                + " operator='last-x-days' value='3'/></filter></entity></fetch>"), "0x80041120", "'last-x-days'");
        assertError(fetch("accounts", "<fetch><entity name='account'><link-entity name='contact' from='parentcustomerid'"
                + " to='accountid' link-type='exists'/></entity></fetch>"), "0x80041117", "'exists'");
        assertError(fetch("accounts", "<fetch><entity name='account'><link-entity name='contact' from='parentcustomerid'"
                + " to='accountid' link-type='sideways'/></entity></fetch>"), "0x80041117", "link-type");
        assertError(fetch("accounts", "<fetch><entity name='account'><filter><condition attribute='name' operator='eq'"
                + " valueof='accountnumber'/></filter></entity></fetch>"), "0x8004111c", "'valueof'");
    }

    @Test
    void schemaErrorsHaveDataversesCodes() {
        assertError(fetch("accounts", "<fetch><entity name='account'><attribute name='nope'/></entity></fetch>"),
                "0x80041103", "'account' entity doesn't contain attribute with Name = 'nope'");
        assertError(fetch("accounts", "<fetch><entity name='contact'/></fetch>"), "0x80041128");
        assertError(fetch("accounts", "<fetch><entity name='account'><link-entity name='nosuch' from='a' to='b'/></entity></fetch>"),
                "0x80041102");
        assertError(fetch("accounts", "<fetch><entity name='account'><filter type='xor'/></entity></fetch>"), "0x80041122");
        assertError(fetch("accounts", "<fetch><entity name='account'><filter><condition attribute='numberofemployees'"
                + " operator='eq' value='many'/></filter></entity></fetch>"), "0x80040203", "'many'");
        assertError(fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='name'/></entity></fetch>"),
                "0x80041107");
        assertError(fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='name' alias='n'"
                + " aggregate='sum'/></entity></fetch>"), "0x8004112F");
        assertError(fetch("accounts", "<fetch top='3' page='2'><entity name='account'/></fetch>"), "0x80040203", "top");
        assertError(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/></entity"), "0x80040203");
        String link = "<link-entity name='contact' from='contactid' to='primarycontactid' alias='c%d'/>";
        StringBuilder sixteen = new StringBuilder("<fetch><entity name='account'>");
        for (int i = 0; i < 16; i++) {
            sixteen.append(String.format(link, i));
        }
        assertError(fetch("accounts", sixteen + "</entity></fetch>"), "0x8004430D", "maximum limit");
        assertError(fetch("accounts", "<fetch><entity name='account'>" + String.format(link, 1) + String.format(link, 1)
                + "</entity></fetch>"), "0x80041130");
        assertError(fetch("accounts", "<fetch><entity name='account'><filter><condition entityname='nobody'"
                + " attribute='name' operator='null'/></filter></entity></fetch>"), "0x8004110a");
    }

    @Test
    void orderByALinkedColumnFirstWithEntityNameAndNoAttrs() {
        JsonNode rows = rows("contacts", "<fetch><entity name='contact'><no-attrs/>"
                + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='acct'><attribute name='name'/></link-entity>"
                + "<filter><condition attribute='fullname' operator='like' value='% FX'/></filter>"
                + "<order entityname='acct' attribute='name' descending='true'/></entity></fetch>");
        List<String> accounts = new ArrayList<>();
        rows.forEach(r -> accounts.add(r.get("acct.name").asText()));
        assertThat(accounts).containsExactly("FX Beta", "FX Alpha", "FX Alpha");
        List<String> keys = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("@odata.etag", "contactid", "acct.name");
    }

    @Test
    void doctypesAreRefusedSoExternalEntitiesCanNeverBeRead() {
        TestClient.Response r = fetch("accounts", "<?xml version='1.0'?><!DOCTYPE fetch [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<fetch><entity name='account'><filter><condition attribute='name' operator='eq' value='&x;'/>"
                + "</filter></entity></fetch>");
        assertError(r, "0x80040203", "DOCTYPE");
        assertThat(r.body()).doesNotContain("root:");
    }

    @Test
    void viewsAndODataOptionsBesideFetchXmlAreRefused() {
        assertError(client.api(token, "accounts?savedQuery=00000000-0000-0000-00aa-000010001002"), "0x80060888", "savedQuery");
        assertError(client.api(token, "accounts?userQuery=00000000-0000-0000-00aa-000010001002"), "0x80060888", "userQuery");
        assertError(fetchWith("accounts", "<fetch><entity name='account'/></fetch>", "&$select=name"), "0x80060888", "$select");
        assertError(client.api(token, "accounts(" + ALPHA + ")?fetchXml=" + TestClient.q("<fetch><entity name='account'/></fetch>")),
                "0x80060888", "fetchXml");
    }

    @Test
    void moneyColumnsBringTheirCurrency() {
        ObjectNode row = owned().put("accountid", UUID.randomUUID().toString()).put("name", "FY Money")
                .put("revenue", new BigDecimal("10.5")).put("_transactioncurrencyid_value", EmulatorIdentities.BASE_CURRENCY_ID);
        emulator.state().putRow("account", row);
        JsonNode r = rows("accounts", "<fetch><entity name='account'><attribute name='revenue'/><filter>"
                + "<condition attribute='name' operator='eq' value='FY Money'/></filter></entity></fetch>",
                "Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"").get(0);
        assertThat(r.get("revenue").decimalValue()).isEqualByComparingTo("10.5");
        assertThat(r.get("revenue@OData.Community.Display.V1.FormattedValue").asText()).isEqualTo("$10.50");
        assertThat(r.get("_transactioncurrencyid_value").asText()).isEqualTo(EmulatorIdentities.BASE_CURRENCY_ID);
    }
}
