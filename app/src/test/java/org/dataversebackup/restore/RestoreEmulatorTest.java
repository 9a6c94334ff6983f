package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Restores of a snapshot of a generated emulator (taken by the backup route) into a second emulator
 * that has the same users, teams, business units and currencies but no business rows: the round
 * trip (backed up again and compared record for record), every mode, guards, rejected records and
 * injected faults.
 */
class RestoreEmulatorTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(30, 2, 12);
    static final List<String> TABLES = RestoreEmulator.DATA_TABLES;

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static CamelApplication sourceApp;
    static Path snapshot;
    static int accounts;
    static int contacts;
    static int projects;

    DataverseEmulator target;
    CamelApplication targetApp;

    @BeforeAll
    static void backUpTheSource() {
        source = RestoreEmulator.generated(SPEC);
        // the backup route (direct:backup), in parts of 25 records
        sourceApp = RestoreEmulator.app(source, dir.resolve("source"), Map.of("backup.chunk-records", "25"));
        snapshot = Path.of(RestoreEmulator.backup(sourceApp, String.join(",", TABLES)));
        accounts = source.state().count("account");
        contacts = source.state().count("contact");
        projects = source.state().count("dvb_project");
    }

    @AfterAll
    static void stopTheSource() {
        sourceApp.close();
        source.close();
    }

    @AfterEach
    void stopTheTarget() {
        if (targetApp != null) {
            targetApp.close();
        }
        if (target != null) {
            target.close();
        }
    }

    private void emptyTarget(Map<String, String> settings) {
        target = RestoreEmulator.emptied(SPEC);
        targetApp = RestoreEmulator.app(target, dir.resolve("target-" + UUID.randomUUID()), settings);
    }

    private JsonNode restore(Map<String, Object> headers) throws Exception {
        Map<String, Object> all = new HashMap<>(headers);
        all.putIfAbsent(RestoreHeaders.SNAPSHOT, snapshot.toString());
        return RestoreEmulator.report(targetApp, all);
    }

    private static JsonNode table(JsonNode report, String name) {
        return RestoreEmulator.table(report, name);
    }

    private List<String> differencesWithTheSource() {
        Path again = Path.of(RestoreEmulator.backup(targetApp, String.join(",", TABLES)));
        return SnapshotComparison.differences(snapshot, again, TABLES, dir.resolve("compare-" + UUID.randomUUID()));
    }

    private ObjectNode row(DataverseEmulator emulator, String table, UUID id) {
        return emulator.state().row(table, id).orElseThrow();
    }

    @Test
    void roundTripEveryFieldLookupAndLinkComesBackAndASecondRunWritesNothing() throws Exception {
        emptyTarget(Map.of());
        JsonNode report = restore(Map.of());
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(table(report, "account").path("created").asInt()).isEqualTo(accounts);
        assertThat(table(report, "contact").path("created").asInt()).isEqualTo(contacts);
        assertThat(table(report, "dvb_project").path("created").asInt()).isEqualTo(projects);
        assertThat(table(report, "dvb_project_contact").path("created").asInt()).isPositive();
        assertThat(table(report, "account").path("secondPass").asInt()).as("parent accounts, primary contacts").isPositive();
        assertThat(report.has("referencesReplacedByConnectionUser")).as("every owner exists in the target").isFalse();

        assertThat(differencesWithTheSource()).isEmpty();

        JsonNode again = restore(Map.of());
        assertThat(again.path("totals").path("created").asInt()).isZero();
        assertThat(again.path("totals").path("updated").asInt()).isZero();
        assertThat(table(report, "email").path("created").asInt()).as("one email per five accounts").isEqualTo((accounts + 4) / 5);
        assertThat(again.path("totals").path("unchanged").asInt()).isEqualTo(accounts + contacts + projects
                + table(report, "dvb_project_contact").path("created").asInt() + table(report, "email").path("created").asInt());
    }

    /** Into empty tables nothing is compared: no live row is read per chunk, only whether each table is empty. */
    @Test
    void intoAnEmptyTargetNoLiveRowsAreRead() throws Exception {
        emptyTarget(Map.of("restore.batch-size", "5"));
        JsonNode report = restore(Map.of());
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        int rowChunks = (accounts + 4) / 5 + (contacts + 4) / 5 + (projects + 4) / 5;
        // before: one read of live rows per chunk and per second-pass chunk, and reads of the users and teams referred to
        assertThat(report.path("requests").path("reads").asInt()).as(report.path("requests").toString())
                .isLessThan(rowChunks);
        assertThat(differencesWithTheSource()).isEmpty();
    }

    @Test
    void aDryRunReadsAndPlansButWritesNothing() throws Exception {
        emptyTarget(Map.of());
        JsonNode report = restore(Map.of(RestoreHeaders.DRY_RUN, true));
        assertThat(report.path("dryRun").asBoolean()).isTrue();
        assertThat(table(report, "account").path("toCreate").asInt()).isEqualTo(accounts);
        assertThat(table(report, "contact").path("toCreate").asInt()).isEqualTo(contacts);
        assertThat(target.state().count("account")).isZero();
        assertThat(target.state().count("contact")).isZero();
    }

    /** A target holding everything the snapshot holds. */
    private void restoredTarget(Map<String, String> settings) throws Exception {
        emptyTarget(settings);
        JsonNode report = restore(Map.of());
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
    }

    private void delete(String table, List<UUID> ids) {
        ids.forEach(id -> assertThat(target.state().deleteRow(table, id)).isTrue());
    }

    private void rename(UUID account, String name) {
        ObjectNode changed = row(target, "account", account);
        changed.put("name", name);
        target.state().putRow("account", changed);
    }

    @Test
    void createModeNeverOverwritesRowsThatExist() throws Exception {
        restoredTarget(Map.of());
        List<UUID> ids = source.state().ids("account");
        delete("account", ids.subList(0, 5));
        rename(ids.get(5), "Changed in the target");

        JsonNode report = restore(Map.of(RestoreHeaders.TABLES, "account", RestoreHeaders.MODE, "create"));
        JsonNode account = table(report, "account");
        assertThat(account.path("created").asInt()).isEqualTo(5);
        assertThat(account.path("exists").asInt()).isEqualTo(accounts - 5);
        assertThat(account.path("failed").asInt()).isZero();
        assertThat(report.path("ok").asBoolean()).as("rows that exist are reported, not failures").isTrue();
        assertThat(row(target, "account", ids.get(5)).path("name").asText()).isEqualTo("Changed in the target");
        assertThat(target.state().count("account")).isEqualTo(accounts);
        List<String> failures = Files.readAllLines(Path.of(report.path("failuresFile").asText()));
        assertThat(failures).hasSize(accounts - 5).allSatisfy(line -> assertThat(line).contains("\"outcome\":\"exists\""));
    }

    @Test
    void updateModeNeverCreatesAndRevertsChangedRows() throws Exception {
        restoredTarget(Map.of());
        List<UUID> ids = source.state().ids("account");
        String name = row(target, "account", ids.get(5)).path("name").asText();
        delete("account", ids.subList(0, 5));
        rename(ids.get(5), "Changed in the target");

        JsonNode report = restore(Map.of(RestoreHeaders.TABLES, "account", RestoreHeaders.MODE, "update"));
        JsonNode account = table(report, "account");
        assertThat(account.path("missing").asInt()).isEqualTo(5);
        assertThat(account.path("updated").asInt()).isEqualTo(1);
        assertThat(account.path("unchanged").asInt()).isEqualTo(accounts - 6);
        assertThat(account.path("created").asInt()).isZero();
        assertThat(target.state().count("account")).isEqualTo(accounts - 5);
        assertThat(row(target, "account", ids.get(5)).path("name").asText()).isEqualTo(name);
    }

    @Test
    void anotherEnvironmentNeedsToBeAllowed() throws Exception {
        emptyTarget(Map.of());
        Path other = SnapshotFixture.copy(snapshot, dir.resolve("other-" + UUID.randomUUID()));
        SnapshotFixture.fromOrganization(other, "11111111-2222-4333-8444-555555555555");
        Exchange refused = RestoreEmulator.restore(targetApp, Map.of(RestoreHeaders.SNAPSHOT, other.toString()));
        assertThat(refused.getException()).isNotNull();
        ConfigurationException reason = org.apache.camel.util.ObjectHelper.getException(ConfigurationException.class,
                refused.getException());
        assertThat(reason).isNotNull();
        assertThat(reason.getMessage()).contains("11111111-2222-4333-8444-555555555555").contains("--allow-other-environment");
        assertThat(target.state().count("account")).isZero();

        JsonNode report = restore(Map.of(RestoreHeaders.SNAPSHOT, other.toString(), RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true));
        assertThat(report.path("ok").asBoolean()).isTrue();
        assertThat(report.path("target").path("otherEnvironment").asBoolean()).isTrue();
        assertThat(target.state().count("account")).isEqualTo(accounts);
    }

    @Test
    void aRecordTheTargetRejectsIsReportedAndTheRestIsRestored() throws Exception {
        emptyTarget(Map.of());
        Path broken = SnapshotFixture.copy(snapshot, dir.resolve("broken-" + UUID.randomUUID()));
        String rejected = SnapshotFixture.tamper(broken, "contact", r -> true,
                r -> r.put("_transactioncurrencyid_value", "99999999-8888-4777-8666-555555555555"));
        JsonNode report = restore(Map.of(RestoreHeaders.SNAPSHOT, broken.toString()));
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(table(report, "contact").path("failed").asInt()).isEqualTo(1);
        assertThat(table(report, "contact").path("created").asInt()).isEqualTo(contacts - 1);
        assertThat(target.state().count("account")).isEqualTo(accounts);
        List<JsonNode> failures = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of(report.path("failuresFile").asText()))) {
            failures.add(SnapshotJson.MAPPER.readTree(line));
        }
        JsonNode failure = failures.get(0);
        assertThat(failure.path("table").asText()).isEqualTo("contact");
        assertThat(failure.path("id").asText()).isEqualTo(rejected);
        assertThat(failure.path("outcome").asText()).isEqualTo("failed");
        assertThat(failure.path("pass").asText()).isEqualTo("first");
        assertThat(failure.path("status").asInt()).isBetween(400, 499);
        assertThat(failure.path("message").asText()).isNotBlank();
        // what points to the rejected contact (a primary contact, a parent customer, a project link) fails after it
        assertThat(failures.subList(1, failures.size())).allSatisfy(f -> assertThat(f.path("pass").asText()).isIn("second", "links"));
        // reports, failures and the journal name rows and Dataverse's messages: the service's account only, whatever the umask
        for (String file : List.of("failuresFile", "reportFile")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    Path.of(report.path(file).asText())))).as(file).isEqualTo("rw-------");
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                Path.of(report.path("journal").asText())))).as("the journal's folder").isEqualTo("rwx------");
    }

    /**
     * Service protection scaled down (3 concurrent requests, 25 requests per second) against 8
     * writers: 429s with Retry-After all along; the restore waits them out.
     */
    @Test
    void aStormOf429IsWaitedOutAndNothingIsLost() throws Exception {
        emptyTarget(Map.of("restore.batch-size", "5", "restore.parallelism", "8"));
        target.serviceProtection(25, Duration.ofSeconds(1), 3);
        JsonNode report = restore(Map.of());
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        // the report names the limit that held the run back (the emulator answers both limits' codes)
        assertThat(report.path("limitedBy").asText()).as(report.toString()).startsWith("limited by ")
                .containsAnyOf("'s number of requests (", "'s number of concurrent requests (");
        target.serviceProtection(6000, Duration.ofSeconds(300), 52);
        assertThat(differencesWithTheSource()).isEmpty();
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        emptyTarget(Map.of());
        // longer than the client's first backoff (at most 1 s): only honouring Retry-After waits this long
        target.faults().throttleNext(1, Duration.ofSeconds(3));
        long started = System.nanoTime();
        JsonNode report = restore(Map.of(RestoreHeaders.DRY_RUN, true));
        assertThat(report.path("ok").asBoolean()).isTrue();
        assertThat(target.faults().injectedCount()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void connectionsDroppedAfterTheWriteWasAppliedLeaveNoDuplicateAndLoseNothing() throws Exception {
        emptyTarget(Map.of());
        target.faults().dropNextWrites(2); // each drop is followed by the client's backoff (1 s, then 2 s)
        JsonNode report = restore(Map.of());
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(target.state().count("account")).isEqualTo(accounts);
        assertThat(target.state().count("contact")).isEqualTo(contacts);
        assertThat(differencesWithTheSource()).isEmpty();
    }

    @Test
    void inCreateModeARetriedCreateThatWasAppliedCountsAsCreated() throws Exception {
        restoredTarget(Map.of("restore.use-batch", "false"));
        delete("account", source.state().ids("account"));
        target.faults().dropNextWrites(1);
        JsonNode report = restore(Map.of(RestoreHeaders.TABLES, "account", RestoreHeaders.MODE, "create"));
        JsonNode account = table(report, "account");
        assertThat(account.path("created").asInt()).as(account.toString()).isEqualTo(accounts);
        assertThat(account.path("exists").asInt()).as("the replayed POST found its own row: created, not exists").isZero();
        assertThat(account.path("failed").asInt()).isZero();
        assertThat(target.state().count("account")).isEqualTo(accounts);
        assertThat(differencesWithTheSource()).isEmpty();
    }

    @Test
    void serverErrorsBeforeTheWriteAreRetried() throws Exception {
        emptyTarget(Map.of());
        target.faults().failNextWrites(2, 503);
        JsonNode report = restore(Map.of());
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.has("limitedBy")).as("never throttled: no limit bounded the run").isFalse();
        assertThat(differencesWithTheSource()).isEmpty();
    }

    @Test
    void idsAndFilterSelectRows() throws Exception {
        restoredTarget(Map.of());
        List<UUID> ids = source.state().ids("account");
        delete("account", ids.subList(0, 4));
        JsonNode byIds = restore(Map.of(RestoreHeaders.TABLES, "account,contact", RestoreHeaders.IDS, ids.get(0) + "," + ids.get(1)));
        assertThat(table(byIds, "account").path("selected").asInt()).isEqualTo(2);
        assertThat(table(byIds, "account").path("created").asInt()).isEqualTo(2);
        assertThat(table(byIds, "contact").path("selected").asInt()).isZero();
        assertThat(target.state().count("account")).isEqualTo(accounts - 2);

        String job = row(source, "contact", source.state().ids("contact").get(0)).path("jobtitle").asText();
        long expected = source.state().ids("contact").stream().filter(id -> job.equalsIgnoreCase(
                row(source, "contact", id).path("jobtitle").asText())).count();
        JsonNode byFilter = restore(Map.of(RestoreHeaders.TABLES, "account,contact", RestoreHeaders.FILTER, "jobtitle=" + job,
                RestoreHeaders.DRY_RUN, true));
        assertThat(table(byFilter, "contact").path("selected").asLong()).isEqualTo(expected).isLessThan(contacts);
        assertThat(table(byFilter, "contact").path("unchanged").asLong()).isEqualTo(expected);
        assertThat(table(byFilter, "account").path("skipped").asText()).contains("jobtitle");
    }

    @Test
    void aRequestDroppedInTheInboxRestoresAndMovesToDoneWithItsReport() throws Exception {
        Path inbox = dir.resolve("inbox-" + UUID.randomUUID());
        emptyTarget(Map.of("restore.inbox-enabled", "true", "restore.inbox", inbox.toString(),
                "restore.inbox-poll-delay", "100", "restore.inbox-read-lock-interval", "300",
                "restore.allowed-snapshot-roots", "file:" + snapshot.getParent()));
        Files.createDirectories(inbox);
        Path temp = inbox.resolve(".restore-accounts.json.tmp");
        Files.writeString(temp, "{\"snapshot\": \"" + snapshot.toString().replace("\\", "/") + "\", \"tables\": [\"account\", \"contact\"]}");
        Files.move(temp, inbox.resolve("restore-accounts.json"));
        Path done = inbox.resolve(".done");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(done)
                && Files.list(done).anyMatch(p -> p.toString().endsWith(".result.json")));
        Path result;
        try (var files = Files.list(done)) {
            result = files.filter(p -> p.toString().endsWith(".result.json")).findFirst().orElseThrow();
        }
        JsonNode report = SnapshotJson.MAPPER.readTree(Files.readString(result));
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(table(report, "account").path("created").asInt()).isEqualTo(accounts);
        assertThat(target.state().count("contact")).isEqualTo(contacts);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(inbox.resolve("restore-accounts.json")));
    }

    @Test
    void aSnapshotInS3IsRestored() throws Exception {
        try (org.dataversebackup.testsupport.InProcessS3 s3 = org.dataversebackup.testsupport.InProcessS3.start("backups");
                software.amazon.awssdk.services.s3.S3Client client = s3.client()) {
            String prefix = "dataverse/emulator/" + snapshot.getFileName();
            try (var files = Files.walk(snapshot)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    client.putObject(software.amazon.awssdk.services.s3.model.PutObjectRequest.builder().bucket("backups")
                            .key(prefix + "/" + snapshot.relativize(file).toString().replace('\\', '/')).build(),
                            software.amazon.awssdk.core.sync.RequestBody.fromFile(file));
                }
            }
            emptyTarget(s3.settings());
            JsonNode report = restore(Map.of(RestoreHeaders.SNAPSHOT, "s3://backups/" + prefix));
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.path("snapshot").asText()).startsWith("s3://backups/dataverse/emulator/");
            assertThat(target.state().count("account")).isEqualTo(accounts);
            assertThat(target.state().count("dvb_project")).isEqualTo(projects);
        }
    }

    @Test
    void aCorruptPartStopsItsTableWithAClearMessageAndTheOthersAreRestored() throws Exception {
        emptyTarget(Map.of());
        Path damaged = SnapshotFixture.copy(snapshot, dir.resolve("damaged-" + UUID.randomUUID()));
        Path part;
        try (var files = Files.walk(damaged.resolve("data/dvb_project"))) {
            part = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(part, bytes);
        JsonNode report = restore(Map.of(RestoreHeaders.SNAPSHOT, damaged.toString()));
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(table(report, "dvb_project").path("error").asText()).contains("damaged").contains(part.getFileName().toString())
                .contains("SHA-256");
        assertThat(target.state().count("dvb_project")).as("nothing of a damaged table is written").isZero();
        assertThat(target.state().count("account")).isEqualTo(accounts);
        assertThat(target.state().count("contact")).isEqualTo(contacts);
    }

    @Test
    void theConnectionAccountIsCheckedBeforeAnythingIsWritten() throws Exception {
        // a user with access mode Read cannot create or update rows: the preflight check stops the restore
        emptyTarget(Map.of("preflight.enabled", "true", "auth.mode", "password",
                "auth.username", org.dataversebackup.emulator.EmulatorIdentities.READ_ONLY_USER,
                "auth.password", org.dataversebackup.emulator.EmulatorIdentities.USER_PASSWORD));
        Exchange refused = RestoreEmulator.restore(targetApp, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString()));
        org.dataversebackup.check.PreflightFailedException reason = org.apache.camel.util.ObjectHelper.getException(
                org.dataversebackup.check.PreflightFailedException.class, refused.getException());
        assertThat(reason).as(String.valueOf(refused.getException())).isNotNull();
        assertThat(org.dataversebackup.cli.ExitCodes.of(reason.report())).isEqualTo(org.dataversebackup.cli.ExitCodes.PREFLIGHT_FAILED);
        assertThat(target.state().count("account")).isZero();
        assertThat(target.state().count("contact")).isZero();
    }

    @Test
    void ownersAreRemappedAndOwnersMissingInTheTargetFallBackToTheConnectionAccount() throws Exception {
        emptyTarget(Map.of());
        Map<String, List<UUID>> byOwner = new HashMap<>();
        Map<String, String> ownerTable = new HashMap<>();
        for (UUID id : source.state().ids("account")) {
            ObjectNode row = row(source, "account", id);
            String owner = row.path("_ownerid_value").asText();
            byOwner.computeIfAbsent(owner, k -> new java.util.ArrayList<>()).add(id);
            ownerTable.put(owner, row.path("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText());
        }
        String user = byOwner.keySet().stream().filter(o -> "systemuser".equals(ownerTable.get(o))
                && !o.equals(org.dataversebackup.emulator.EmulatorIdentities.ADMIN_USER_ID)).findFirst().orElseThrow();
        String team = byOwner.keySet().stream().filter(o -> "team".equals(ownerTable.get(o))).findFirst().orElseThrow();
        String missing = "0badc0de-0000-4000-8000-000000000000";
        Path mapping = dir.resolve("mapping-" + UUID.randomUUID() + ".json");
        Files.writeString(mapping, "{\"systemuser\": {\"" + user + "\": \"" + org.dataversebackup.emulator.EmulatorIdentities.ADMIN_USER_ID
                + "\"}, \"team\": {\"" + team + "\": \"" + missing + "\"}}");

        JsonNode report = restore(Map.of(RestoreHeaders.TABLES, "account,contact", RestoreHeaders.MAPPING, mapping.toString()));
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        for (UUID id : byOwner.get(user)) {
            assertThat(row(target, "account", id).path("_ownerid_value").asText())
                    .isEqualTo(org.dataversebackup.emulator.EmulatorIdentities.ADMIN_USER_ID);
        }
        for (UUID id : byOwner.get(team)) {
            ObjectNode restored = row(target, "account", id);
            assertThat(restored.path("_ownerid_value").asText()).isEqualTo(org.dataversebackup.emulator.EmulatorIdentities.APP_USER_ID);
            assertThat(restored.path("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isEqualTo("systemuser");
        }
        JsonNode fallback = report.path("referencesReplacedByConnectionUser");
        assertThat(fallback.path("connectionUserId").asText()).isEqualTo(org.dataversebackup.emulator.EmulatorIdentities.APP_USER_ID);
        assertThat(fallback.path("missingInTarget").path("team " + missing).asInt()).isGreaterThanOrEqualTo(byOwner.get(team).size());
    }
}
