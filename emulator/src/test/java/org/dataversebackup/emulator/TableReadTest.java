package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading tables by entity set name, as the Web API documents it. */
class TableReadTest {
    static final int ACCOUNTS = 5_100;
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(ACCOUNTS, 1, 40)).start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static TestClient.Response get(String relative, String... headers) {
        return client.api(token, relative.replace(" ", "%20"), headers);
    }

    @Test
    void rowsCarryWeakEtagsLookupValuesAndNoAnnotationsUnlessAsked() {
        TestClient.Response r = get("contacts?$top=3");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode row = r.json().get("value").get(0);
        assertThat(row.get("@odata.etag").asText()).matches("W/\"\\d+\"");
        assertThat(row.has("_parentcustomerid_value")).isTrue();
        assertThat(row.has("parentcustomerid")).isFalse();
        assertThat(row.has("_ownerid_value")).isTrue();
        assertThat(row.get("contactid").asText()).isNotEmpty();
        r.json().get("value").forEach(v -> v.fieldNames().forEachRemaining(n ->
                assertThat(n).doesNotContain("@OData.Community").doesNotContain("@Microsoft.Dynamics")));
        // helper columns (AttributeOf) are not Web API properties
        assertThat(row.has("parentcustomeridname")).isFalse();
        assertThat(row.has("owneridtype")).isFalse();
    }

    @Test
    void selectReturnsTheColumnsThePrimaryKeyAndTheCurrencyOfMoney() {
        TestClient.Response r = get("accounts?$select=name,revenue&$top=1");
        assertThat(r.json().get("@odata.context").asText()).isEqualTo(emulator.webApiUrl() + "$metadata#accounts(name,revenue)");
        JsonNode row = r.json().get("value").get(0);
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("@odata.etag", "name", "revenue", "_transactioncurrencyid_value", "accountid");
        assertThat(row.get("revenue").decimalValue().scale()).isEqualTo(4);
    }

    @Test
    void unknownSelectedColumnIs400WithTheDocumentedMessage() {
        TestClient.Response r = get("accounts?$select=Name");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("0x0");
        assertThat(r.json().get("error").get("message").asText())
                .isEqualTo("Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.");
        assertThat(get("accounts?$select=parentaccountid").status()).isEqualTo(400);
    }

    @Test
    void defaultOrderIsThePrimaryKeyInSqlServerUniqueidentifierOrder() {
        List<UUID> ids = new ArrayList<>();
        get("dvb_projects?$select=dvb_projectid").json().get("value").forEach(v -> ids.add(UUID.fromString(v.get("dvb_projectid").asText())));
        assertThat(ids).hasSize(40);
        List<UUID> sorted = new ArrayList<>(ids);
        sorted.sort(TableReadTest::sqlOrder);
        assertThat(ids).isEqualTo(sorted);
        assertThat(ids).isNotEqualTo(ids.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).toList());
    }

    /** SQL Server compares bytes 10..15, then 8..9, then 7,6, 5,4, 3,2,1,0 of the textual form. */
    static int sqlOrder(UUID a, UUID b) {
        String x = a.toString().replace("-", "");
        String y = b.toString().replace("-", "");
        int[] order = {10, 11, 12, 13, 14, 15, 8, 9, 7, 6, 5, 4, 3, 2, 1, 0};
        for (int i : order) {
            int c = Integer.compare(Integer.parseInt(x.substring(2 * i, 2 * i + 2), 16), Integer.parseInt(y.substring(2 * i, 2 * i + 2), 16));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Test
    void maxPageSizePagesThroughEveryRowOnceFollowingNextLinkVerbatim() {
        Set<String> seen = new HashSet<>();
        String url = emulator.webApiUrl() + "accounts?$select=name";
        int pages = 0;
        while (url != null) {
            TestClient.Response r = client.api(token, url, "Prefer", "odata.maxpagesize=1000");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Preference-Applied")).isEqualTo("odata.maxpagesize=1000");
            JsonNode body = r.json();
            body.get("value").forEach(v -> assertThat(seen.add(v.get("accountid").asText())).isTrue());
            pages++;
            url = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
            if (url != null) {
                assertThat(url).startsWith(emulator.webApiUrl() + "accounts?$select=name&$skiptoken=%3Ccookie%20pagenumber=%22"
                        + (pages + 1) + "%22%20pagingcookie=%22").contains("istracking=%22False%22");
                assertThat(URI.create(url).isAbsolute()).isTrue();
            }
        }
        assertThat(seen).hasSize(ACCOUNTS);
        assertThat(pages).isEqualTo(6);
    }

    @Test
    void withoutMaxPageSizeAPageHolds5000Rows() {
        JsonNode body = get("accounts?$select=accountid").json();
        assertThat(body.get("value")).hasSize(5000);
        assertThat(body.has("@odata.nextLink")).isTrue();
        TestClient.Response tooBig = get("accounts?$select=accountid", "Prefer", "odata.maxpagesize=6000");
        assertThat(tooBig.json().get("value")).hasSize(5000);
        assertThat(tooBig.header("Preference-Applied")).isNull();
    }

    @Test
    void orderByPagesInOrderWithoutDuplicates() {
        List<String> names = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String url = emulator.webApiUrl() + "accounts?$select=name&$orderby=name%20desc&$filter=startswith(name,'C')";
        while (url != null) {
            JsonNode body = client.api(token, url, "Prefer", "odata.maxpagesize=97").json();
            body.get("value").forEach(v -> {
                names.add(v.get("name").asText());
                assertThat(ids.add(v.get("accountid").asText())).isTrue();
            });
            url = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
        }
        assertThat(names).isNotEmpty().allMatch(n -> n.startsWith("C"));
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(String.CASE_INSENSITIVE_ORDER.reversed());
        assertThat(names).isEqualTo(sorted);
        int total = Integer.parseInt(get("accounts/$count?$filter=startswith(name,'C')").body().trim());
        assertThat(ids).hasSize(total);
    }

    @Test
    void filtersOnThePrimaryKeyAndWithTheInQueryFunction() {
        JsonNode all = get("accounts?$select=accountid&$top=3").json().get("value");
        String first = all.get(0).get("accountid").asText();
        String second = all.get(1).get("accountid").asText();
        assertThat(get("accounts?$select=accountid&$filter=" + TestClient.q("accountid eq " + first)).json().get("value"))
                .extracting(v -> v.get("accountid").asText()).containsExactly(first);
        assertThat(get("accounts?$select=accountid&$filter=" + TestClient.q("accountid eq " + first + " or accountid eq " + second))
                .json().get("value")).hasSize(2);
        // Microsoft.Dynamics.CRM.In with a JSON-style array of values, as Microsoft's query function docs write it
        assertThat(get("accounts?$select=accountid&$filter=" + TestClient.q("Microsoft.Dynamics.CRM.In(PropertyName='accountid',"
                + "PropertyValues=[\"" + first + "\",\"" + second + "\"])")).json().get("value"))
                .extracting(v -> v.get("accountid").asText()).containsExactlyInAnyOrder(first, second);
        assertThat(get("accounts?$select=accountid&$filter=" + TestClient.q("Microsoft.Dynamics.CRM.NotIn(PropertyName='accountid',"
                + "PropertyValues=['" + first + "'])") + "&$top=50").json().get("value"))
                .extracting(v -> v.get("accountid").asText()).doesNotContain(first).isNotEmpty();
    }

    @Test
    void filtersOnStringsNumbersGuidsAndDatesWithAndOr() {
        JsonNode all = get("accounts?$select=name,numberofemployees,createdon,accountnumber&$top=50").json().get("value");
        JsonNode first = all.get(0);
        String name = first.get("name").asText();
        assertThat(get("accounts?$select=name&$filter=" + TestClient.q("name eq '" + name.replace("'", "''").toUpperCase() + "'")).json()
                .get("value")).allMatch(v -> v.get("name").asText().equalsIgnoreCase(name));
        assertThat(get("accounts?$select=numberofemployees&$filter=numberofemployees gt 49000").json().get("value"))
                .isNotEmpty().allMatch(v -> v.get("numberofemployees").asInt() > 49000);
        String accountNumber = first.get("accountnumber").asText();
        JsonNode byOr = get("accounts?$select=accountnumber&$filter=accountnumber eq '" + accountNumber
                + "' or accountnumber eq 'ACC-0000002'").json().get("value");
        assertThat(byOr).hasSize(accountNumber.equals("ACC-0000002") ? 1 : 2);
        String createdOn = first.get("createdon").asText();
        JsonNode after = get("accounts?$select=createdon&$filter=createdon gt " + createdOn + " and createdon lt 2099-01-01").json().get("value");
        assertThat(after).allMatch(v -> v.get("createdon").asText().compareTo(createdOn) > 0);

        JsonNode contact = get("contacts?$select=_parentcustomerid_value&$top=1").json().get("value").get(0);
        String parent = contact.get("_parentcustomerid_value").asText();
        assertThat(get("contacts?$select=_parentcustomerid_value&$filter=_parentcustomerid_value eq " + parent).json().get("value"))
                .isNotEmpty().allMatch(v -> v.get("_parentcustomerid_value").asText().equals(parent));
        assertThat(get("accounts?$select=name&$filter=creditlimit eq null and not contains(name,'Contoso')").json().get("value"))
                .allMatch(v -> !v.get("name").asText().contains("Contoso"));
        assertThat(get("dvb_projects?$select=dvb_startdate&$filter=dvb_startdate ge 2024-01-01").json().get("value"))
                .allMatch(v -> v.get("dvb_startdate").asText().compareTo("2024-01-01") >= 0);
    }

    @Test
    void badFiltersAre400() {
        TestClient.Response types = get("accounts?$filter=name eq 5");
        assertThat(types.status()).isEqualTo(400);
        assertThat(types.json().get("error").get("message").asText()).contains("incompatible types");
        assertThat(get("accounts?$filter=nosuch eq 'x'").json().get("error").get("message").asText())
                .isEqualTo("Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.account'.");
        assertThat(get("accounts?$filter=name eq").status()).isEqualTo(400);
    }

    @Test
    void topLimitsTheRowsWithoutNextLink() {
        JsonNode body = get("accounts?$select=name&$top=7").json();
        assertThat(body.get("value")).hasSize(7);
        assertThat(body.has("@odata.nextLink")).isFalse();
    }

    @Test
    void skipIsRejected() {
        TestClient.Response r = get("accounts?$skip=10");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("message").asText()).contains("Skip");
    }

    @Test
    void countIsCappedAt5000WithTheTotalRecordCountAnnotations() {
        TestClient.Response r = get("accounts?$select=accountid&$count=true", "Prefer", "odata.maxpagesize=10",
                "Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\"");
        JsonNode body = r.json();
        assertThat(body.get("@odata.count").asInt()).isEqualTo(5000);
        assertThat(body.get("@Microsoft.Dynamics.CRM.totalrecordcount").asInt()).isEqualTo(5000);
        assertThat(body.get("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded").asBoolean()).isTrue();
        assertThat(body.get("value")).hasSize(10);

        JsonNode few = get("dvb_projects?$select=dvb_projectid&$count=true", "Prefer",
                "odata.include-annotations=\"Microsoft.Dynamics.CRM.*\"").json();
        assertThat(few.get("@odata.count").asInt()).isEqualTo(40);
        assertThat(few.get("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded").asBoolean()).isFalse();
        JsonNode noCount = get("dvb_projects?$select=dvb_projectid", "Prefer", "odata.include-annotations=\"*\"").json();
        assertThat(noCount.get("@Microsoft.Dynamics.CRM.totalrecordcount").asInt()).isEqualTo(-1);

        TestClient.Response plain = get("dvb_projects/$count");
        assertThat(plain.header("Content-Type")).startsWith("text/plain");
        assertThat(plain.body().trim()).isEqualTo("40");
    }

    @Test
    void annotationsForAllOrForANamedList() {
        JsonNode star = get("contacts?$select=fullname,gendercode,annualincome,_parentcustomerid_value,_ownerid_value&$filter=gendercode ne null and annualincome ne null&$top=1",
                "Prefer", "odata.include-annotations=\"*\"").json().get("value").get(0);
        assertThat(star.get("gendercode@OData.Community.Display.V1.FormattedValue").asText()).isIn("Male", "Female");
        assertThat(star.get("annualincome@OData.Community.Display.V1.FormattedValue").asText()).startsWith("$");
        assertThat(star.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isIn("account", "contact");
        assertThat(star.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").asText())
                .isIn("parentcustomerid_account", "parentcustomerid_contact");
        assertThat(star.get("_parentcustomerid_value@OData.Community.Display.V1.FormattedValue").asText()).isNotEmpty();
        assertThat(star.get("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isIn("systemuser", "team");
        List<String> names = new ArrayList<>();
        star.fieldNames().forEachRemaining(names::add);
        assertThat(names.indexOf("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"))
                .isLessThan(names.indexOf("_parentcustomerid_value"));

        TestClient.Response listed = get("contacts?$select=gendercode,_parentcustomerid_value&$filter=gendercode ne null&$top=1",
                "Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"");
        JsonNode row = listed.json().get("value").get(0);
        assertThat(row.has("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname")).isTrue();
        assertThat(row.has("gendercode@OData.Community.Display.V1.FormattedValue")).isFalse();
        assertThat(listed.header("Preference-Applied")).isEqualTo("odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"");
    }

    @Test
    void singleRowByIdAndByAlternateKey() {
        JsonNode first = get("dvb_projects?$select=dvb_code&$top=1").json().get("value").get(0);
        String id = first.get("dvb_projectid").asText();
        TestClient.Response byId = get("dvb_projects(" + id + ")?$select=dvb_name,dvb_code");
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.json().get("@odata.context").asText()).isEqualTo(emulator.webApiUrl() + "$metadata#dvb_projects(dvb_name,dvb_code)/$entity");
        assertThat(byId.json().get("dvb_projectid").asText()).isEqualTo(id);
        TestClient.Response byKey = get("dvb_projects(dvb_code='" + first.get("dvb_code").asText() + "')?$select=dvb_name");
        assertThat(byKey.json().get("dvb_projectid").asText()).isEqualTo(id);
        assertThat(get("accounts(accountnumber='ACC-0000042')?$select=accountnumber").json().get("accountnumber").asText()).isEqualTo("ACC-0000042");

        String etag = byId.json().get("@odata.etag").asText();
        assertThat(get("dvb_projects(" + id + ")?$select=dvb_name", "If-None-Match", etag).status()).isEqualTo(304);

        UUID missing = UUID.randomUUID();
        TestClient.Response notFound = get("dvb_projects(" + missing + ")");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().get("error").get("code").asText()).isEqualTo("0x80040217");
        assertThat(notFound.json().get("error").get("message").asText()).isEqualTo("dvb_project With Id = " + missing + " Does Not Exist");
        assertThat(get("dvb_projects(dvb_name='x')").json().get("error").get("code").asText()).isEqualTo("0x80060890");
        assertThat(get("dvb_projects(" + id + ")/dvb_code").json().get("value").asText()).isEqualTo(first.get("dvb_code").asText());
    }

    @Test
    void intersectAndNavigationReads() {
        JsonNode link = get("dvb_project_contactset?$top=1").json().get("value").get(0);
        assertThat(link.has("dvb_projectid")).isTrue();
        assertThat(link.has("contactid")).isTrue();
        String project = link.get("dvb_projectid").asText();
        JsonNode related = get("dvb_projects(" + project + ")/dvb_project_contact?$select=fullname").json().get("value");
        assertThat(related).anyMatch(c -> c.get("contactid").asText().equals(link.get("contactid").asText()));

        JsonNode contact = get("contacts?$select=_parentcustomerid_value&$filter=_parentcustomerid_value ne null&$top=1",
                "Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"").json().get("value").get(0);
        if (contact.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText().equals("account")) {
            JsonNode children = get("accounts(" + contact.get("_parentcustomerid_value").asText()
                    + ")/contact_customer_accounts?$select=fullname").json().get("value");
            assertThat(children).anyMatch(c -> c.get("contactid").asText().equals(contact.get("contactid").asText()));
        }
    }

    @Test
    void moneyDecimalAndDatesHaveTheirWireFormats() {
        JsonNode p = get("dvb_projects?$select=dvb_budget,dvb_hours,dvb_startdate,dvb_deadline,dvb_completion&$top=1").json().get("value").get(0);
        assertThat(p.get("dvb_budget").decimalValue().scale()).isEqualTo(4);
        assertThat(p.get("dvb_hours").decimalValue()).isInstanceOf(BigDecimal.class);
        assertThat(p.get("dvb_startdate").asText()).matches("\\d{4}-\\d\\d-\\d\\d");
        assertThat(p.get("dvb_deadline").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }
}
