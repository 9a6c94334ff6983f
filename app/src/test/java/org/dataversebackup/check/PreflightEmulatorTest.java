package org.dataversebackup.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.emulator.EmulatorApp;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.EmulatorRole;
import org.dataversebackup.emulator.EmulatorUser;
import org.dataversebackup.emulator.PrivilegeDepth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** direct:check in the application, against the emulator's well-known identities. */
class PreflightEmulatorTest {
    private static final List<String> TABLES = List.of("account", "contact", "dvb_project");
    private static CheckEmulator env;

    @BeforeAll
    static void start() {
        env = new CheckEmulator();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static CheckReport check(Map<String, String> identity, String purpose, String tables) {
        Exchange exchange = CheckEmulator.check(identity, Map.of(CheckHeaders.PURPOSE, purpose,
                CheckHeaders.TABLES, tables));
        CheckReport report = CheckEmulator.report(exchange);
        assertThat(exchange.getMessage().getHeader(CheckHeaders.PASSED, Boolean.class)).isEqualTo(report.passed());
        return report;
    }

    private static CheckStep step(CheckReport report, String name) {
        return report.steps().stream().filter(s -> s.title().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name + " in " + report.toJson()));
    }

    @Test
    void aFullyPrivilegedReadWriteUserPassesBackupAndRestore() {
        Map<String, String> admin = env.user(EmulatorIdentities.ADMIN_USER);
        CheckReport restore = check(admin, "restore", String.join(",", TABLES));
        assertThat(restore.passed()).as(restore.toJson()).isTrue();
        assertThat(restore.outcome()).isEqualTo("passed");
        assertThat(restore.steps()).allMatch(s -> s.result() == StepResult.PASS, restore.toJson());
        assertThat(restore.account()).containsEntry("userId", EmulatorIdentities.ADMIN_USER_ID)
                .containsEntry("accessMode", 0).containsEntry("accessModeName", "Read-Write");
        assertThat(restore.tables()).containsExactlyElementsOf(TABLES);
        // restore needs Read, Create, Write, Append, and AppendTo on the lookups' targets (contact -> account)
        assertThat(step(restore, "privileges contact").detail()).contains("prvReadContact", "prvCreateContact",
                "prvWriteContact", "prvAppendContact", "prvAppendToAccount");

        CheckReport backup = check(admin, "backup", String.join(",", TABLES));
        assertThat(backup.passed()).as(backup.toJson()).isTrue();
        assertThat(step(backup, "privileges account").detail()).contains("prvReadAccount Global")
                .doesNotContain("prvWriteAccount");
    }

    @Test
    void aNonInteractiveApplicationUserPassesForEveryTable() {
        Map<String, String> app = env.application(EmulatorIdentities.APP_CLIENT_ID, EmulatorIdentities.APP_CLIENT_SECRET);
        CheckReport backup = check(app, "backup", "*");
        assertThat(backup.passed()).as(backup.toJson()).isTrue();
        assertThat(backup.account()).containsEntry("accessMode", 4).containsEntry("accessModeName", "Non-interactive")
                .containsEntry("userId", EmulatorIdentities.APP_USER_ID);
        assertThat(backup.account().get("applicationId").toString()).isEqualToIgnoringCase(EmulatorIdentities.APP_CLIENT_ID);
        assertThat(backup.tables()).contains("account", "contact", "dvb_project", "systemuser", "dvb_project_contact");
        // an N:N table has no privileges of its own
        assertThat(step(backup, "privileges dvb_project_contact").detail()).contains("N:N");
        assertThat(step(backup, "privileges systemuser").detail()).containsIgnoringCase("prvReadUser");

        CheckReport restore = check(app, "restore", String.join(",", TABLES));
        assertThat(restore.passed()).as(restore.toJson()).isTrue();
    }

    @Test
    void aReadAccessModeUserFailsRestoreAndBackup() {
        Map<String, String> reader = env.user(EmulatorIdentities.READ_ONLY_USER);
        CheckReport restore = check(reader, "restore", "account");
        assertThat(restore.passed()).isFalse();
        assertThat(restore.outcome()).isEqualTo("failed");
        assertThat(org.dataversebackup.cli.ExitCodes.of(restore)).isEqualTo(3);
        CheckStep mode = step(restore, "access-mode");
        assertThat(mode.result()).isEqualTo(StepResult.FAIL);
        assertThat(mode.detail()).contains("Read (2)");
        assertThat(mode.fix()).contains("Read-Write");

        CheckReport backup = check(reader, "backup", "account");
        assertThat(backup.passed()).as(backup.toJson()).isFalse();
        assertThat(step(backup, "access-mode").result()).isEqualTo(StepResult.FAIL);
    }

    @Test
    void aUserWithoutWriteOnOneTableFailsRestoreNamingTableAndPrivilegeAndPassesBackup() {
        Map<String, String> user = env.user(EmulatorIdentities.NO_CONTACT_WRITE_USER);
        CheckReport restore = check(user, "restore", String.join(",", TABLES));
        assertThat(restore.passed()).isFalse();
        CheckStep contact = step(restore, "privileges contact");
        assertThat(contact.result()).isEqualTo(StepResult.FAIL);
        assertThat(contact.missing()).containsExactly("prvWriteContact");
        assertThat(contact.detail()).contains("prvWriteContact", "Write on contact");
        assertThat(contact.fix()).contains("prvWriteContact", "Security roles");
        assertThat(step(restore, "privileges account").result()).isEqualTo(StepResult.PASS);
        assertThat(step(restore, "privileges dvb_project").result()).isEqualTo(StepResult.PASS);
        assertThat(restore.summary()).contains("privileges contact", "prvWriteContact");
        assertThat(restore.toJson()).contains("\"missing\" : [ \"prvWriteContact\" ]");

        CheckReport backup = check(user, "backup", String.join(",", TABLES));
        assertThat(backup.passed()).as(backup.toJson()).isTrue();
        assertThat(backup.steps()).allMatch(s -> s.result() == StepResult.PASS);
    }

    @Test
    void privilegesHeldOnlyThroughATeamCount() {
        CheckReport restore = check(env.user(EmulatorIdentities.TEAM_USER), "restore", String.join(",", TABLES));
        assertThat(restore.passed()).as(restore.toJson()).isTrue();
        assertThat(restore.steps()).allMatch(s -> s.result() == StepResult.PASS, restore.toJson());
        assertThat(step(restore, "privileges account").detail()).contains("prvWriteAccount Global");
    }

    @Test
    void unknownTablesAreNamedAndTheOthersStillChecked() {
        CheckReport report = check(env.user(EmulatorIdentities.ADMIN_USER), "backup", "account,nosuchtable,Other_Thing");
        assertThat(report.outcome()).isEqualTo("failed");
        CheckStep tables = step(report, "tables");
        assertThat(tables.result()).isEqualTo(StepResult.FAIL);
        assertThat(tables.detail()).contains("No such table", "nosuchtable", "other_thing");
        assertThat(tables.fix()).contains("logical names");
        assertThat(step(report, "privileges account").result()).isEqualTo(StepResult.PASS);
        assertThat(report.tables()).containsExactly("account");
    }

    @Test
    void missingConsentIsExplainedWithTheAdminConsentUrl() {
        CheckReport report = check(env.application(EmulatorIdentities.UNCONSENTED_CLIENT_ID,
                EmulatorIdentities.UNCONSENTED_CLIENT_SECRET), "backup", "account");
        assertThat(report.outcome()).isEqualTo("failed");
        CheckStep signIn = step(report, "sign-in");
        assertThat(signIn.result()).isEqualTo(StepResult.FAIL);
        assertThat(signIn.detail()).contains("AADSTS65001");
        assertThat(signIn.fix()).contains(env.emulator.authority() + "/adminconsent?client_id="
                + EmulatorIdentities.UNCONSENTED_CLIENT_ID);
        assertThat(report.steps().subList(1, report.steps().size())).extracting(CheckStep::result)
                .containsOnly(StepResult.SKIP);
    }

    @Test
    void badCredentialsFailTheSignIn() {
        CheckReport secret = check(env.application(EmulatorIdentities.APP_CLIENT_ID, "not-the-secret"), "backup",
                "account");
        CheckStep signIn = step(secret, "sign-in");
        assertThat(signIn.result()).isEqualTo(StepResult.FAIL);
        assertThat(signIn.detail()).contains("AADSTS7000215");
        assertThat(signIn.fix()).contains("auth.client-secret");
        assertThat(signIn.detail() + signIn.fix()).doesNotContain("not-the-secret");

        CheckReport password = check(env.user(EmulatorIdentities.ADMIN_USER, "wrong-password"), "restore", "account");
        assertThat(step(password, "sign-in").result()).isEqualTo(StepResult.FAIL);
        assertThat(step(password, "sign-in").detail()).contains("AADSTS50126");
        assertThat(org.dataversebackup.cli.ExitCodes.of(password)).isEqualTo(3);
    }

    @Test
    void multiFactorAuthenticationCannotUseThePasswordMode() {
        CheckReport report = check(env.user(EmulatorIdentities.MFA_USER), "backup", "account");
        CheckStep signIn = step(report, "sign-in");
        assertThat(signIn.result()).isEqualTo(StepResult.FAIL);
        assertThat(signIn.fix()).contains("device-code");
    }

    @Test
    void aDisabledUserFails() {
        CheckReport report = check(env.user(EmulatorIdentities.DISABLED_USER), "backup", "account");
        CheckStep user = step(report, "user");
        assertThat(user.result()).isEqualTo(StepResult.FAIL);
        assertThat(user.detail()).contains("disabled");
        assertThat(user.fix()).contains("license");
        assertThat(step(report, "privileges").result()).isEqualTo(StepResult.SKIP);
    }

    @Test
    void administrativeSupportAndDelegatedAdminAccessModesFailNamed() {
        CheckReport administrative = check(env.user(EmulatorIdentities.ADMINISTRATIVE_USER), "backup", "account");
        assertThat(step(administrative, "access-mode").result()).isEqualTo(StepResult.FAIL);
        assertThat(step(administrative, "access-mode").detail()).contains("Administrative (1)");

        for (int mode : new int[] {3, 5}) {
            String upn = "mode" + mode + "@" + EmulatorIdentities.DOMAIN;
            env.emulator.state().addUser(EmulatorUser.named(upn).accessMode(mode)
                    .role(UUID.fromString(EmulatorIdentities.SYSTEM_ADMINISTRATOR_ROLE_ID)));
            CheckReport report = check(env.user(upn), "backup", "account");
            assertThat(step(report, "access-mode").result()).isEqualTo(StepResult.FAIL);
            assertThat(step(report, "access-mode").detail()).contains(mode == 3 ? "Support User (3)" : "Delegated Admin (5)");
        }
    }

    @Test
    void basicReadDepthWarnsForAFullBackupAndFailsAnIncrementalOne() {
        Map<String, String> basic = env.user(EmulatorIdentities.BASIC_READ_USER);
        CheckReport full = check(basic, "backup", "account,contact");
        assertThat(full.passed()).as(full.toJson()).isTrue();
        CheckStep account = step(full, "privileges account");
        assertThat(account.result()).isEqualTo(StepResult.WARN);
        assertThat(account.detail()).contains("Basic (own rows)", "only the rows the account can see");
        assertThat(account.fix()).contains("Organization");

        Exchange incremental = CheckEmulator.check(basic, Map.of(CheckHeaders.PURPOSE, "backup",
                CheckHeaders.TABLES, "account", CheckHeaders.INCREMENTAL, true));
        CheckReport report = CheckEmulator.report(incremental);
        assertThat(report.outcome()).isEqualTo("failed");
        assertThat(step(report, "privileges account").detail()).contains("change tracking", "Global");
    }

    @Test
    void restoreWithoutLookupsNeedsNoAppend() {
        String upn = "noappend@" + EmulatorIdentities.DOMAIN;
        EmulatorRole role = env.emulator.state().addRole(EmulatorRole.named("No append")
                .grantTable("contact", PrivilegeDepth.GLOBAL, "Read", "Create", "Write")
                .grantTable("systemuser", PrivilegeDepth.GLOBAL, "Read"));
        env.emulator.state().addUser(EmulatorUser.named(upn).role(role.id()));
        Map<String, String> user = env.user(upn);

        CheckReport withLookups = check(user, "restore", "contact");
        CheckStep contact = step(withLookups, "privileges contact");
        assertThat(contact.result()).isEqualTo(StepResult.FAIL);
        assertThat(contact.missing()).contains("prvAppendContact", "prvAppendToAccount");

        Exchange exchange = CheckEmulator.check(user, Map.of(CheckHeaders.PURPOSE, "restore", CheckHeaders.TABLES,
                "contact", CheckHeaders.LOOKUPS, "false"));
        CheckReport withoutLookups = CheckEmulator.report(exchange);
        assertThat(withoutLookups.passed()).as(withoutLookups.toJson()).isTrue();
    }

    @Test
    void appendToOnALookupTargetOutsideTheScopeIsAWarningAndInsideAFailure() {
        String upn = "noappendtoaccount@" + EmulatorIdentities.DOMAIN;
        EmulatorRole role = env.emulator.state().addRole(EmulatorRole.named("No AppendTo account")
                .grantTable("contact", PrivilegeDepth.GLOBAL, "Read", "Create", "Write", "Append", "AppendTo", "Assign")
                .grantTable("account", PrivilegeDepth.GLOBAL, "Read", "Create", "Write", "Append", "Assign")
                .grantTable("transactioncurrency", PrivilegeDepth.GLOBAL, "Read", "AppendTo")
                .grantTable("systemuser", PrivilegeDepth.GLOBAL, "Read"));
        env.emulator.state().addUser(EmulatorUser.named(upn).role(role.id()));
        Map<String, String> user = env.user(upn);

        CheckReport contactOnly = check(user, "restore", "contact");
        assertThat(contactOnly.passed()).as(contactOnly.toJson()).isTrue();
        CheckStep contact = step(contactOnly, "privileges contact");
        assertThat(contact.result()).isEqualTo(StepResult.WARN);
        assertThat(contact.missing()).containsExactly("prvAppendToAccount");
        assertThat(contact.detail()).contains("parentcustomerid");

        CheckReport both = check(user, "restore", "account,contact");
        assertThat(both.passed()).isFalse();
        assertThat(step(both, "privileges contact").result()).isEqualTo(StepResult.FAIL);
    }

    @Test
    void anEsbFlowSendsAJsonRequestAndGetsTheJsonReport() throws Exception {
        Exchange exchange;
        try (var app = CheckEmulator.start(env.user(EmulatorIdentities.NO_CONTACT_WRITE_USER))) {
            exchange = app.template().request("dataverse:check",
                    e -> e.getIn().setBody("{\"for\": \"restore\", \"tables\": [\"contact\"]}"));
        }
        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(CheckHeaders.PASSED)).isEqualTo(false);
        assertThat(exchange.getMessage().getHeader(CheckHeaders.OUTCOME)).isEqualTo("failed");
        JsonNode json = new ObjectMapper().readTree(exchange.getMessage().getBody(String.class));
        assertThat(json.path("for").asText()).isEqualTo("restore");
        assertThat(json.path("passed").asBoolean(true)).isFalse();
        assertThat(json.path("tables").get(0).asText()).isEqualTo("contact");
        JsonNode failed = null;
        for (JsonNode step : json.path("steps")) {
            if ("fail".equals(step.path("result").asText())) {
                failed = step;
            }
        }
        assertThat(failed).isNotNull();
        assertThat(failed.path("table").asText()).isEqualTo("contact");
        assertThat(failed.path("missing").get(0).asText()).isEqualTo("prvWriteContact");
    }

    @Test
    void anApplicationWithoutApplicationUserIsNotAUserOfTheEnvironment() {
        String clientId = UUID.randomUUID().toString();
        env.emulator.state().addApplication(EmulatorApp.withClientId(clientId).name("no app user").secret("s3cret"));
        CheckReport report = check(env.application(clientId, "s3cret"), "backup", "account");
        CheckStep user = step(report, "user");
        assertThat(user.result()).as(report.toJson()).isEqualTo(StepResult.FAIL);
        assertThat(user.detail()).contains("not a user of the environment");
        assertThat(user.fix()).contains("Application users", clientId);
        assertThat(org.dataversebackup.cli.ExitCodes.of(report)).isEqualTo(3);
    }

    @Test
    void anEnvironmentThatKeepsFailingCannotBeCheckedAndSaysSo() {
        Map<String, String> app = new java.util.HashMap<>(env.application(EmulatorIdentities.APP_CLIENT_ID,
                EmulatorIdentities.APP_CLIENT_SECRET));
        app.put("dataverse.max-attempts", "2");
        env.emulator.faults().failNext(2, 503);
        try {
            CheckReport report = check(app, "backup", "account");
            assertThat(report.outcome()).as(report.toJson()).isEqualTo("error");
            assertThat(org.dataversebackup.cli.ExitCodes.of(report)).isEqualTo(1);
            assertThat(step(report, "user").result()).isEqualTo(StepResult.ERROR);
            assertThat(step(report, "user").detail()).contains("503");
        } finally {
            env.emulator.faults().clear();
        }
    }

    @Test
    void aUrlThatIsNoEnvironmentOfTheTenantFailsTheSignIn() {
        Map<String, String> app = new java.util.HashMap<>(env.application(EmulatorIdentities.APP_CLIENT_ID,
                EmulatorIdentities.APP_CLIENT_SECRET));
        app.put("dataverse.url", "https://127.0.0.1:1");
        CheckReport report = check(app, "backup", "account");
        assertThat(step(report, "sign-in").result()).isEqualTo(StepResult.FAIL);
        assertThat(step(report, "sign-in").detail()).contains("AADSTS500011");
        assertThat(step(report, "sign-in").fix()).contains("dataverse.url");
    }
}
