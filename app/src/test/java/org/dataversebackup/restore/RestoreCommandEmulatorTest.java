package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.cli.DataverseBackupCommand;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore command against the emulator: what it prints and its exit codes. */
class RestoreCommandEmulatorTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(8, 1, 3);

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static Path snapshot;
    static DataverseEmulator target;
    static final Map<String, String> saved = new HashMap<>();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeAll
    static void snapshotAndTarget() {
        source = RestoreEmulator.generated(SPEC);
        try (CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            snapshot = SnapshotFixture.backup(app, dir.resolve("snapshots"), String.join(",", RestoreEmulator.DATA_TABLES), 100);
        }
        target = RestoreEmulator.emptied(SPEC);
        Map<String, String> properties = Map.of(
                "dataverse.url", target.environmentUrl(),
                "auth.mode", "client-secret",
                "auth.tenant-id", EmulatorIdentities.TENANT_ID,
                "auth.authority", target.authority(),
                "auth.client-id", EmulatorIdentities.APP_CLIENT_ID,
                "auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET,
                "auth.token-cache", dir.resolve("token-cache.json").toString(),
                "restore.report-dir", dir.resolve("reports").toString(),
                "restore.work-dir", dir.resolve("work").toString());
        properties.forEach((k, v) -> {
            saved.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
    }

    @AfterAll
    static void stop() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        target.close();
        source.close();
    }

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDryRunPrintsThePlanAndTheReportFileLast() throws Exception {
        int before = target.state().count("account");
        int exit = DataverseBackupCommand.execute("restore", "--snapshot", snapshot.toString(), "--dry-run");
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.SUCCESS);
        List<String> lines = stdout().strip().lines().toList();
        assertThat(lines.get(0)).startsWith("Plan (dry run) for restore");
        assertThat(stdout()).contains("account").contains("dvb_project_contact (N:N links)").contains("CREATE");
        Path report = Path.of(lines.get(lines.size() - 1));
        assertThat(report).exists();
        assertThat(Files.readString(report)).contains("\"dryRun\" : true");
        assertThat(target.state().count("account")).isEqualTo(before);
    }

    @Test
    void aDryRunWithDetailsListsTheRowsItWouldWriteWithTheirNames() throws Exception {
        int exit = DataverseBackupCommand.execute("restore", "--snapshot", snapshot.toString(), "--dry-run", "--details",
                "--tables", "account");
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.SUCCESS);
        String printed = stdout();
        java.util.UUID first = source.state().ids("account").get(0);
        String name = source.state().row("account", first).orElseThrow().path("name").asText();
        assertThat(printed).contains("ACTION").containsPattern("CREATE +account +" + first + " +" + java.util.regex.Pattern.quote(name));
        List<String> lines = printed.strip().lines().toList();
        com.fasterxml.jackson.databind.JsonNode report = org.dataversebackup.snapshot.SnapshotJson.MAPPER.readTree(
                Files.readString(Path.of(lines.get(lines.size() - 1))));
        assertThat(Files.readAllLines(Path.of(report.path("planFile").asText()))).hasSize(SPEC.accounts())
                .allSatisfy(line -> assertThat(line).contains("\"outcome\":\"to-create\""));
    }

    @Test
    void badUsageExitsTwoAndWritesNothing() {
        assertThat(DataverseBackupCommand.execute("restore", "--snapshot", dir.resolve("nowhere").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist");
        assertThat(DataverseBackupCommand.execute("restore", "--snapshot", snapshot.toString(), "--tables", "nosuchtable"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("has no table nosuchtable");
        assertThat(DataverseBackupCommand.execute("restore", "--snapshot", snapshot.toString(), "--mode", "merge"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(DataverseBackupCommand.execute("restore", "--snapshot", snapshot.toString(), "--ids", "not-a-guid"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(DataverseBackupCommand.execute("restore")).as("--snapshot is required").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anEmptySelectionExitsTwoAndRestoresNothing() throws Exception {
        Path idsFile = dir.resolve("no-ids.txt");
        Files.writeString(idsFile, "# none\n");
        int accounts = target.state().count("account");
        int contacts = target.state().count("contact");
        for (List<String> selection : List.of(List.of("--tables", ""), List.of("--tables", ",,"), List.of("--ids", ","),
                List.of("--ids", ""), List.of("--ids", "@" + idsFile), List.of("--filter", " "))) {
            List<String> args = new java.util.ArrayList<>(List.of("restore", "--snapshot", snapshot.toString()));
            args.addAll(selection);
            assertThat(DataverseBackupCommand.execute(args.toArray(String[]::new))).as(String.join(" ", selection))
                    .isEqualTo(ExitCodes.USAGE);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tables is empty").contains("--ids is empty")
                .contains("The ids file " + idsFile + " is empty").contains("--filter is empty");
        assertThat(target.state().count("account")).isEqualTo(accounts);
        assertThat(target.state().count("contact")).isEqualTo(contacts);
    }

    @Test
    void idsFromAnAtFileAreReadByTheCommandNotExpandedAsArguments() throws Exception {
        var store = org.dataversebackup.snapshot.SnapshotStore.of(
                org.dataversebackup.snapshot.SnapshotTarget.parse(snapshot.toString()), () -> null);
        var accounts = org.dataversebackup.testsupport.SnapshotFiles.manifest(store).tables().stream()
                .filter(t -> t.logicalName().equals("account")).findFirst().orElseThrow();
        String id = org.dataversebackup.testsupport.SnapshotFiles.records(store, accounts).get(0).path("accountid").asText();
        Path idsFile = dir.resolve("one-id.txt");
        Files.writeString(idsFile, "# one account\n" + id + "\n");
        int exit = DataverseBackupCommand.execute("restore", "--snapshot", snapshot.toString(), "--tables", "account",
                "--ids", "@" + idsFile, "--dry-run");
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.SUCCESS);
        assertThat(stdout()).containsPattern("account\\s+1\\s");
    }

    @Test
    void aSchemaOfAnotherTableIsFoundByVerifyAndRefusedByRestore() throws Exception {
        Path swapped = SnapshotFixture.copy(snapshot, dir.resolve("swapped-" + UUID.randomUUID()));
        byte[] contactSchema = Files.readAllBytes(swapped.resolve("schema/contact.json"));
        SnapshotFixture.replaceSchema(swapped, "account", contactSchema, true);
        int accounts = target.state().count("account");

        assertThat(DataverseBackupCommand.execute("verify", "--snapshot", swapped.toString())).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(stdout()).contains("schema/account.json").contains("is the schema of table 'contact', not of 'account'");

        int exit = DataverseBackupCommand.execute("restore", "--snapshot", swapped.toString(), "--tables", "account");
        assertThat(exit).isNotEqualTo(ExitCodes.SUCCESS);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("schema/account.json")
                .contains("is the schema of table 'contact'").contains("not restored");
        assertThat(target.state().count("account")).isEqualTo(accounts);
    }

    @Test
    void aChangedSchemaIsFoundByItsSha256() throws Exception {
        Path changed = SnapshotFixture.copy(snapshot, dir.resolve("changed-" + UUID.randomUUID()));
        String schema = Files.readString(changed.resolve("schema/account.json"));
        SnapshotFixture.replaceSchema(changed, "account", (schema + " ").getBytes(StandardCharsets.UTF_8), false);
        assertThat(DataverseBackupCommand.execute("verify", "--snapshot", changed.toString())).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(stdout()).contains("schema/account.json").contains("SHA-256").contains("the manifest says");
        assertThat(DataverseBackupCommand.execute("restore", "--snapshot", changed.toString(), "--dry-run"))
                .isNotEqualTo(ExitCodes.SUCCESS);
    }

    @Test
    void aRestoreThatWritesNoneOfTheSelectedRowsWarnsNamingTheTable() throws Exception {
        var store = org.dataversebackup.snapshot.SnapshotStore.of(
                org.dataversebackup.snapshot.SnapshotTarget.parse(snapshot.toString()), () -> null);
        var accounts = org.dataversebackup.testsupport.SnapshotFiles.manifest(store).tables().stream()
                .filter(t -> t.logicalName().equals("account")).findFirst().orElseThrow();
        String id = org.dataversebackup.testsupport.SnapshotFiles.records(store, accounts).get(1).path("accountid").asText();
        String absent = "0badc0de-0000-4000-8000-000000000001";
        // a target of its own, holding the whole snapshot (the other tests expect theirs empty)
        try (DataverseEmulator own = RestoreEmulator.emptied(SPEC)) {
            System.setProperty("dataverse.url", own.environmentUrl());
            System.setProperty("auth.authority", own.authority());
            assertThat(DataverseBackupCommand.execute("restore", "--snapshot", snapshot.toString()))
                    .as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.SUCCESS);
            out.reset();

            String[] args = {"restore", "--snapshot", snapshot.toString(), "--tables", "account", "--ids", id + "," + absent};
            assertThat(DataverseBackupCommand.execute(args)).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.SUCCESS);
            assertThat(stdout()).contains("Warning: account: 1 selected row in the snapshot, none written (1 already as in the"
                    + " snapshot)").contains("Warning: 1 of the 2 ids asked for is in no restored table of the snapshot: " + absent);
            Path report = Path.of(stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
            assertThat(Files.readString(report)).contains("\"warnings\"").contains("none written");
        } finally {
            System.setProperty("dataverse.url", target.environmentUrl());
            System.setProperty("auth.authority", target.authority());
        }
    }

    @Test
    void anotherEnvironmentWithoutPermissionExitsTwo() {
        Path other = SnapshotFixture.copy(snapshot, dir.resolve("other-" + UUID.randomUUID()));
        SnapshotFixture.fromOrganization(other, "11111111-2222-4333-8444-555555555555");
        assertThat(DataverseBackupCommand.execute("restore", "--snapshot", other.toString(), "--dry-run")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--allow-other-environment");
        assertThat(DataverseBackupCommand.execute("restore", "--snapshot", other.toString(), "--dry-run",
                "--allow-other-environment")).isEqualTo(ExitCodes.SUCCESS);
    }

    @Test
    void aRejectedRecordExitsOneAndTheRestIsRestored() {
        Path broken = SnapshotFixture.copy(snapshot, dir.resolve("broken-" + UUID.randomUUID()));
        SnapshotFixture.tamper(broken, "contact", r -> true, r -> r.put("_transactioncurrencyid_value", "99999999-8888-4777-8666-555555555555"));
        int exit = DataverseBackupCommand.execute("restore", "--snapshot", broken.toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(stdout()).contains("Failures and rows not written:");
        assertThat(target.state().count("account")).isEqualTo(source.state().count("account"));
        assertThat(target.state().count("contact")).isEqualTo(source.state().count("contact") - 1);
    }
}
