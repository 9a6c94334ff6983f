package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dataversebackup.emulator.EmulatorIdentities.*;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Users, access modes, roles and privileges as the Web API shows and enforces them on reads. */
class SecurityReadTest {
    static DataverseEmulator emulator;
    static TestClient client;
    static String admin;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(60, 2, 10)).start();
        client = new TestClient(emulator);
        admin = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void systemUsersShowTheirAccessMode() {
        JsonNode users = client.api(admin, "systemusers?$select=domainname,accessmode,isdisabled,applicationid").json().get("value");
        assertThat(users).anyMatch(u -> u.get("domainname").asText().equals(READ_ONLY_USER) && u.get("accessmode").asInt() == 2);
        assertThat(users).anyMatch(u -> u.get("domainname").asText().equals(ADMINISTRATIVE_USER) && u.get("accessmode").asInt() == 1);
        assertThat(users).anyMatch(u -> u.get("systemuserid").asText().equals(APP_USER_ID) && u.get("accessmode").asInt() == 4
                && u.get("applicationid").asText().equals(APP_CLIENT_ID));
        assertThat(users).anyMatch(u -> u.get("domainname").asText().equals(DISABLED_USER) && u.get("isdisabled").asBoolean());
    }

    @Test
    void retrieveUserPrivilegesListsRolePrivilegesWithDepthNames() {
        TestClient.Response r = client.api(admin, "systemusers(" + ADMIN_USER_ID + ")/Microsoft.Dynamics.CRM.RetrieveUserPrivileges");
        assertThat(r.status()).isEqualTo(200);
        JsonNode privileges = r.json().get("RolePrivileges");
        assertThat(r.json().get("@odata.context").asText()).endsWith("$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse");
        assertThat(privileges).anyMatch(p -> p.get("PrivilegeName").asText().equals("prvReadAccount")
                && p.get("Depth").asText().equals("Global") && !p.get("PrivilegeId").asText().isEmpty()
                && p.get("BusinessUnitId").asText().equals(ROOT_BUSINESS_UNIT_ID));
    }

    @Test
    void setOfPrivilegesByNamesReturnsOnlyHeldOnes() {
        String url = "systemusers(" + NO_CONTACT_WRITE_USER_ID + ")/Microsoft.Dynamics.CRM.RetrieveUserSetOfPrivilegesByNames"
                + "(PrivilegeNames=@p)?@p=" + TestClient.q("[\"prvReadContact\",\"prvWriteContact\",\"prvCreateContact\"]");
        List<String> names = new ArrayList<>();
        client.api(admin, url).json().get("RolePrivileges").forEach(p -> names.add(p.get("PrivilegeName").asText()));
        assertThat(names).containsExactlyInAnyOrder("prvReadContact", "prvCreateContact");
    }

    @Test
    void privilegesThroughTeamsCount() {
        String url = "systemusers(" + TEAM_USER_ID + ")/Microsoft.Dynamics.CRM.RetrieveUserSetOfPrivilegesByNames"
                + "(PrivilegeNames=@p)?@p=" + TestClient.q("['prvReadAccount']");
        assertThat(client.api(admin, url).json().get("RolePrivileges")).hasSize(1);
        TestClient.Response read = client.api(client.userToken(TEAM_USER), "accounts?$select=name&$top=1");
        assertThat(read.status()).isEqualTo(200);
    }

    @Test
    void readingWithoutThePrivilegeIs403WithTheMissingPrivilegeNamed() {
        EmulatorRole contactsOnly = emulator.state().addRole(EmulatorRole.named("contacts only")
                .grantTable("contact", PrivilegeDepth.GLOBAL, "Read"));
        emulator.state().addUser(EmulatorUser.named("contactsonly@" + DOMAIN).role(contactsOnly.id()));
        String token = client.userToken("contactsonly@" + DOMAIN);
        assertThat(client.api(token, "contacts?$select=fullname&$top=1").status()).isEqualTo(200);
        TestClient.Response denied = client.api(token, "accounts?$select=name");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("error").get("code").asText()).isEqualTo("0x80040220");
        assertThat(denied.json().get("error").get("message").asText()).contains("is missing prvReadaccount privilege")
                .contains("for entity 'account'");
    }

    @Test
    void basicDepthSeesOnlyOwnRows() {
        String token = client.userToken(BASIC_READ_USER);
        JsonNode rows = client.api(token, "accounts?$select=name,_ownerid_value").json().get("value");
        assertThat(rows).isNotEmpty().allMatch(r -> r.get("_ownerid_value").asText().equals(BASIC_READ_USER_ID));
        long total = Long.parseLong(client.api(admin, "accounts/$count").body().trim());
        assertThat((long) rows.size()).isLessThan(total);
        String other = client.api(admin, "accounts?$select=accountid&$filter=_ownerid_value%20ne%20" + BASIC_READ_USER_ID + "&$top=1")
                .json().get("value").get(0).get("accountid").asText();
        TestClient.Response single = client.api(token, "accounts(" + other + ")");
        assertThat(single.status()).isEqualTo(403);
        assertThat(single.json().get("error").get("code").asText()).isEqualTo("0x80048306");
    }

    @Test
    void administrativeAccessModeCannotReadBusinessTables() {
        TestClient.Response r = client.api(client.userToken(ADMINISTRATIVE_USER), "accounts?$select=name");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").get("message").asText()).contains("accessMode=1");
    }

    @Test
    void unknownUserForFunctionsIs404() {
        TestClient.Response r = client.api(admin, "systemusers(" + UUID.randomUUID() + ")/Microsoft.Dynamics.CRM.RetrieveUserPrivileges");
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void retrievePrincipalAccessListsTheRightsOnARecord() {
        String account = client.api(admin, "accounts?$select=accountid&$filter=_ownerid_value%20ne%20" + BASIC_READ_USER_ID + "&$top=1")
                .json().get("value").get(0).get("accountid").asText();
        String target = "?@tid=" + TestClient.q("{'@odata.id':'accounts(" + account + ")'}");
        String function = "/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@tid)" + target;
        TestClient.Response adminRights = client.api(admin, "systemusers(" + ADMIN_USER_ID + ")" + function);
        assertThat(adminRights.status()).as(adminRights.body()).isEqualTo(200);
        assertThat(adminRights.json().get("AccessRights").asText()).isEqualTo(
                "ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, ShareAccess, AssignAccess");
        assertThat(client.api(admin, "systemusers(" + READ_ONLY_USER_ID + ")" + function).json().get("AccessRights").asText())
                .isEqualTo("ReadAccess");
        assertThat(client.api(admin, "systemusers(" + BASIC_READ_USER_ID + ")" + function).json().get("AccessRights").asText())
                .isEqualTo("None");
    }

    @Test
    void bypassingCustomLogicNeedsItsPrivilege() {
        assertThat(client.apiRequest("POST", admin, "contacts", "{\"lastname\":\"bypass\"}",
                "MSCRM.BypassCustomPluginExecution", "true", "MSCRM.BypassBusinessLogicExecution", "CustomSync,CustomAsync").status())
                .isEqualTo(204);
        EmulatorRole writer = emulator.state().addRole(EmulatorRole.named("contact writer")
                .grantTable("contact", PrivilegeDepth.GLOBAL, "Create", "Read", "Write"));
        emulator.state().addUser(EmulatorUser.named("writer@" + DOMAIN).role(writer.id()));
        String token = client.userToken("writer@" + DOMAIN);
        assertThat(client.apiRequest("POST", token, "contacts", "{\"lastname\":\"plain\"}").status()).isEqualTo(204);
        TestClient.Response denied = client.apiRequest("POST", token, "contacts", "{\"lastname\":\"bypass\"}",
                "MSCRM.BypassCustomPluginExecution", "true");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("error").get("message").asText()).contains("prvBypassCustomPlugins");
        assertThat(client.apiRequest("POST", admin, "contacts", "{\"lastname\":\"x\"}",
                "MSCRM.BypassBusinessLogicExecution", "Everything").status()).isEqualTo(400);
    }
}
