package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Incremental snapshots through change tracking, and point-in-time restores of each snapshot of a
 * chain: full, then changes (rows created, changed and deleted), then two incrementals. Restoring
 * a snapshot into an empty emulator gives exactly the source at that moment: compared row by row,
 * column by column, with a full backup of the source taken at the same moment.
 */
class IncrementalBackupTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(16, 2, 5);
    static final List<String> TABLES = RestoreEmulator.DATA_TABLES;

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static CamelApplication chainApp;
    static CamelApplication referenceApp;
    /** The snapshots of the chain and, for each, a full backup of the source at the same moment. */
    static Path full;
    static Path first;
    static Path second;
    static Path atFull;
    static Path atFirst;
    static Path atSecond;
    static UUID unreferencedAccount;
    static List<UUID> updatedAccounts;
    static UUID[] newContacts = new UUID[2];
    static int linksAtFirst;

    @BeforeAll
    static void backUpAChain() {
        source = RestoreEmulator.generated(SPEC);
        // small pages and parts: the changes span several pages, deletions included
        Map<String, String> small = Map.of("backup.page-size", "3", "backup.chunk-records", "4");
        chainApp = RestoreEmulator.app(source, dir.resolve("chain"), small);
        Map<String, String> reference = new HashMap<>(small);
        reference.put("backup.target", "file:" + dir.resolve("reference"));
        referenceApp = RestoreEmulator.app(source, dir.resolve("reference-app"), reference);

        unreferencedAccount = UUID.randomUUID();
        source.state().putRow("account", copy("account", source.state().ids("account").get(0), unreferencedAccount,
                "name", "Deleted before the second incremental"));
        full = backup(chainApp, "full");
        atFull = backup(referenceApp, "full");

        // changes: three accounts renamed, two contacts created
        updatedAccounts = source.state().ids("account").subList(1, 4);
        for (UUID id : updatedAccounts) {
            ObjectNode row = source.state().row("account", id).orElseThrow();
            row.put("name", row.path("name").asText() + " (renamed)");
            source.state().putRow("account", row);
        }
        for (int i = 0; i < 2; i++) {
            newContacts[i] = UUID.randomUUID();
            source.state().putRow("contact", copy("contact", source.state().ids("contact").get(0), newContacts[i],
                    "lastname", "Created between the snapshots " + i));
        }
        // an N:N link added: a new contact joins a project
        ObjectNode link = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        link.put("dvb_project_contactid", UUID.randomUUID().toString());
        link.put("dvb_projectid", source.state().ids("dvb_project").get(0).toString());
        link.put("contactid", newContacts[1].toString());
        source.state().putRow("dvb_project_contact", link);
        first = backup(chainApp, "incremental");
        atFirst = backup(referenceApp, "full");
        linksAtFirst = source.state().count("dvb_project_contact");

        // more changes: the unreferenced account and a new contact deleted, the other new contact changed
        source.state().deleteRow("account", unreferencedAccount);
        source.state().deleteRow("contact", newContacts[0]);
        // an N:N link removed
        source.state().deleteRow("dvb_project_contact", source.state().ids("dvb_project_contact").get(0));
        ObjectNode changed = source.state().row("contact", newContacts[1]).orElseThrow();
        changed.put("lastname", "Changed after the first incremental");
        source.state().putRow("contact", changed);
        second = backup(chainApp, "incremental");
        atSecond = backup(referenceApp, "full");
    }

    @AfterAll
    static void stop() {
        chainApp.close();
        referenceApp.close();
        source.close();
    }

    /** A row like an existing one, with another id, without lookups to other rows, and one column changed. */
    private static ObjectNode copy(String table, UUID like, UUID id, String column, String value) {
        ObjectNode row = source.state().row(table, like).orElseThrow().deepCopy();
        row.put(table + "id", id.toString());
        row.put(column, value);
        if (row.has("accountnumber")) {
            row.put("accountnumber", "X-" + id.toString().substring(0, 8)); // an alternate key: unique
        }
        List<String> lookups = new java.util.ArrayList<>();
        row.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("_") && name.endsWith("_value") && !name.contains("owner") && !name.contains("currency")
                    && !name.contains("businessunit") && !name.contains("createdby") && !name.contains("modifiedby")) {
                lookups.add(name);
            }
        });
        lookups.forEach(row::putNull);
        return row;
    }

    private static Path backup(CamelApplication app, String kind) {
        return Path.of(location(app, kind));
    }

    private static JsonNode manifest(Path snapshot) throws Exception {
        return SnapshotJson.MAPPER.readTree(snapshot.resolve("manifest.json").toFile());
    }

    private static JsonNode table(JsonNode manifest, String name) {
        for (JsonNode table : manifest.path("tables")) {
            if (table.path("logicalName").asText().equals(name)) {
                return table;
            }
        }
        throw new AssertionError("no table " + name + " in " + manifest);
    }

    @Test
    void theFullSnapshotKeepsEachTablesDeltaTokenAndTheIncrementalsHoldOnlyTheChanges() throws Exception {
        JsonNode fullManifest = manifest(full);
        assertThat(fullManifest.path("kind").asText()).isEqualTo("full");
        assertThat(table(fullManifest, "account").path("deltaToken").asText()).isNotBlank();
        assertThat(table(fullManifest, "dvb_project_contact").has("deltaToken")).as("no change tracking").isFalse();

        JsonNode one = manifest(first);
        assertThat(first.getFileName().toString()).endsWith("-incr");
        assertThat(one.path("formatVersion").asInt()).isEqualTo(2);
        assertThat(one.path("kind").asText()).isEqualTo("incremental");
        assertThat(one.path("parent").asText()).isEqualTo(full.getFileName().toString());
        assertThat(one.path("chainFull").asText()).isEqualTo(full.getFileName().toString());
        JsonNode accounts = table(one, "account");
        assertThat(accounts.path("copy").asText()).isEqualTo("changes");
        assertThat(accounts.path("records").asInt()).isEqualTo(updatedAccounts.size());
        assertThat(accounts.path("deleted").asInt()).isZero();
        assertThat(accounts.path("deltaTokenUsed").asText()).isEqualTo(table(fullManifest, "account").path("deltaToken").asText());
        assertThat(accounts.path("deltaToken").asText()).isNotBlank().isNotEqualTo(accounts.path("deltaTokenUsed").asText());
        assertThat(table(one, "contact").path("records").asInt()).isEqualTo(2);
        assertThat(table(one, "dvb_project").path("records").asInt()).isZero();
        JsonNode links = table(one, "dvb_project_contact");
        assertThat(links.path("copy").asText()).isEqualTo("full");
        assertThat(links.path("copyReason").asText()).contains("change tracking is not enabled");
        assertThat(links.path("records").asInt()).isEqualTo(linksAtFirst);

        JsonNode two = manifest(second);
        assertThat(two.path("parent").asText()).isEqualTo(first.getFileName().toString());
        assertThat(two.path("chainFull").asText()).isEqualTo(full.getFileName().toString());
        assertThat(table(two, "account").path("records").asInt()).isZero();
        assertThat(table(two, "account").path("deleted").asInt()).isEqualTo(1);
        assertThat(table(two, "contact").path("records").asInt()).isEqualTo(1);
        assertThat(table(two, "contact").path("deleted").asInt()).isEqualTo(1);
        assertThat(table(two, "account").path("deletedParts").get(0).path("path").asText())
                .isEqualTo("deleted/account/part-00001.ndjson.gz");

        for (Path snapshot : List.of(full, first, second)) {
            SnapshotVerifier.Report report = new SnapshotVerifier(SnapshotStore.of(SnapshotTarget.parse(snapshot.toString()),
                    () -> null)).verify();
            assertThat(report.problems()).as(snapshot.toString()).isEmpty();
            assertThat(report.unlisted()).as(snapshot.toString()).isEmpty();
        }
    }

    @Test
    void restoringEachSnapshotOfTheChainGivesTheSourceAtThatMoment() throws Exception {
        assertThat(restoredAndBackedUpAgain(full, atFull)).isEmpty();
        assertThat(restoredAndBackedUpAgain(first, atFirst)).isEmpty();
        assertThat(restoredAndBackedUpAgain(second, atSecond)).isEmpty();
    }

    /** Restores the snapshot into an empty emulator, backs that up and compares it with the reference. */
    private List<String> restoredAndBackedUpAgain(Path snapshot, Path reference) throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("target-" + UUID.randomUUID()),
                        Map.of("restore.allowed-snapshot-roots", "file:" + dir))) {
            JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString()));
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            Path again = Path.of(RestoreEmulator.backup(app, String.join(",", TABLES)));
            return SnapshotComparison.differences(reference, again, TABLES, dir.resolve("compare-" + UUID.randomUUID()));
        }
    }

    /**
     * Back to the first incremental's moment in a target that holds the source as it is now (after the
     * second incremental): with deletes, the rows that did not exist then go; a dry run lists them first.
     */
    @Test
    void aPointInTimeRestoreWithDeletesRemovesTheRowsThatDidNotExistThen() throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication app = RestoreEmulator.app(target, dir.resolve("deletes-" + UUID.randomUUID()),
                        Map.of("restore.allowed-snapshot-roots", "file:" + dir))) {
            JsonNode now = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, second.toString()));
            assertThat(now.path("ok").asBoolean()).as(now.toString()).isTrue();
            UUID createdAfterTheFull = newContacts[1];
            // full snapshot's moment: the two contacts created later are not there
            Map<String, Object> request = new HashMap<>(Map.of(RestoreHeaders.SNAPSHOT, full.toString(), RestoreHeaders.DELETES, true));
            request.put(RestoreHeaders.DRY_RUN, true);
            JsonNode plan = RestoreEmulator.report(app, request);
            assertThat(RestoreEmulator.table(plan, "contact").path("toDelete").asInt()).isEqualTo(1);
            assertThat(plan.path("totals").path("toDelete").asInt()).isEqualTo(1);
            assertThat(java.nio.file.Files.readString(Path.of(plan.path("deletionsFile").asText())))
                    .contains(createdAfterTheFull.toString()).contains("to-delete");
            assertThat(target.state().row("contact", createdAfterTheFull)).as("a dry run deletes nothing").isPresent();

            request.remove(RestoreHeaders.DRY_RUN);
            JsonNode report = RestoreEmulator.report(app, request);
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.path("totals").path("deleted").asInt()).isEqualTo(1);
            assertThat(target.state().row("contact", createdAfterTheFull)).isEmpty();
            Path again = Path.of(RestoreEmulator.backup(app, String.join(",", TABLES)));
            assertThat(SnapshotComparison.differences(atFull, again, TABLES, dir.resolve("compare-" + UUID.randomUUID())))
                    .isEmpty();

            Map<String, Object> withIds = Map.of(RestoreHeaders.SNAPSHOT, full.toString(), RestoreHeaders.DELETES, true,
                    RestoreHeaders.IDS, createdAfterTheFull.toString());
            Exchange refused = RestoreEmulator.restore(app, withIds);
            assertThat(refused.getException()).hasMessageContaining("whole tables");
        }
    }

    @Test
    void aChainInS3IsTakenAndRestoredFromTheBucket() throws Exception {
        try (org.dataversebackup.testsupport.InProcessS3 s3 = org.dataversebackup.testsupport.InProcessS3.start("backups");
                DataverseEmulator small = RestoreEmulator.generated(DataSetSpec.sized(6, 1, 2))) {
            Map<String, String> settings = new HashMap<>(s3.settings());
            settings.put("backup.target", "s3://backups/chains");
            settings.put("backup.chunk-records", "3");
            String fullLocation;
            String incrementalLocation;
            Path reference;
            UUID renamed = small.state().ids("account").get(0);
            try (CamelApplication app = RestoreEmulator.app(small, dir.resolve("s3-" + UUID.randomUUID()), settings)) {
                fullLocation = location(app, "full");
                ObjectNode row = small.state().row("account", renamed).orElseThrow();
                row.put("name", "Renamed in S3's chain");
                small.state().putRow("account", row);
                incrementalLocation = location(app, "incremental");
            }
            assertThat(incrementalLocation).startsWith("s3://backups/chains/").endsWith("-incr");
            Map<String, String> referenceSettings = Map.of("backup.target", "file:" + dir.resolve("s3-reference"));
            try (CamelApplication app = RestoreEmulator.app(small, dir.resolve("s3-ref-" + UUID.randomUUID()), referenceSettings)) {
                reference = backup(app, "full");
            }
            try (DataverseEmulator target = RestoreEmulator.emptied(DataSetSpec.sized(6, 1, 2));
                    CamelApplication app = RestoreEmulator.app(target, dir.resolve("s3-target-" + UUID.randomUUID()),
                            s3.settings())) {
                JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, incrementalLocation));
                assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
                assertThat(target.state().row("account", renamed).orElseThrow().path("name").asText())
                        .isEqualTo("Renamed in S3's chain");
                Path again = Path.of(RestoreEmulator.backup(app, String.join(",", TABLES)));
                assertThat(SnapshotComparison.differences(reference, again, TABLES, dir.resolve("compare-" + UUID.randomUUID())))
                        .isEmpty();
            }
            assertThat(fullLocation).endsWith("-full");
        }
    }

    private static String location(CamelApplication app, String kind) {
        Exchange result = app.template().request("dataverse:backup", e -> {
            e.getIn().setHeader(BackupHeaders.TABLES, String.join(",", TABLES));
            e.getIn().setHeader(BackupHeaders.KIND, kind);
        });
        if (result.getException() != null) {
            throw new IllegalStateException(kind + " backup failed", result.getException());
        }
        return result.getMessage().getHeader(BackupHeaders.LOCATION, String.class);
    }

    @Test
    void aTableWhoseChangesDataverseRefusesToTrackIsStillBackedUpWithoutAToken() throws Exception {
        try (DataverseEmulator small = RestoreEmulator.generated(DataSetSpec.sized(5, 1, 0));
                CamelApplication app = RestoreEmulator.app(small, dir.resolve("refused-" + UUID.randomUUID()), Map.of())) {
            small.faults().failNext(1, 400, "accounts"); // the first read, with Prefer: odata.track-changes
            JsonNode manifest = manifest(backup(app, "full"));
            JsonNode accounts = table(manifest, "account");
            assertThat(accounts.path("records").asInt()).isEqualTo(small.state().count("account"));
            assertThat(accounts.has("deltaToken")).isFalse();
            assertThat(table(manifest, "contact").path("deltaToken").asText()).isNotBlank();
        }
    }

    /**
     * Change tracking needs organization-wide Read: an account that reads only its own rows gets a
     * full backup (without delta tokens), and an incremental one is refused by the preflight, naming why.
     */
    @Test
    void anAccountWithoutOrganizationWideReadBacksUpWholeAndIsToldWhyNotIncrementally() throws Exception {
        Map<String, String> basicReader = Map.of("auth.mode", "password", "auth.username",
                org.dataversebackup.emulator.EmulatorIdentities.BASIC_READ_USER, "auth.password",
                org.dataversebackup.emulator.EmulatorIdentities.USER_PASSWORD);
        try (DataverseEmulator small = RestoreEmulator.generated(DataSetSpec.sized(5, 1, 0));
                CamelApplication app = RestoreEmulator.app(small, dir.resolve("basic-" + UUID.randomUUID()), basicReader)) {
            JsonNode manifest = manifest(backup(app, "full"));
            assertThat(table(manifest, "account").has("deltaToken")).isFalse();
            assertThat(table(manifest, "contact").has("deltaToken")).isFalse();

            Exchange incremental = app.template().request("dataverse:backup", e -> {
                e.getIn().setHeader(BackupHeaders.TABLES, "account");
                e.getIn().setHeader(BackupHeaders.KIND, "incremental");
            });
            assertThat(incremental.getException()).isInstanceOf(org.dataversebackup.check.PreflightFailedException.class);
            assertThat(((org.dataversebackup.check.PreflightFailedException) incremental.getException()).report().toJson())
                    .contains("change tracking");
        }
    }

    @Test
    void anExpiredDeltaTokenStartsThatTablesChainAgainWithAFullCopy() throws Exception {
        try (DataverseEmulator shortMemory = RestoreEmulator.trusted(DataverseEmulator.builder().port(0)
                .generate(DataSetSpec.sized(6, 1, 2)).changeTrackingRetention(Duration.ofSeconds(1)).start());
                CamelApplication app = RestoreEmulator.app(shortMemory, dir.resolve("expiry"), Map.of())) {
            backup(app, "full");
            Thread.sleep(2_100); // the tokens are kept for one second
            JsonNode incremental = manifest(backup(app, "incremental"));
            JsonNode accounts = table(incremental, "account");
            assertThat(accounts.path("copy").asText()).isEqualTo("full");
            assertThat(accounts.path("copyReason").asText()).contains("has expired");
            assertThat(accounts.path("records").asInt()).isEqualTo(shortMemory.state().count("account"));
            assertThat(accounts.path("deltaToken").asText()).as("a new chain starts").isNotBlank();
        }
    }
}
