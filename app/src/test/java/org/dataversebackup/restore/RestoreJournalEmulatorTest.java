package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.awaitility.Awaitility;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.DataverseBackupCommand;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The restore journal against the emulator: answers lost (a {@code $batch}'s, an N:N
 * association's) while reads fail too; a restore that did not finish, run again with the same
 * request (route, command, inbox); rows someone else created meanwhile; the lock; the work
 * folder. A restore killed with kill -9 and run again is {@link RestoreKillIT} (the packaged jar).
 */
class RestoreJournalEmulatorTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(30, 2, 12);
    /** Attempts per request: the faults below outlast them. */
    static final int MAX_ATTEMPTS = 3;

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static CamelApplication sourceApp;
    static Path snapshot;
    static int accounts;
    static int links;
    static String linkSet;

    DataverseEmulator target;
    CamelApplication targetApp;
    Path targetFolder;

    @BeforeAll
    static void backUpTheSource() {
        source = RestoreEmulator.generated(SPEC);
        sourceApp = RestoreEmulator.app(source, dir.resolve("source"), Map.of());
        snapshot = Path.of(RestoreEmulator.backup(sourceApp, String.join(",", RestoreEmulator.DATA_TABLES)));
        accounts = source.state().count("account");
        links = source.state().count("dvb_project_contact");
        var store = org.dataversebackup.snapshot.SnapshotStore.of(
                org.dataversebackup.snapshot.SnapshotTarget.parse(snapshot.toString()), () -> null);
        linkSet = org.dataversebackup.testsupport.SnapshotFiles.manifest(store).tables().stream()
                .filter(t -> t.logicalName().equals("dvb_project_contact")).findFirst().orElseThrow().entitySetName();
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

    // ------------------------------------------------------------------ answers lost

    @Test
    void aLostBatchAnswerWithAFailingReadBackCountsTheRowsCreatedAndWritesTheirDeferredLookups() throws Exception {
        // $batch, whose replay is answered part by part (a CreateMultiple replayed is refused whole:
        // RestoreBulkEmulatorTest); the faults below hit requests to "accounts", i.e. the read-back here
        targetWithoutAccounts(Map.of("restore.use-bulk", "false"));
        commandSettings.put("restore.use-bulk", "false");
        // the first $batch of the accounts (the accounts without a parent: parents are written before their
        // children) is applied and its answer lost; its replay is answered "duplicate" for every row, and the
        // read-back of those rows fails: only the journal knows this restore sent them
        target.faults().dropNextWriteThenFail(MAX_ATTEMPTS, 503, "accounts");
        long withoutParent = source.state().ids("account").stream()
                .filter(id -> source.state().row("account", id).orElseThrow().path("_parentaccountid_value").isNull()).count();
        Command restore = command("restore", "--snapshot", snapshot.toString(), "--tables", "account", "--mode", "create");

        assertThat(restore.exit()).as(restore.err()).isEqualTo(ExitCodes.SUCCESS);
        JsonNode account = table(restore.report(), "account");
        assertThat(account.path("created").asInt()).as(account.toString()).isEqualTo(accounts);
        assertThat(account.path("exists").asInt()).as("rows this restore created are not someone else's").isZero();
        assertThat(account.path("createdPerJournal").asLong()).isEqualTo(withoutParent).isLessThan(accounts);
        assertThat(target.faults().injectedCount()).isEqualTo(1 + MAX_ATTEMPTS);
        assertSameParentsAsTheSource();
    }

    @Test
    void aLostAnswerToAnAssociationIsReadBackAndCountedCreatedNotUnchanged() throws Exception {
        restoredTargetWithoutLinks();
        target.faults().dropNextWrites(1);
        JsonNode report = restore(Map.of(RestoreHeaders.TABLES, "dvb_project_contact"));
        JsonNode table = table(report, "dvb_project_contact");
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(table.path("created").asInt()).as(table.toString()).isEqualTo(links);
        assertThat(table.path("unchanged").asInt()).as("the link was not there before: not unchanged").isZero();
        assertThat(table.path("createdVerified").asInt()).isEqualTo(1);
        assertThat(target.state().count("dvb_project_contact")).isEqualTo(links);
    }

    @Test
    void aLostAnswerToAnAssociationThatCannotBeReadBackIsUnverifiedAndTheSameRequestResolvesIt() throws Exception {
        restoredTargetWithoutLinks();
        target.faults().dropNextWriteThenFail(MAX_ATTEMPTS, 503, linkSet);
        JsonNode report = restore(Map.of(RestoreHeaders.TABLES, "dvb_project_contact"));
        JsonNode table = table(report, "dvb_project_contact");
        assertThat(table.path("unverified").asInt()).as(table.toString()).isEqualTo(1);
        assertThat(table.path("unchanged").asInt()).isZero();
        assertThat(table.path("created").asInt()).isEqualTo(links - 1);
        assertThat(report.path("ok").asBoolean()).as("what is not known to be written is not a success").isFalse();
        assertThat(Files.readString(Path.of(report.path("failuresFile").asText()))).contains("\"outcome\":\"unverified\"");

        JsonNode again = restore(Map.of(RestoreHeaders.TABLES, "dvb_project_contact"));
        assertThat(again.path("ok").asBoolean()).as(again.toString()).isTrue();
        assertThat(table(again, "dvb_project_contact").path("created").asInt()).isEqualTo(links);
        assertThat(again.path("resumed").path("linksCreatedBefore").asInt()).isEqualTo(links);
        assertThat(workFolder()).isEmptyDirectory();
    }

    // ------------------------------------------------------------------ the same request again

    @Test
    void aRestoreThatFailedKeepsItsJournalAndTheSameRequestResumesItThenRemovesIt() throws Exception {
        targetWithoutAccounts(Map.of("restore.batch-size", "10", "restore.parallelism", "1"));
        target.faults().failNextWrites(MAX_ATTEMPTS, 503); // the first chunk's $batch, every attempt
        Map<String, Object> request = Map.of(RestoreHeaders.TABLES, "account", RestoreHeaders.MODE, "create");
        JsonNode first = restore(request);
        assertThat(first.path("ok").asBoolean()).isFalse();
        assertThat(table(first, "account").path("created").asInt()).isEqualTo(accounts - 10);
        Path journal = Path.of(first.path("journal").asText());
        assertThat(journal).as(first.toString()).isDirectory().startsWith(workFolder());
        try (Stream<Path> files = Files.walk(journal)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("account.ndjson");
        }

        JsonNode second = restore(request);
        assertThat(second.path("ok").asBoolean()).as(second.toString()).isTrue();
        JsonNode account = table(second, "account");
        assertThat(account.path("created").asInt()).as("rows the first attempt created count as created").isEqualTo(accounts);
        assertThat(account.path("createdBefore").asInt()).isEqualTo(accounts - 10);
        assertThat(account.path("exists").asInt()).isZero();
        JsonNode resumed = second.path("resumed");
        assertThat(resumed.path("previousAttempt").path("restoreId").asText()).isEqualTo(first.path("restoreId").asText());
        assertThat(resumed.path("rowsCreatedBefore").asInt()).isEqualTo(accounts - 10);
        assertSameParentsAsTheSource();
        assertThat(workFolder()).as("a clean finish removes the restore's folder, journal included").isEmptyDirectory();
    }

    @Test
    void rowsSomeoneElseCreatedBetweenTheAttemptsStillExist() throws Exception {
        targetWithoutAccounts(Map.of("restore.batch-size", "10", "restore.parallelism", "1"));
        target.faults().failNextWrites(MAX_ATTEMPTS, 503);
        Map<String, Object> request = Map.of(RestoreHeaders.TABLES, "account", RestoreHeaders.MODE, "create");
        JsonNode first = restore(request);
        assertThat(first.path("ok").asBoolean()).isFalse();
        List<UUID> notRestored = source.state().ids("account").stream()
                .filter(id -> target.state().row("account", id).isEmpty()).toList();
        assertThat(notRestored).hasSize(10);
        for (UUID id : notRestored.subList(0, 3)) {
            ObjectNode row = source.state().row("account", id).orElseThrow();
            row.put("name", "Created by someone else");
            target.state().putRow("account", row);
        }

        JsonNode second = restore(request);
        JsonNode account = table(second, "account");
        assertThat(account.path("exists").asInt()).as(account.toString()).isEqualTo(3);
        assertThat(account.path("created").asInt()).isEqualTo(accounts - 3);
        assertThat(account.path("createdBefore").asInt()).isEqualTo(accounts - 10);
        for (UUID id : notRestored.subList(0, 3)) {
            assertThat(target.state().row("account", id).orElseThrow().path("name").asText()).isEqualTo("Created by someone else");
        }
    }

    @Test
    void aRequestFileThatFailedDroppedAgainResumes() throws Exception {
        Path inbox = dir.resolve("inbox-" + UUID.randomUUID());
        targetWithoutAccounts(Map.of("restore.batch-size", "10", "restore.parallelism", "1", "restore.inbox-enabled", "true",
                "restore.inbox", inbox.toString(), "restore.inbox-poll-delay", "100", "restore.inbox-read-lock-interval", "300",
                "restore.allowed-snapshot-roots", "file:" + snapshot.getParent()));
        target.faults().failNextWrites(MAX_ATTEMPTS, 503);
        String request = "{\"snapshot\": \"" + snapshot.toString().replace("\\", "/") + "\", \"tables\": [\"account\"],"
                + " \"mode\": \"create\"}";
        drop(inbox, "accounts.json", request);
        JsonNode first = result(inbox, ".error", 1);
        assertThat(first.path("ok").asBoolean()).isFalse();
        assertThat(Path.of(first.path("journal").asText())).isDirectory();

        drop(inbox, "accounts.json", request);
        JsonNode second = result(inbox, ".done", 1);
        assertThat(second.path("ok").asBoolean()).as(second.toString()).isTrue();
        assertThat(table(second, "account").path("created").asInt()).isEqualTo(accounts);
        assertThat(table(second, "account").path("exists").asInt()).isZero();
        assertThat(second.path("resumed").path("rowsCreatedBefore").asInt()).isEqualTo(accounts - 10);
        assertSameParentsAsTheSource();
        // the inbox writes its report before the exchange completes; the journal goes when it has
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(workFolder()).isEmptyDirectory());
    }

    @Test
    void theSameRestoreCannotRunTwiceAtOnce() throws Exception {
        targetWithoutAccounts(Map.of("restore.batch-size", "5", "restore.parallelism", "1"));
        target.faults().requestLatency(Duration.ofMillis(150));
        Map<String, Object> request = Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString(), RestoreHeaders.TABLES, "account",
                RestoreHeaders.MODE, "create");
        CompletableFuture<Exchange> first = CompletableFuture.supplyAsync(() -> RestoreEmulator.restore(targetApp, request));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> target.state().count("account") > 0);

        Exchange second = RestoreEmulator.restore(targetApp, request);
        ConfigurationException refused = org.apache.camel.util.ObjectHelper.getException(ConfigurationException.class,
                second.getException());
        assertThat(refused).as(String.valueOf(second.getException())).isNotNull();
        assertThat(refused.getMessage()).contains("already running");

        Exchange done = first.get();
        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(RestoreHeaders.OK, Boolean.class)).isTrue();
        assertThat(target.state().count("account")).isEqualTo(accounts);
    }

    // ------------------------------------------------------------------ helpers

    private Path workFolder() {
        return targetFolder.resolve("restore-work");
    }

    private void startTarget(Map<String, String> settings) {
        target = RestoreEmulator.emptied(SPEC);
        targetFolder = dir.resolve("target-" + UUID.randomUUID());
        Map<String, String> all = new HashMap<>(Map.of("dataverse.max-attempts", Integer.toString(MAX_ATTEMPTS)));
        all.putAll(settings);
        targetApp = RestoreEmulator.app(target, targetFolder, all);
    }

    /** A target holding the whole snapshot but its accounts: contacts and projects point to accounts to come. */
    private void targetWithoutAccounts(Map<String, String> settings) throws Exception {
        startTarget(settings);
        assertThat(restore(Map.of()).path("ok").asBoolean()).isTrue();
        source.state().ids("account").forEach(id -> assertThat(target.state().deleteRow("account", id)).isTrue());
    }

    private void restoredTargetWithoutLinks() throws Exception {
        startTarget(Map.of("restore.use-batch", "false", "restore.parallelism", "1", "restore.batch-size", "1000"));
        assertThat(restore(Map.of()).path("ok").asBoolean()).isTrue();
        target.state().ids("dvb_project_contact").forEach(id -> target.state().deleteRow("dvb_project_contact", id));
        assertThat(target.state().count("dvb_project_contact")).isZero();
    }

    private JsonNode restore(Map<String, Object> headers) throws Exception {
        Map<String, Object> all = new HashMap<>(headers);
        all.putIfAbsent(RestoreHeaders.SNAPSHOT, snapshot.toString());
        return RestoreEmulator.report(targetApp, all);
    }

    private static JsonNode table(JsonNode report, String name) {
        return RestoreEmulator.table(report, name);
    }

    private void assertSameParentsAsTheSource() {
        for (UUID id : source.state().ids("account")) {
            ObjectNode expected = source.state().row("account", id).orElseThrow();
            ObjectNode restored = target.state().row("account", id).orElseThrow();
            assertThat(restored.path("_parentaccountid_value").asText()).as("parent of account " + id)
                    .isEqualTo(expected.path("_parentaccountid_value").asText());
            assertThat(restored.path("statecode").asText()).as("state of account " + id)
                    .isEqualTo(expected.path("statecode").asText());
        }
    }

    private static void drop(Path inbox, String name, String json) throws Exception {
        Files.createDirectories(inbox);
        // a report is written before its request leaves the inbox: drop a file of the same name once it has left
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(inbox.resolve(name)));
        Path temp = inbox.resolve("." + name + ".tmp");
        Files.writeString(temp, json);
        Files.move(temp, inbox.resolve(name));
    }

    /** The {@code count}-th report in .done/ or .error/ of the inbox, once it is there. */
    private static JsonNode result(Path inbox, String folder, int count) throws Exception {
        Path results = inbox.resolve(folder);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(results) && reports(results).size() >= count);
        return SnapshotJson.MAPPER.readTree(Files.readString(reports(results).get(count - 1)));
    }

    private static List<Path> reports(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".result.json")).sorted().toList();
        }
    }

    // ------------------------------------------------------------------ the command

    private record Command(int exit, String out, String err) {
        JsonNode report() throws Exception {
            List<String> lines = out.strip().lines().toList();
            return SnapshotJson.MAPPER.readTree(Files.readString(Path.of(lines.get(lines.size() - 1))));
        }
    }

    /** The command line, configured like the target's application (system properties), its output captured. */
    /** More settings of the commands a test runs. */
    private final Map<String, String> commandSettings = new HashMap<>();

    private Command command(String... args) {
        Map<String, String> settings = new HashMap<>();
        settings.put("dataverse.url", target.environmentUrl());
        settings.put("auth.mode", "client-secret");
        settings.put("auth.tenant-id", EmulatorIdentities.TENANT_ID);
        settings.put("auth.authority", target.authority());
        settings.put("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        settings.put("auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
        settings.put("auth.token-cache", targetFolder.resolve("command-token-cache.json").toString());
        settings.put("restore.report-dir", targetFolder.resolve("reports").toString());
        settings.put("restore.work-dir", workFolder().toString());
        settings.put("dataverse.max-attempts", Integer.toString(MAX_ATTEMPTS));
        settings.putAll(commandSettings);
        Map<String, String> saved = new HashMap<>();
        settings.forEach((k, v) -> {
            saved.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = DataverseBackupCommand.execute(args);
            return new Command(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
