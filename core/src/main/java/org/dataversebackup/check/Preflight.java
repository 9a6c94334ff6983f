package org.dataversebackup.check;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.auth.AuthenticationException;
import org.dataversebackup.dataverse.AccessTokens;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The preflight check: signs in, finds the account in the environment, reads its access mode, the
 * tables in scope and the privileges it holds, and says for each requirement whether it is met,
 * and if not, why and how to fix it. A failed requirement is a result, not an exception; only a
 * configuration that cannot even be used (a missing {@code dataverse.url}, an unknown
 * {@code auth.mode}) throws {@link org.dataversebackup.config.ConfigurationException}.
 *
 * <p>Requirements: a token (consent, credentials); the account is a user of the environment and
 * not disabled; access mode Read-Write or Non-interactive ({@link AccessMode}); every table in
 * scope exists; per table, backup: Read (Global depth, else a warning that the snapshot holds only
 * the rows the account sees; an incremental backup needs Global and change tracking on); restore:
 * Read, Create and Write (Global depth of Read and Write, else a warning); when lookups are restored,
 * Append on tables with writable lookups and AppendTo on the tables they point to (required for
 * tables restored too, a warning for tables outside the scope), and Assign for restored owners (a
 * warning).
 */
public class Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    static final String ROLES = "Power Platform admin center > Environments > the environment > Settings > Users +"
            + " permissions > Security roles";

    private final Supplier<AuthSettings> authSettings;
    private final Supplier<? extends AccessTokens> tokens;
    private final Supplier<DataverseClient> client;
    private final List<String> defaultTables;
    private final List<String> exclude;
    /** The extra connection accounts ({@code auth.connections}) by name: their settings and tokens. */
    private final Supplier<Map<String, Account>> extraAccounts;

    /** An extra connection account: who it is and its token source. */
    public record Account(AuthSettings settings, AccessTokens tokens) {
    }

    /**
     * @param authSettings  the {@code auth.*} settings, to say who signs in (built on first use)
     * @param tokens        the application's token source
     * @param client        the Dataverse client the check uses (built on first use)
     * @param defaultTables {@code backup.tables}: the scope when a request names no tables
     * @param exclude       {@code backup.exclude}: removed from backup scopes and from the configured scope
     */
    public Preflight(Supplier<AuthSettings> authSettings, Supplier<? extends AccessTokens> tokens,
            Supplier<DataverseClient> client, List<String> defaultTables, List<String> exclude) {
        this(authSettings, tokens, client, defaultTables, exclude, Map::of);
    }

    /**
     * As above, checking the extra connection accounts too: each goes through the same checks with
     * its own tokens; one that fails is taken out of the client's rotation, with a warning in the
     * report saying why, and the run goes on with the others.
     */
    public Preflight(Supplier<AuthSettings> authSettings, Supplier<? extends AccessTokens> tokens,
            Supplier<DataverseClient> client, List<String> defaultTables, List<String> exclude,
            Supplier<Map<String, Account>> extraAccounts) {
        this.extraAccounts = extraAccounts;
        this.authSettings = authSettings;
        this.tokens = tokens;
        this.client = client;
        this.defaultTables = List.copyOf(defaultTables);
        this.exclude = List.copyOf(exclude);
    }

    public CheckReport run(CheckRequest request) {
        Run run = new Run(request);
        AuthSettings auth = authSettings.get();
        DataverseClient dataverse = client.get();
        run.environment = dataverse.environmentUrl().toString();
        if (signIn(run, auth, tokens.get()) && user(run, dataverse, auth)) {
            tablesAndPrivileges(run, dataverse);
        }
        extraAccounts(run, request, dataverse);
        CheckReport report = run.report();
        LOG.debug("{}", report.summary());
        return report;
    }

    // ------------------------------------------------------------------ sign-in

    /** Each extra account through the same checks, as itself; one that fails is taken out, with a warning. */
    private void extraAccounts(Run run, CheckRequest request, DataverseClient dataverse) {
        for (Map.Entry<String, Account> extra : extraAccounts.get().entrySet()) {
            String name = extra.getKey();
            Account account = extra.getValue();
            if (!dataverse.activeConnections().contains(name)) {
                // a request of this run (or an earlier one of the service) found it unusable
                run.add(CheckStep.of("connection " + name, StepResult.WARN, "Connection " + name + " (application "
                        + account.settings().clientId() + ") is taken out, the others go on: "
                        + dataverse.takenOutConnections().getOrDefault(name, "it failed") + ".",
                        "Fix its auth.connections." + name + ".* settings and restart the service (or run the command again)."));
                continue;
            }
            Run own = new Run(request);
            own.environment = run.environment;
            DataverseClient as = dataverse.as(name);
            if (signIn(own, account.settings(), account.tokens()) && user(own, as, account.settings())) {
                tablesAndPrivileges(own, as);
            }
            CheckReport report = own.report();
            if (report.passed()) {
                run.add(CheckStep.of("connection " + name, StepResult.PASS, "Connection " + name + " (application "
                        + account.settings().clientId() + ") passes the same checks: requests are spread over "
                        + String.join(", ", dataverse.activeConnections()) + ".", null));
                continue;
            }
            CheckStep failed = report.steps().stream().filter(step -> step.result() == StepResult.FAIL
                    || step.result() == StepResult.ERROR).findFirst().orElseThrow();
            String why = failed.title() + ": " + failed.detail();
            dataverse.takeOut(name, why);
            run.add(CheckStep.of("connection " + name, StepResult.WARN, "Connection " + name + " (application "
                    + account.settings().clientId() + ") is taken out, the others go on: " + why, failed.fix()));
        }
    }

    private boolean signIn(Run run, AuthSettings auth, AccessTokens tokens) {
        String who = switch (auth.mode()) {
            case CLIENT_SECRET, CERTIFICATE -> "application " + auth.clientId();
            case PASSWORD -> auth.username().orElse("(auth.username)");
            case DEVICE_CODE -> auth.username().map(u -> u + " (saved sign-in)").orElse("the saved sign-in");
        };
        try {
            tokens.current();
            run.add(CheckStep.of("sign-in", StepResult.PASS, "Token issued for " + who + " (" + auth.mode() + " mode) by "
                    + auth.authority() + ".", null));
            return true;
        } catch (AuthenticationException e) {
            boolean couldNotCheck = e.problem() == AuthenticationException.Problem.AUTHORITY_UNREACHABLE
                    || (e.problem() == AuthenticationException.Problem.OTHER && e.errorCode() == null);
            // the fix has its own column: the detail keeps the first sentence of messages that say what to do
            String reason = couldNotCheck || e.problem() == AuthenticationException.Problem.OTHER ? e.getMessage()
                    : firstSentence(e.getMessage());
            run.add(CheckStep.of("sign-in", couldNotCheck ? StepResult.ERROR : StepResult.FAIL,
                    "No token for " + who + " (" + auth.mode() + " mode): " + reason, signInFix(e, auth)));
            run.skipRest("sign-in");
            return false;
        }
    }

    static String firstSentence(String message) {
        int end = message.indexOf(". ");
        return end < 0 ? message : message.substring(0, end + 1);
    }

    static String signInFix(AuthenticationException e, AuthSettings auth) {
        return switch (e.problem()) {
            case CONSENT_REQUIRED -> "A Global Administrator (or Privileged Role Administrator) grants admin consent"
                    + " once: open " + auth.authority().adminConsentUrl(auth.clientId()) + " and accept (or Entra"
                    + " admin center > App registrations > the application > API permissions > Grant admin consent).";
            case INVALID_CLIENT_SECRET -> "Set '" + auth.keyName(AuthSettings.CLIENT_SECRET) + "' to the secret's Value (Entra admin"
                    + " center > App registrations > the application > Certificates & secrets); create a new secret if"
                    + " it expired.";
            case INVALID_CLIENT_CERTIFICATE -> "Upload the certificate's public part to the app registration"
                    + " (Certificates & secrets > Certificates) and check that it has not expired.";
            case INVALID_USER_CREDENTIALS -> "Check '" + auth.keyName(AuthSettings.USERNAME) + "' and '" + auth.keyName(AuthSettings.PASSWORD)
                    + "', and that the account is enabled in Entra ID.";
            case MFA_REQUIRED -> "Use " + auth.keyName(AuthSettings.MODE) + "=device-code (sign in once with 'dataverse-backup"
                    + " login') or an application user (" + auth.keyName(AuthSettings.MODE) + "=client-secret or certificate).";
            case APPLICATION_NOT_FOUND -> "Check '" + auth.keyName(AuthSettings.CLIENT_ID) + "' (the Application (client) id) and"
                    + " the tenant of '" + auth.keyName(AuthSettings.AUTHORITY) + "'.";
            case TENANT_NOT_FOUND -> "Check '" + auth.keyName(AuthSettings.TENANT_ID) + "' or '" + auth.keyName(AuthSettings.AUTHORITY) + "'.";
            case PUBLIC_CLIENT_NOT_ALLOWED -> "Entra admin center > App registrations > the application >"
                    + " Authentication: set 'Allow public client flows' to Yes, or use an application user.";
            case SIGN_IN_REQUIRED -> "Run 'dataverse-backup login' to sign in again.";
            case AUTHORITY_UNREACHABLE -> "Check '" + auth.keyName(AuthSettings.AUTHORITY) + "', the network and the proxy"
                    + " (-Dhttps.proxyHost/-Dhttps.proxyPort), then run the check again.";
            case OTHER -> "AADSTS500011".equals(e.errorCode())
                    ? "Check '" + auth.keyName(AuthSettings.DATAVERSE_URL) + "': Entra ID knows no Dataverse environment at that URL in"
                            + " this tenant (Power Platform admin center > the environment > Environment URL)."
                    : "See Entra ID's message; docs/AUTHENTICATION.md lists what each sign-in needs.";
        };
    }

    // ------------------------------------------------------------------ the user in the environment

    private boolean user(Run run, DataverseClient dataverse, AuthSettings auth) {
        JsonNode who;
        try {
            who = dataverse.firstContact("WhoAmI").json(); // a wrong or unreachable dataverse.url: ConfigurationException
        } catch (DataverseException e) {
            run.add(whoAmIFailed(e, run.environment, auth));
            run.skipRest("user");
            return false;
        }
        String userId = who.path("UserId").asText();
        run.account.put("userId", userId);
        run.account.put("businessUnitId", who.path("BusinessUnitId").asText());
        run.account.put("organizationId", who.path("OrganizationId").asText());
        JsonNode user;
        try {
            user = dataverse.getJson("systemusers(" + userId + ")?$select=fullname,domainname,accessmode,isdisabled,"
                    + "applicationid");
        } catch (DataverseException e) {
            run.add(CheckStep.of("user", StepResult.PASS, "A user of the environment (WhoAmI): user id " + userId
                    + ", organization " + who.path("OrganizationId").asText() + ".", null));
            boolean denied = e.status() == 403;
            run.add(CheckStep.of("access-mode", denied ? StepResult.WARN : StepResult.ERROR, "Its user record cannot be"
                    + " read, so its access mode and whether it is disabled are not known: " + e.getMessage(),
                    denied ? "Give the account Read on the User table (prvReadUser) in a security role (" + ROLES + ")."
                            : "Run the check again; if it persists, check the environment's health."));
            return true;
        }
        String fullName = text(user, "fullname");
        String domainName = text(user, "domainname");
        String applicationId = text(user, "applicationid");
        boolean disabled = user.path("isdisabled").asBoolean(false);
        int accessMode = user.path("accessmode").asInt(-1);
        run.account.put("fullName", fullName);
        run.account.put("domainName", domainName);
        run.account.put("applicationId", applicationId);
        run.account.put("disabled", disabled);
        run.account.put("accessMode", accessMode);
        AccessMode mode = AccessMode.of(accessMode);
        run.account.put("accessModeName", mode == null ? "unknown (" + accessMode + ")" : mode.label());
        String name = (fullName == null ? "" : fullName + " ") + (domainName == null ? "" : "<" + domainName + "> ");
        if (disabled) {
            run.add(CheckStep.of("user", StepResult.FAIL, name + "is disabled in this environment: it cannot sign in"
                    + " to Dataverse.", disabledFix(applicationId != null)));
            run.skipRest("user");
            return false;
        }
        run.add(CheckStep.of("user", StepResult.PASS, name + "is a user of the environment"
                + (applicationId != null ? " (application user of application " + applicationId + ")" : "")
                + ": user id " + userId + ", organization " + who.path("OrganizationId").asText() + ".", null));
        run.add(AccessMode.step(accessMode, run.request.purpose()));
        return true;
    }

    static CheckStep whoAmIFailed(DataverseException e, String environment, AuthSettings auth) {
        String message = e.dataverseMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        boolean application = auth.mode().confidential();
        if ((e.status() == 401 || e.status() == 403) && lower.contains("disabled")) {
            return CheckStep.of("user", StepResult.FAIL, "The account is disabled in this environment: " + message,
                    disabledFix(application));
        }
        if (e.status() == 403 && ("0x80072560".equalsIgnoreCase(e.code()) || lower.contains("not a member"))) {
            return CheckStep.of("user", StepResult.FAIL, "The account is not a user of the environment " + environment
                    + ": " + message, application
                    ? "Add the application as an application user: Power Platform admin center > Environments > the"
                            + " environment > Settings > Users + permissions > Application users > New app user (client"
                            + " id " + auth.clientId() + "), with a security role."
                    : "Add the user to the environment (Power Platform admin center > Environments > the environment >"
                            + " Settings > Users + permissions > Users > Add user) with a security role; if the"
                            + " environment has a security group, the user must be a member of it.");
        }
        if (e.status() == 401) {
            return CheckStep.of("user", StepResult.FAIL, "Dataverse refused the access token: " + e.getMessage(),
                    "Check that '" + AuthSettings.DATAVERSE_URL + "' is the environment URL (Power Platform admin"
                            + " center > the environment > Environment URL) and that the environment belongs to the"
                            + " tenant of '" + AuthSettings.AUTHORITY + "'.");
        }
        if (e.status() == 403) {
            return CheckStep.of("user", StepResult.FAIL, "Dataverse refused the account: " + e.getMessage(),
                    "Give the account a security role in the environment (" + ROLES + ").");
        }
        return CheckStep.of("user", StepResult.ERROR, "WhoAmI failed: " + e.getMessage(), "Run the check again; if it"
                + " persists, check the environment's health in the Power Platform admin center.");
    }

    private static String disabledFix(boolean application) {
        return application
                ? "Activate the application user: Power Platform admin center > Environments > the environment >"
                        + " Settings > Users + permissions > Application users > the app > Activate."
                : "Enable the user: it needs a license that includes Dataverse (Microsoft 365 admin center) and, when"
                        + " the environment has a security group, membership of it; or use an application user"
                        + " (auth.mode=client-secret or certificate).";
    }

    // ------------------------------------------------------------------ tables and privileges

    private void tablesAndPrivileges(Run run, DataverseClient dataverse) {
        CheckRequest request = run.request;
        CheckMetadata metadata = new CheckMetadata(dataverse);
        List<String> names = request.configuredScope() ? defaultTables : request.tables();
        boolean applyExclude = request.configuredScope() || request.purpose() == Purpose.BACKUP;
        CheckMetadata.Scope scope;
        try {
            scope = metadata.resolve(names, applyExclude ? exclude : List.of());
        } catch (DataverseException e) {
            run.add(CheckStep.of("tables", StepResult.ERROR, "The table definitions cannot be read: " + e.getMessage(),
                    "Run the check again; if it persists, check the environment's health."));
            run.skipRest("tables");
            return;
        }
        run.tables = scope.tables().stream().map(TableFacts::logicalName).toList();
        tablesStep(run, scope, names, applyExclude);
        if (scope.tables().isEmpty()) {
            return;
        }
        try {
            privileges(run, dataverse, metadata, scope.tables());
        } catch (DataverseException e) {
            run.add(e.status() == 403
                    ? CheckStep.of("privileges", StepResult.FAIL, "The account may not read its own privileges: "
                            + e.getMessage(), "Give it Read on the User table (prvReadUser), as the Basic User role"
                            + " does (" + ROLES + ").")
                    : CheckStep.of("privileges", StepResult.ERROR, "The account's privileges cannot be read: "
                            + e.getMessage(), "Run the check again; if it persists, check the environment's health."));
        }
    }

    private void tablesStep(Run run, CheckMetadata.Scope scope, List<String> names, boolean applyExclude) {
        List<String> problems = new ArrayList<>();
        if (!scope.unknown().isEmpty()) {
            problems.add("No such table in " + run.environment + ": " + String.join(", ", scope.unknown()) + ".");
        }
        if (!scope.withoutEntitySet().isEmpty()) {
            problems.add("Not readable through the Web API (no entity set): " + String.join(", ",
                    scope.withoutEntitySet()) + ".");
        }
        if (scope.tables().isEmpty() && problems.isEmpty()) {
            problems.add("No table is in scope: " + (names.isEmpty() ? "*" : String.join(",", names))
                    + (applyExclude && !exclude.isEmpty() ? " minus backup.exclude " + String.join(",", exclude) : "")
                    + " leaves nothing.");
        }
        String where = run.request.configuredScope() ? "backup.tables" : "the tables asked for";
        if (!problems.isEmpty()) {
            run.add(CheckStep.of("tables", StepResult.FAIL, String.join(" ", problems)
                    + (scope.tables().isEmpty() ? "" : " In scope: " + ReportTable.abbreviate(run.tables, 10) + "."),
                    "Use logical names (e.g. account, contact; Power Apps > Tables > the table > Properties > Logical"
                            + " name) in " + where + ", or * for every table."));
            return;
        }
        run.add(CheckStep.of("tables", StepResult.PASS, scope.tables().size() + (scope.tables().size() == 1 ? " table"
                : " tables") + " in scope" + (scope.all() ? " (every table with an entity set)" : "") + ": "
                + ReportTable.abbreviate(run.tables, 10) + ".", null));
    }

    /** One privilege the account must hold on a table, and why. */
    private record Need(PrivilegeVerb verb, TableFacts on, String why, boolean required, boolean wantGlobal,
            boolean globalRequired) {
    }

    private void privileges(Run run, DataverseClient dataverse, CheckMetadata metadata, List<TableFacts> tables) {
        CheckRequest request = run.request;
        Map<String, List<Need>> needs = new LinkedHashMap<>();
        Set<String> inScope = new LinkedHashSet<>();
        tables.forEach(t -> inScope.add(t.logicalName()));
        for (TableFacts table : tables) {
            needs.put(table.logicalName(), needs(request, table, metadata, inScope));
        }
        Set<String> names = new LinkedHashSet<>();
        needs.values().forEach(list -> list.forEach(n -> names.addAll(n.on().privilegeNames(n.verb()))));
        HeldPrivileges held = HeldPrivileges.retrieve(dataverse, String.valueOf(run.account.get("userId")), names);
        for (TableFacts table : tables) {
            run.add(tableStep(request, table, needs.get(table.logicalName()), held));
        }
    }

    /**
     * AppendTo on a lookup's target is required when the target is restored too (lookups between
     * restored tables are the rule); on a table outside the scope it is a warning: only rows whose
     * lookup is set to such a row fail, and a table has many optional lookups.
     */
    private static List<Need> needs(CheckRequest request, TableFacts table, CheckMetadata metadata,
            Set<String> inScope) {
        List<Need> needs = new ArrayList<>();
        if (table.withoutOwnPrivileges()) {
            return needs;
        }
        String t = table.logicalName();
        if (request.purpose() == Purpose.BACKUP) {
            needs.add(new Need(PrivilegeVerb.READ, table, "Read on " + t, true, true, request.incremental()));
            return needs;
        }
        needs.add(new Need(PrivilegeVerb.READ, table, "Read on " + t, true, true, false));
        needs.add(new Need(PrivilegeVerb.CREATE, table, "Create on " + t, true, false, false));
        needs.add(new Need(PrivilegeVerb.WRITE, table, "Write on " + t, true, true, false));
        if (!request.lookups()) {
            return needs;
        }
        boolean append = false;
        boolean owner = false;
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (CheckMetadata.LookupColumn lookup : metadata.lookups(t)) {
            if (!lookup.writable()) {
                continue;
            }
            if (lookup.owner()) {
                owner = true;
                continue;
            }
            append = true;
            for (String target : lookup.targets()) {
                targets.computeIfAbsent(target, k -> new ArrayList<>()).add(lookup.attribute());
            }
        }
        if (append) {
            needs.add(new Need(PrivilegeVerb.APPEND, table, "Append on " + t + ", to set its lookups", true, false,
                    false));
        }
        for (Map.Entry<String, List<String>> target : targets.entrySet()) {
            Optional<TableFacts> targetTable = metadata.table(target.getKey());
            if (targetTable.isPresent() && !targetTable.get().withoutOwnPrivileges()) {
                needs.add(new Need(PrivilegeVerb.APPEND_TO, targetTable.get(), "AppendTo on " + target.getKey()
                        + ", for lookup " + String.join(", ", target.getValue()), inScope.contains(target.getKey()),
                        false, false));
            }
        }
        if (owner) {
            needs.add(new Need(PrivilegeVerb.ASSIGN, table, "Assign on " + t + ", to restore rows owned by other users"
                    + " or teams", false, false, false));
        }
        return needs;
    }

    private static CheckStep tableStep(CheckRequest request, TableFacts table, List<Need> needs, HeldPrivileges held) {
        String t = table.logicalName();
        if (table.withoutOwnPrivileges()) {
            return new CheckStep("privileges", t, StepResult.PASS, "An N:N relationship table without privileges of"
                    + " its own: access follows the privileges on its two tables.", null, List.of());
        }
        StepResult result = StepResult.PASS;
        List<String> holds = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> missingRequired = new ArrayList<>();
        List<String> missingOptional = new ArrayList<>();
        List<String> shallow = new ArrayList<>();
        boolean shallowFails = false;
        for (Need need : needs) {
            List<String> candidates = need.on().privilegeNames(need.verb());
            if (candidates.isEmpty()) {
                continue; // the table has no such privilege: nothing to hold
            }
            Optional<Depth> depth = held.depth(candidates);
            String name = need.on().privilegeName(need.verb());
            if (depth.isEmpty()) {
                missing.add(name);
                (need.required() ? missingRequired : missingOptional).add(name + " (" + need.why() + ")");
                result = result.worse(need.required() ? StepResult.FAIL : StepResult.WARN);
                continue;
            }
            holds.add(name + " " + depth.get().webName());
            if (need.wantGlobal() && depth.get() != Depth.GLOBAL) {
                shallow.add(name + " at " + depth.get().description());
                shallowFails |= need.globalRequired();
                result = result.worse(need.globalRequired() ? StepResult.FAIL : StepResult.WARN);
            }
        }
        List<String> detail = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        if (!missingRequired.isEmpty()) {
            detail.add("Missing " + String.join(", ", missingRequired) + ".");
        }
        if (!missingOptional.isEmpty()) {
            detail.add("Missing " + String.join(", ", missingOptional) + ": rows that need it fail.");
        }
        if (!missing.isEmpty()) {
            fix.add("Give the account a security role granting " + String.join(", ", missing) + " (" + ROLES
                    + "; access level Organization), directly or through a team it is a member of; System"
                    + " Administrator has every privilege.");
        }
        if (!shallow.isEmpty()) {
            detail.add(shallowText(request, String.join(", ", shallow), held.teamDepthsExact()));
            fix.add("In the account's security role, set the access level of " + shallow.stream()
                    .map(s -> s.substring(0, s.indexOf(" at "))).reduce((a, b) -> a + ", " + b).orElse("")
                    + " to Organization (" + ROLES + ").");
        }
        if (request.purpose() == Purpose.BACKUP && request.incremental() && !table.changeTracking()) {
            result = result.worse(StepResult.FAIL);
            detail.add("Change tracking is off for " + t + ": an incremental backup cannot follow its changes.");
            fix.add("Turn on change tracking: Power Apps > Tables > " + t + " > Properties > Advanced options > Track"
                    + " changes.");
        }
        if (detail.isEmpty()) {
            detail.add("Holds " + String.join(", ", holds) + ".");
        } else if (!holds.isEmpty() && !missing.isEmpty()) {
            detail.add("Holds " + String.join(", ", holds) + ".");
        }
        return new CheckStep("privileges", t, result, String.join(" ", detail), fix.isEmpty() ? null
                : String.join(" ", fix), missing);
    }

    private static String shallowText(CheckRequest request, String shallow, boolean teamDepthsExact) {
        String text;
        if (request.purpose() == Purpose.BACKUP) {
            text = request.incremental()
                    ? "Holds " + shallow + ": change tracking (an incremental backup) needs Global (organization)"
                            + " read."
                    : "Holds " + shallow + ": the snapshot will hold only the rows the account can see, not every row"
                            + " of the table; an incremental backup (change tracking) would need Global read.";
        } else {
            text = "Holds " + shallow + ": rows outside that scope cannot be read or updated, so the restore fails"
                    + " for them.";
        }
        return teamDepthsExact ? text : text + " (The environment reported privileges through"
                + " RetrieveUserPrivileges, which shows those held through teams at Basic depth only.)";
    }

    // ------------------------------------------------------------------ one run

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static final class Run {
        final CheckRequest request;
        final Instant started = Instant.now();
        final long startNanos = System.nanoTime();
        final List<CheckStep> steps = new ArrayList<>();
        final Map<String, Object> account = new LinkedHashMap<>();
        List<String> tables = List.of();
        String environment = "";

        Run(CheckRequest request) {
            this.request = request;
        }

        void add(CheckStep step) {
            steps.add(step);
        }

        /** The standard steps after {@code failed} are reported as not checked. */
        void skipRest(String failed) {
            List<String> order = List.of("sign-in", "user", "access-mode", "tables", "privileges");
            for (String step : order.subList(order.indexOf(failed) + 1, order.size())) {
                steps.add(CheckStep.of(step, StepResult.SKIP, "Not checked: the " + failed + " step did not pass.",
                        null));
            }
        }

        CheckReport report() {
            return new CheckReport(request, environment, started, Duration.ofNanos(System.nanoTime() - startNanos),
                    account, tables, steps);
        }
    }
}
