package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

class RecordMapperTest {
    private static final String LOOKUP = "@Microsoft.Dynamics.CRM.lookuplogicalname";
    private static final String NAV = "@Microsoft.Dynamics.CRM.associatednavigationproperty";
    private static final String CONNECTION_USER = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
    private static final String KNOWN_USER = "5a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d";
    private static final String GONE_USER = "99999999-9e0f-4a1b-8c2d-4e5f6a7b8c9d";
    private static final String TEAM = "11111111-2222-4333-8444-555555555555";

    private final Set<String> existingInTarget = new HashSet<>(Set.of(KNOWN_USER, TEAM));
    private final RestoreOrder order = RestoreOrder.of(List.of(Schemas.account(), Schemas.contact()));
    private final EntitySets sets = new EntitySets(Map.of("account", "accounts", "contact", "contacts"),
            table -> Optional.ofNullable(Map.of("systemuser", "systemusers", "team", "teams", "transactioncurrency",
                    "transactioncurrencies").get(table)));

    private TargetReferences references(ReferenceMapping mapping) {
        return new TargetReferences(mapping, CONNECTION_USER, Set.copyOf(order.tables()),
                (table, ids) -> ids.stream().filter(existingInTarget::contains).collect(java.util.stream.Collectors.toSet()));
    }

    private RecordMapper accounts() {
        return new RecordMapper(Schemas.account(), order, sets, references(ReferenceMapping.NONE), true);
    }

    private RecordMapper contacts(TargetReferences references) {
        return new RecordMapper(Schemas.contact(), order, sets, references, true);
    }

    /** An account as the backup saved it: annotations, formatted values, helper and system columns. */
    private static JsonNode savedAccount() {
        return Schemas.json("""
                {"@odata.etag":"W/\\"72201545\\"","accountid":"AAAAAAAA-0000-4000-8000-000000000001",
                 "name":"Contoso","name@OData.Community.Display.V1.FormattedValue":"Contoso",
                 "revenue":5000000.0000,"revenue@OData.Community.Display.V1.FormattedValue":"$5,000,000.00",
                 "description":null,"createdon":"2024-01-02T03:04:05Z","statecode":1,"statuscode":2,
                 "_parentaccountid_value":"AAAAAAAA-0000-4000-8000-000000000002",
                 "_parentaccountid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"account",
                 "_parentaccountid_value@Microsoft.Dynamics.CRM.associatednavigationproperty":"parentaccountid",
                 "parentaccountidname":"Parent",
                 "_primarycontactid_value":null,
                 "_ownerid_value":"11111111-2222-4333-8444-555555555555",
                 "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"team","owneridtype":"team",
                 "_owninguser_value":"5a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d",
                 "_transactioncurrencyid_value":"c5d6e7f8-0a1b-4c2d-9e3f-4a5b6c7d8e9f",
                 "_transactioncurrencyid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"transactioncurrency"}
                """);
    }

    @Test
    void createBodyHoldsOnlyColumnsValidForCreateAndBindsLookups() {
        RecordMapper mapper = accounts();
        RecordMapper.Mapped record = mapper.map(savedAccount());
        assertThat(record.id()).isEqualTo("aaaaaaaa-0000-4000-8000-000000000001");
        ObjectNode body = mapper.createBody(record, false);
        assertThat(body).isEqualTo(Schemas.json("""
                {"name":"Contoso","revenue":5000000.0000,
                 "ownerid@odata.bind":"/teams(11111111-2222-4333-8444-555555555555)",
                 "transactioncurrencyid@odata.bind":"/transactioncurrencies(c5d6e7f8-0a1b-4c2d-9e3f-4a5b6c7d8e9f)"}
                """));
        // left out: @odata.etag, formatted values, createdon (read-only), parentaccountidname and
        // owneridtype (AttributeOf helpers), owninguser (system), the null description and primary contact
        assertThat(mapper.createBody(record, true).get("accountid").asText()).isEqualTo("aaaaaaaa-0000-4000-8000-000000000001");
    }

    @Test
    void theSelfReferencingParentAndUpdateOnlyColumnsWaitForTheSecondPass() {
        RecordMapper mapper = accounts();
        List<ColumnValue> later = mapper.afterCreate(mapper.map(savedAccount()));
        assertThat(later).extracting(ColumnValue::column).containsExactly("statecode", "statuscode", "parentaccountid");
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        later.forEach(v -> v.writeTo(patch, null));
        assertThat(patch).isEqualTo(Schemas.json("""
                {"statecode":1,"statuscode":2,"parentaccountid@odata.bind":"/accounts(aaaaaaaa-0000-4000-8000-000000000002)"}
                """));
    }

    @Test
    void anActiveRowIsWrittenOnceItsStatusGoesWithTheCreate() {
        RecordMapper mapper = accounts();
        ObjectNode active = (ObjectNode) savedAccount();
        active.put("statecode", 0).put("statuscode", 1).putNull("_parentaccountid_value");
        RecordMapper.Mapped record = mapper.map(active);
        assertThat(mapper.createBody(record, false).get("statuscode").asInt()).isEqualTo(1);
        assertThat(mapper.createBody(record, false).has("statecode")).as("not valid for create").isFalse();
        assertThat(mapper.afterCreate(record)).as("nothing left for a second pass").isEmpty();
    }

    @Test
    void aPolymorphicCustomerIsBoundThroughTheNavigationPropertyOfItsSavedTable() {
        RecordMapper mapper = contacts(references(ReferenceMapping.NONE));
        JsonNode toAccount = Schemas.json("""
                {"contactid":"cccccccc-0000-4000-8000-000000000001","lastname":"A",
                 "_parentcustomerid_value":"aaaaaaaa-0000-4000-8000-000000000001",
                 "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"account",
                 "_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty":"parentcustomerid_account"}
                """);
        assertThat(mapper.createBody(mapper.map(toAccount), false).get("parentcustomerid_account@odata.bind").asText())
                .isEqualTo("/accounts(aaaaaaaa-0000-4000-8000-000000000001)");

        JsonNode toContact = Schemas.json("""
                {"contactid":"cccccccc-0000-4000-8000-000000000002","lastname":"B",
                 "_parentcustomerid_value":"cccccccc-0000-4000-8000-000000000001",
                 "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"contact"}
                """);
        RecordMapper.Mapped record = mapper.map(toContact);
        assertThat(mapper.createBody(record, false).has("parentcustomerid_contact@odata.bind")).as("deferred: same table").isFalse();
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        mapper.afterCreate(record).forEach(v -> v.writeTo(patch, null));
        assertThat(patch.get("parentcustomerid_contact@odata.bind").asText()).isEqualTo("/contacts(cccccccc-0000-4000-8000-000000000001)");
    }

    @Test
    void ownersAreMappedAndUsersMissingInTheTargetFallBackToTheConnectionAccount() {
        ReferenceMapping mapping = ReferenceMapping.parse(Schemas.json(
                "{\"systemuser\":{\"77777777-0000-4000-8000-000000000001\":\"" + KNOWN_USER + "\"}}"), "test");
        TargetReferences references = references(mapping);
        RecordMapper mapper = contacts(references);
        JsonNode mapped = Schemas.json("{\"contactid\":\"cccccccc-0000-4000-8000-000000000003\","
                + "\"_ownerid_value\":\"77777777-0000-4000-8000-000000000001\",\"_ownerid_value" + LOOKUP + "\":\"systemuser\"}");
        JsonNode gone = Schemas.json("{\"contactid\":\"cccccccc-0000-4000-8000-000000000004\","
                + "\"_ownerid_value\":\"" + GONE_USER + "\",\"_ownerid_value" + LOOKUP + "\":\"systemuser\","
                + "\"_ownerid_value" + NAV + "\":\"ownerid\"}");
        mapper.prefetchReferences(List.of(mapped, gone));
        assertThat(mapper.createBody(mapper.map(mapped), false).get("ownerid@odata.bind").asText())
                .isEqualTo("/systemusers(" + KNOWN_USER + ")");
        assertThat(mapper.createBody(mapper.map(gone), false).get("ownerid@odata.bind").asText())
                .isEqualTo("/systemusers(" + CONNECTION_USER + ")");
        assertThat(references.fallbacks()).containsExactly(Map.entry("systemuser " + GONE_USER, 1L));
    }

    @Test
    void aTeamOwnerMissingInTheTargetFallsBackToo() {
        existingInTarget.remove(TEAM);
        RecordMapper mapper = accounts();
        assertThat(mapper.createBody(mapper.map(savedAccount()), false).get("ownerid@odata.bind").asText())
                .isEqualTo("/systemusers(" + CONNECTION_USER + ")");
    }

    @Test
    void anUpdateSendsOnlyWhatDiffersFromTheLiveRow() {
        RecordMapper mapper = accounts();
        RecordMapper.Mapped record = mapper.map(savedAccount());
        JsonNode live = Schemas.json("""
                {"accountid":"aaaaaaaa-0000-4000-8000-000000000001","name":"Contoso","revenue":5000000,
                 "description":"changed since","statecode":1,"statuscode":2,
                 "_parentaccountid_value":"AAAAAAAA-0000-4000-8000-000000000002",
                 "_parentaccountid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"account",
                 "_primarycontactid_value":"cccccccc-0000-4000-8000-000000000009",
                 "_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"contact",
                 "_ownerid_value":"11111111-2222-4333-8444-555555555555",
                 "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"team",
                 "_transactioncurrencyid_value":"c5d6e7f8-0a1b-4c2d-9e3f-4a5b6c7d8e9f"}
                """);
        List<ColumnValue> changed = mapper.differences(record, live);
        assertThat(changed).extracting(ColumnValue::column).containsExactly("description", "primarycontactid");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        changed.forEach(v -> v.writeTo(body, live));
        assertThat(body).isEqualTo(Schemas.json("{\"description\":null,\"primarycontactid@odata.bind\":null}"));
    }

    @Test
    void clearingAPolymorphicLookupUsesTheNavigationPropertyInUse() {
        RecordMapper mapper = contacts(references(ReferenceMapping.NONE));
        RecordMapper.Mapped record = mapper.map(Schemas.json(
                "{\"contactid\":\"cccccccc-0000-4000-8000-000000000005\",\"_parentcustomerid_value\":null}"));
        JsonNode live = Schemas.json("{\"_parentcustomerid_value\":\"cccccccc-0000-4000-8000-000000000001\","
                + "\"_parentcustomerid_value" + LOOKUP + "\":\"contact\"}");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        mapper.differences(record, live).forEach(v -> v.writeTo(body, live));
        assertThat(body).isEqualTo(Schemas.json("{\"parentcustomerid_contact@odata.bind\":null}"));
    }

    @Test
    void aPolymorphicLookupWithoutItsSavedTableCannotBeBound() {
        RecordMapper mapper = contacts(references(ReferenceMapping.NONE));
        JsonNode noAnnotation = Schemas.json("{\"contactid\":\"cccccccc-0000-4000-8000-000000000006\","
                + "\"_parentcustomerid_value\":\"cccccccc-0000-4000-8000-000000000001\"}");
        assertThatThrownBy(() -> mapper.map(noAnnotation)).isInstanceOf(RecordMapper.RecordException.class)
                .hasMessageContaining("_parentcustomerid_value").hasMessageContaining("lookuplogicalname");
        assertThatThrownBy(() -> mapper.map(Schemas.json("{\"lastname\":\"no id\"}")))
                .hasMessageContaining("contactid");
    }

    @Test
    void theLiveRowsAreReadWithThePrimaryKeyAndEveryWrittenColumn() {
        assertThat(accounts().selectProperties()).containsExactly("accountid", "name", "revenue", "description", "statecode", "statuscode",
                "_parentaccountid_value", "_primarycontactid_value", "_ownerid_value", "_transactioncurrencyid_value");
    }

    @Test
    void decimalsAreSentWithTheDigitsTheyWereSavedWith() throws Exception {
        RecordMapper mapper = accounts();
        JsonNode saved = RestoreJson.MAPPER.readTree("{\"accountid\":\"aaaaaaaa-0000-4000-8000-000000000007\","
                + "\"revenue\":12345678901234.5678}");
        byte[] body = RowWriter.bytes(mapper.createBody(mapper.map(saved), false));
        assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"revenue\":12345678901234.5678}");
    }

    @Test
    void valuesSurviveTheSecondPassFile() {
        RecordMapper mapper = accounts();
        for (ColumnValue value : mapper.afterCreate(mapper.map(savedAccount()))) {
            assertThat(ColumnValue.fromJson(value.toJson())).isEqualTo(value);
        }
    }
}
