package org.dataversebackup.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.auth.AuthMode;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.dataverse.DataverseException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The pieces of the check that need no Dataverse: names, depths, access modes, requests, the report. */
class CheckPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void privilegeNamesComeFromTheMetadataWhenItHasThem() throws Exception {
        TableFacts project = TableFacts.from(json("{'LogicalName':'dvb_project','SchemaName':'dvb_Project',"
                + "'EntitySetName':'dvb_projects','Privileges':[{'Name':'prvReaddvb_Project','PrivilegeType':'Read'},"
                + "{'Name':'prvWritedvb_Project','PrivilegeType':3}]}"));
        assertThat(project.privilegeNames(PrivilegeVerb.READ)).containsExactly("prvReaddvb_Project");
        assertThat(project.privilegeNames(PrivilegeVerb.WRITE)).containsExactly("prvWritedvb_Project");
        assertThat(project.privilegeNames(PrivilegeVerb.APPEND_TO)).as("no such privilege: nothing to hold").isEmpty();
    }

    @Test
    void withoutPrivilegesInTheMetadataNamesFollowTheSchemaName() throws Exception {
        TableFacts account = TableFacts.from(json("{'LogicalName':'account','SchemaName':'Account','EntitySetName':'accounts'}"));
        assertThat(account.privilegeNames(PrivilegeVerb.APPEND_TO)).containsExactly("prvAppendToAccount");
        TableFacts custom = TableFacts.from(json("{'LogicalName':'dvb_project','SchemaName':'dvb_Project','EntitySetName':'x'}"));
        assertThat(custom.privilegeNames(PrivilegeVerb.READ)).containsExactly("prvReaddvb_Project");
        TableFacts user = TableFacts.from(json("{'LogicalName':'systemuser','SchemaName':'SystemUser','EntitySetName':'systemusers'}"));
        assertThat(user.privilegeNames(PrivilegeVerb.READ)).containsExactly("prvReadUser", "prvReadSystemUser");
        TableFacts email = TableFacts.from(json("{'LogicalName':'email','SchemaName':'Email','EntitySetName':'emails',"
                + "'IsActivity':true}"));
        assertThat(email.privilegeNames(PrivilegeVerb.CREATE)).containsExactly("prvCreateActivity", "prvCreateEmail");
        TableFacts intersect = TableFacts.from(json("{'LogicalName':'teammembership','SchemaName':'TeamMembership',"
                + "'EntitySetName':'teammemberships','IsIntersect':true}"));
        assertThat(intersect.withoutOwnPrivileges()).isTrue();
    }

    @Test
    void heldPrivilegesCompareCaseInsensitivelyAndKeepTheWidestDepth() throws Exception {
        HeldPrivileges held = HeldPrivileges.parse(json("{'RolePrivileges':["
                + "{'Depth':'Basic','PrivilegeName':'prvreadaccount'},"
                + "{'Depth':'Global','PrivilegeName':'prvReadAccount'},"
                + "{'Depth':1,'PrivilegeName':'prvWriteAccount'},"
                + "{'Depth':'RecordFilter','PrivilegeName':'prvCreateAccount'}]}"), true);
        assertThat(held.depth(List.of("prvREADAccount"))).contains(Depth.GLOBAL);
        assertThat(held.depth(List.of("prvWriteAccount"))).contains(Depth.LOCAL);
        assertThat(held.depth(List.of("prvCreateAccount"))).contains(Depth.RECORD_FILTER);
        assertThat(held.depth(List.of("prvDeleteAccount"))).isEmpty();
        assertThat(held.depth(List.of("prvReadSystemUser", "prvReadAccount"))).contains(Depth.GLOBAL);
        assertThat(Depth.RECORD_FILTER.compareTo(Depth.BASIC)).isNegative();
    }

    @Test
    void accessModes() {
        assertThat(AccessMode.step(0, Purpose.RESTORE).result()).isEqualTo(StepResult.PASS);
        assertThat(AccessMode.step(4, Purpose.RESTORE).result()).isEqualTo(StepResult.PASS);
        assertThat(AccessMode.step(1, Purpose.BACKUP).result()).isEqualTo(StepResult.FAIL);
        assertThat(AccessMode.step(2, Purpose.BACKUP).result()).isEqualTo(StepResult.FAIL);
        assertThat(AccessMode.step(2, Purpose.RESTORE).result()).isEqualTo(StepResult.FAIL);
        assertThat(AccessMode.step(3, Purpose.BACKUP).result()).isEqualTo(StepResult.FAIL);
        assertThat(AccessMode.step(5, Purpose.BACKUP).detail()).contains("Delegated Admin (5)", "partner");
        assertThat(AccessMode.step(5, Purpose.BACKUP).result()).isEqualTo(StepResult.FAIL);
        assertThat(AccessMode.step(9, Purpose.BACKUP).result()).isEqualTo(StepResult.WARN);
        for (int code = 0; code <= 5; code++) {
            CheckStep step = AccessMode.step(code, Purpose.RESTORE);
            assertThat(step.detail()).contains(AccessMode.of(code).label() + " (" + code + ")");
            assertThat(step.fix() == null).isEqualTo(step.result() == StepResult.PASS);
        }
    }

    @Test
    void whoAmIFailuresAreNamed() {
        AuthSettings app = AuthSettings.builder().mode(AuthMode.CLIENT_SECRET).dataverseUrl("https://contoso.crm.dynamics.com")
                .authority("https://login.microsoftonline.com/contoso.onmicrosoft.com").clientId("app-id")
                .clientSecret("s").build();
        String url = "https://contoso.crm.dynamics.com";
        CheckStep notMember = Preflight.whoAmIFailed(new DataverseException("GET WhoAmI", 403, "0x80072560",
                "The user is not a member of the organization."), url, app);
        assertThat(notMember.result()).isEqualTo(StepResult.FAIL);
        assertThat(notMember.detail()).contains("not a user of the environment");
        assertThat(notMember.fix()).contains("Application users", "app-id");
        CheckStep disabled = Preflight.whoAmIFailed(new DataverseException("GET WhoAmI", 403, "",
                "The user with SystemUserId=x in OrganizationContext=y is disabled."), url, app);
        assertThat(disabled.detail()).contains("disabled");
        assertThat(Preflight.whoAmIFailed(new DataverseException("GET WhoAmI", 503, "", "busy"), url, app).result())
                .isEqualTo(StepResult.ERROR);
    }

    @Test
    void requestsComeFromHeadersThenFromAJsonBody() throws Exception {
        PreflightSteps steps = new PreflightSteps(null);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange defaults = new DefaultExchange(context);
            assertThat(steps.request(defaults)).isEqualTo(new CheckRequest(Purpose.BACKUP, List.of(), false, false));

            Exchange headers = new DefaultExchange(context);
            headers.getIn().setHeader(CheckHeaders.PURPOSE, "Restore");
            headers.getIn().setHeader(CheckHeaders.TABLES, "account, contact");
            headers.getIn().setHeader(CheckHeaders.LOOKUPS, "false");
            headers.getIn().setBody("{\"for\":\"backup\",\"tables\":[\"team\"]}");
            assertThat(steps.request(headers)).isEqualTo(CheckRequest.restore(List.of("account", "contact"), false));
            assertThat(headers.getProperty(CheckHeaders.REQUEST_PROPERTY)).isNotNull();

            Exchange body = new DefaultExchange(context);
            body.getIn().setBody("{\"for\":\"backup\",\"tables\":\"account,contact\",\"incremental\":true}");
            assertThat(steps.request(body)).isEqualTo(new CheckRequest(Purpose.BACKUP, List.of("account", "contact"),
                    false, true));

            Exchange unrelated = new DefaultExchange(context);
            unrelated.getIn().setBody(List.of("a list the calling flow carries"));
            unrelated.getIn().setHeader(CheckHeaders.PURPOSE, "restore");
            assertThat(steps.request(unrelated)).isEqualTo(CheckRequest.restore(List.of(), true));

            Exchange bad = new DefaultExchange(context);
            bad.getIn().setHeader(CheckHeaders.PURPOSE, "migrate");
            assertThatThrownBy(() -> steps.request(bad)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("migrate");
            Exchange badFlag = new DefaultExchange(context);
            badFlag.getIn().setHeader(CheckHeaders.INCREMENTAL, "sometimes");
            assertThatThrownBy(() -> steps.request(badFlag)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(CheckHeaders.INCREMENTAL);
        }
    }

    @Test
    void outcome() {
        CheckRequest request = CheckRequest.backup(List.of());
        assertThat(report(request, CheckStep.of("a", StepResult.PASS, "ok", null),
                CheckStep.of("b", StepResult.WARN, "hm", "do")).outcome()).isEqualTo("passed");
        CheckReport error = report(request, CheckStep.of("a", StepResult.ERROR, "no answer", "retry"));
        assertThat(error.outcome()).isEqualTo("error");
        assertThat(error.passed()).isFalse();
        CheckReport failed = report(request, CheckStep.of("a", StepResult.ERROR, "no answer", "retry"),
                CheckStep.of("b", StepResult.FAIL, "missing", "grant"));
        assertThat(failed.outcome()).isEqualTo("failed");
        assertThat(failed.summary()).contains("a: no answer", "b: missing");
    }

    @Test
    void theTableFoldsManyPassingTablesAndWrapsLongText() {
        CheckRequest request = CheckRequest.backup(List.of("*"));
        List<CheckStep> steps = new java.util.ArrayList<>();
        steps.add(CheckStep.of("sign-in", StepResult.PASS, "x ".repeat(80).trim(), null));
        for (int i = 0; i < 30; i++) {
            steps.add(new CheckStep("privileges", "table" + i, i == 7 ? StepResult.FAIL : StepResult.PASS,
                    i == 7 ? "Missing prvReadtable7." : "Holds prvReadtable" + i + " Global.", i == 7 ? "grant it" : null,
                    i == 7 ? List.of("prvReadtable7") : List.of()));
        }
        String table = ReportTable.render(report(request, steps.toArray(CheckStep[]::new)));
        assertThat(table).contains("privileges table7", "Missing prvReadtable7.", "fix: grant it",
                "privileges (29 tables)", "--json lists each").doesNotContain("privileges table8 ");
        assertThat(table.lines()).allMatch(line -> line.length() <= 140);
    }

    private static CheckReport report(CheckRequest request, CheckStep... steps) {
        return new CheckReport(request, "https://contoso.crm.dynamics.com", Instant.now(), Duration.ZERO, Map.of(),
                List.of(), List.of(steps));
    }
}
