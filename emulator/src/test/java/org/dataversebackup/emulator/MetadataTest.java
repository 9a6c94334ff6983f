package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Table definitions through the Web API (EntityDefinitions), the service document and $metadata. */
class MetadataTest {
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static JsonNode get(String relative) {
        TestClient.Response r = client.api(token, relative.replace(" ", "%20"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void listWithSelectAndFilterAlwaysHasMetadataIdAndNoPaging() {
        JsonNode body = get("EntityDefinitions?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,"
                + "ChangeTrackingEnabled,IsCustomEntity,IsIntersect");
        assertThat(body.has("@odata.nextLink")).isFalse();
        Map<String, JsonNode> byName = new HashMap<>();
        body.get("value").forEach(e -> byName.put(e.get("LogicalName").asText(), e));
        assertThat(byName.keySet()).contains("account", "contact", "systemuser", "team", "businessunit",
                "transactioncurrency", "dvb_project", "dvb_project_contact");
        JsonNode project = byName.get("dvb_project");
        assertThat(project.get("EntitySetName").asText()).isEqualTo("dvb_projects");
        assertThat(project.get("PrimaryIdAttribute").asText()).isEqualTo("dvb_projectid");
        assertThat(project.get("PrimaryNameAttribute").asText()).isEqualTo("dvb_name");
        assertThat(project.get("IsCustomEntity").asBoolean()).isTrue();
        assertThat(project.get("MetadataId").asText()).isNotEmpty();
        assertThat(byName.get("dvb_project_contact").get("IsIntersect").asBoolean()).isTrue();

        List<String> tracked = new ArrayList<>();
        get("EntityDefinitions?$select=LogicalName&$filter=ChangeTrackingEnabled eq true").get("value")
                .forEach(e -> tracked.add(e.get("LogicalName").asText()));
        assertThat(tracked).contains("account", "contact", "dvb_project").doesNotContain("transactioncurrency");
        JsonNode userOwned = get("EntityDefinitions?$select=LogicalName&$filter=OwnershipType eq Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'");
        // annotation: notes are user-owned in Dataverse
        List<String> owned = new ArrayList<>();
        userOwned.get("value").forEach(e -> owned.add(e.get("LogicalName").asText()));
        assertThat(owned).containsExactlyInAnyOrder("account", "contact", "dvb_project", "annotation", "email");
        JsonNode ineligible = get("EntityDefinitions?$select=LogicalName&$filter=ChangeTrackingEnabled eq false and CanChangeTrackingBeEnabled/Value eq false");
        assertThat(ineligible.get("value")).anyMatch(e -> e.get("LogicalName").asText().equals("dvb_project_contact"));
    }

    @Test
    void unknownEntityPropertyInSelectIs400() {
        TestClient.Response r = client.api(token, "EntityDefinitions?$select=Nope");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("message").asText()).contains("'Nope'").contains("EntityMetadata");
    }

    @Test
    void singleByLogicalNameWithExpandedAttributes() {
        JsonNode contact = get("EntityDefinitions(LogicalName='contact')?$select=LogicalName&$expand=Attributes("
                + "$select=LogicalName,AttributeType,IsValidForCreate,IsValidForUpdate,AttributeOf)");
        assertThat(contact.get("@odata.context").asText()).endsWith("/$entity");
        Map<String, JsonNode> attributes = new HashMap<>();
        contact.get("Attributes").forEach(a -> attributes.put(a.get("LogicalName").asText(), a));
        assertThat(attributes.get("parentcustomerid").get("AttributeType").asText()).isEqualTo("Customer");
        assertThat(attributes.get("parentcustomeridname").get("AttributeOf").asText()).isEqualTo("parentcustomerid");
        assertThat(attributes.get("parentcustomeridtype").get("AttributeType").asText()).isEqualTo("EntityName");
        assertThat(attributes.get("owneridyominame").get("AttributeOf").asText()).isEqualTo("ownerid");
        assertThat(attributes.get("fullname").get("IsValidForCreate").asBoolean()).isFalse();
        assertThat(attributes.get("createdon").get("IsValidForCreate").asBoolean()).isFalse();
        assertThat(attributes.get("createdon").get("IsValidForUpdate").asBoolean()).isFalse();
        assertThat(attributes.get("overriddencreatedon").get("IsValidForCreate").asBoolean()).isTrue();
        assertThat(attributes.get("overriddencreatedon").get("IsValidForUpdate").asBoolean()).isFalse();
        assertThat(attributes.get("versionnumber").get("AttributeType").asText()).isEqualTo("BigInt");
        assertThat(attributes.get("annualincome_base").get("IsValidForCreate").asBoolean()).isFalse();
        assertThat(attributes.get("firstname").get("IsValidForCreate").asBoolean()).isTrue();
        assertThat(attributes.get("gendercodename").get("AttributeOf").asText()).isEqualTo("gendercode");
        assertThat(attributes.get("lastname").get("AttributeOf").isNull()).isTrue();

        JsonNode filtered = get("EntityDefinitions(LogicalName='account')?$select=LogicalName&$expand=Attributes("
                + "$select=LogicalName;$filter=AttributeOf eq null and IsValidForCreate eq true)");
        assertThat(filtered.get("Attributes")).noneMatch(a -> a.get("LogicalName").asText().endsWith("name")
                && !a.get("LogicalName").asText().equals("name"));
    }

    @Test
    void lookupCastListsTargets() {
        JsonNode lookups = get("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.LookupAttributeMetadata"
                + "?$select=LogicalName,Targets");
        Map<String, List<String>> targets = new HashMap<>();
        lookups.get("value").forEach(a -> {
            List<String> t = new ArrayList<>();
            a.get("Targets").forEach(x -> t.add(x.asText()));
            targets.put(a.get("LogicalName").asText(), t);
        });
        assertThat(targets.get("parentcustomerid")).containsExactly("account", "contact");
        assertThat(targets.get("ownerid")).containsExactly("systemuser", "team");
        assertThat(targets).doesNotContainKey("firstname");

        JsonNode single = get("EntityDefinitions(LogicalName='dvb_project')/Attributes(LogicalName='dvb_accountid')"
                + "/Microsoft.Dynamics.CRM.LookupAttributeMetadata?$select=Targets");
        assertThat(single.get("Targets").get(0).asText()).isEqualTo("account");
        JsonNode picklist = get("EntityDefinitions(LogicalName='dvb_project')/Attributes(LogicalName='dvb_stage')"
                + "/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet");
        assertThat(picklist.get("OptionSet").get("Options")).hasSize(4);
    }

    @Test
    void relationshipsGiveNavigationPropertyNames() {
        JsonNode contact = get("EntityDefinitions(LogicalName='contact')?$select=LogicalName&$expand="
                + "ManyToOneRelationships($select=ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName)");
        List<String> navs = new ArrayList<>();
        contact.get("ManyToOneRelationships").forEach(r -> {
            if (r.get("ReferencingAttribute").asText().equals("parentcustomerid")) {
                navs.add(r.get("ReferencedEntity").asText() + ":" + r.get("ReferencingEntityNavigationPropertyName").asText());
            }
        });
        assertThat(navs).containsExactlyInAnyOrder("account:parentcustomerid_account", "contact:parentcustomerid_contact");

        JsonNode project = get("EntityDefinitions(LogicalName='dvb_project')/ManyToOneRelationships?$select=ReferencingAttribute,"
                + "ReferencingEntityNavigationPropertyName&$filter=ReferencingAttribute eq 'dvb_accountid'");
        assertThat(project.get("value").get(0).get("ReferencingEntityNavigationPropertyName").asText()).isEqualTo("dvb_AccountId");

        JsonNode manyToMany = get("EntityDefinitions(LogicalName='dvb_project')?$select=LogicalName&$expand=ManyToManyRelationships");
        JsonNode r = manyToMany.get("ManyToManyRelationships").get(0);
        assertThat(r.get("SchemaName").asText()).isEqualTo("dvb_project_contact");
        assertThat(r.get("IntersectEntityName").asText()).isEqualTo("dvb_project_contact");
        assertThat(r.get("Entity1LogicalName").asText()).isEqualTo("dvb_project");
        assertThat(r.get("Entity2LogicalName").asText()).isEqualTo("contact");
        assertThat(r.get("Entity1IntersectAttribute").asText()).isEqualTo("dvb_projectid");
        assertThat(r.get("Entity2NavigationPropertyName").asText()).isEqualTo("dvb_project_contact");

        JsonNode oneToMany = get("EntityDefinitions(LogicalName='account')/OneToManyRelationships?$select=SchemaName,CascadeConfiguration"
                + "&$filter=SchemaName eq 'contact_customer_accounts'");
        assertThat(oneToMany.get("value").get(0).get("CascadeConfiguration").get("Delete").asText()).isEqualTo("Cascade");
        JsonNode keys = get("EntityDefinitions(LogicalName='dvb_project')/Keys");
        assertThat(keys.get("value").get(0).get("KeyAttributes").get(0).asText()).isEqualTo("dvb_code");
        JsonNode all = get("RelationshipDefinitions/Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata?$select=SchemaName");
        assertThat(all.get("value")).anyMatch(x -> x.get("SchemaName").asText().equals("teammembership_association"));
    }

    @Test
    void unknownEntityIs404() {
        TestClient.Response r = client.api(token, "EntityDefinitions(LogicalName='nosuch')");
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void serviceDocumentAndCsdlWithChangeTrackingAnnotations() {
        JsonNode service = get("");
        assertThat(service.get("value")).anyMatch(s -> s.get("name").asText().equals("dvb_projects")
                && s.get("kind").asText().equals("EntitySet"));
        TestClient.Response csdl = client.api(token, "$metadata?annotations=true");
        assertThat(csdl.status()).isEqualTo(200);
        assertThat(csdl.header("Content-Type")).startsWith("application/xml");
        assertThat(csdl.body()).contains("<EntitySet Name=\"accounts\" EntityType=\"Microsoft.Dynamics.CRM.account\">")
                .contains("Org.OData.Capabilities.V1.ChangeTracking")
                .contains("<NavigationProperty Name=\"parentcustomerid_account\"")
                .contains("<Property Name=\"_parentcustomerid_value\" Type=\"Edm.Guid\"/>");
        assertThat(client.api(token, "$metadata").body()).doesNotContain("Org.OData.Capabilities.V1.ChangeTracking");
    }

    @Test
    void csdlAnnotationsAlsoWithThePreferHeader() {
        String annotated = client.api(token, "$metadata?annotations=true").body();
        TestClient.Response preferred = client.api(token, "$metadata", "Prefer", "odata.include-annotations=\"*\"");
        assertThat(preferred.status()).isEqualTo(200);
        assertThat(preferred.body()).isEqualTo(annotated);
        assertThat(preferred.header("Preference-Applied")).isEqualTo("odata.include-annotations=\"*\"");
        assertThat(client.api(token, "$metadata", "Prefer", "odata.include-annotations=\"Org.OData.Capabilities.V1.*\"").body())
                .contains("<Annotation Term=\"Org.OData.Capabilities.V1.ChangeTracking\">");
        assertThat(client.api(token, "$metadata", "Prefer",
                "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"").body())
                .doesNotContain("Org.OData.Capabilities.V1.ChangeTracking");
    }

    @Test
    void retrieveTotalRecordCountAnswersEntityRecordCountCollection() {
        emulator.state().putRow("account", TestClient.JSON.createObjectNode()
                .put("accountid", java.util.UUID.randomUUID().toString()).put("name", "Counted"));
        TestClient.Response r = client.api(token, "RetrieveTotalRecordCount(EntityNames=@p1)?@p1="
                + TestClient.q("[\"account\",\"contact\"]"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("@odata.context").asText())
                .isEqualTo(emulator.webApiUrl() + "$metadata#Microsoft.Dynamics.CRM.RetrieveTotalRecordCountResponse");
        JsonNode counts = body.get("EntityRecordCountCollection");
        assertThat(counts.get("Count").asInt()).isEqualTo(2);
        assertThat(counts.get("IsReadOnly").asBoolean()).isFalse();
        assertThat(counts.get("Keys").get(0).asText()).isEqualTo("account");
        assertThat(counts.get("Keys").get(1).asText()).isEqualTo("contact");
        assertThat(counts.get("Values").get(0).asLong()).isEqualTo(emulator.state().count("account")).isPositive();
        assertThat(counts.get("Values").get(1).asLong()).isEqualTo(emulator.state().count("contact"));
        assertThat(client.api(token, "$metadata").body()).contains("<Function Name=\"RetrieveTotalRecordCount\">");

        TestClient.Response unknown = client.api(token, "RetrieveTotalRecordCount(EntityNames=@p1)?@p1="
                + TestClient.q("[\"nosuch\"]"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").get("code").asText()).isEqualTo("0x80041102");
        String reader = client.userToken(EmulatorIdentities.ADMINISTRATIVE_USER);
        TestClient.Response refused = client.api(reader, "RetrieveTotalRecordCount(EntityNames=@p1)?@p1="
                + TestClient.q("[\"account\"]"));
        assertThat(refused.status()).isEqualTo(403);
    }
}
