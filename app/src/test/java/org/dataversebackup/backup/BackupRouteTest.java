package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.EmulatorRole;
import org.dataversebackup.emulator.EmulatorUser;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.dataversebackup.testsupport.SnapshotFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** direct:backup against the emulator, to a folder: what the snapshot holds is what Dataverse holds. */
class BackupRouteTest {
    private static EmulatorEnvironment environment;

    @TempDir
    Path target;

    @BeforeAll
    static void startEmulator() {
        // no projects: dvb_project and its intersect table are empty
        environment = EmulatorEnvironment.start(DataSetSpec.builder().accounts(23).contactsPerAccount(2).projects(0).build());
    }

    @AfterAll
    static void stopEmulator() {
        environment.close();
    }

    @AfterEach
    void clearFaults() {
        environment.emulator().faults().clear();
    }

    private CamelApplication app(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("backup.target", "file:" + target,
                "backup.page-size", "7", "backup.chunk-records", "10"));
        settings.putAll(extra);
        return environment.startApplication(settings);
    }

    private static void assertSameValue(JsonNode actual, JsonNode expected, String what) {
        if (expected.isNumber()) {
            assertThat(actual.isNumber()).as(what).isTrue();
            assertThat(actual.decimalValue()).as(what).isEqualByComparingTo(expected.decimalValue());
        } else {
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }

    private static Throwable findCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + e);
    }

    private static Exchange backup(CamelApplication app, String tables) {
        return app.template().request("dataverse:backup", e -> {
            if (tables != null) {
                e.getIn().setHeader(BackupHeaders.TABLES, tables);
            }
        });
    }

    @Test
    void everyRecordOfEveryTableIsInTheSnapshotAsDataverseHoldsIt() throws Exception {
        try (CamelApplication app = app(Map.of())) {
            Exchange result = backup(app, null);
            assertThat(result.getException()).isNull();
            String location = result.getMessage().getHeader(BackupHeaders.LOCATION, String.class);
            assertThat(location).startsWith(target.resolve("emulator").toString()).endsWith("-full");

            SnapshotStore snapshot = SnapshotStore.of(SnapshotTarget.parse(location), () -> null);
            SnapshotManifest manifest = SnapshotFiles.manifest(snapshot);
            assertThat(manifest.formatVersion()).isEqualTo(1);
            assertThat(manifest.source().organizationId()).isEqualTo(EmulatorIdentities.ORGANIZATION_ID);
            assertThat(manifest.source().dataverseUrl()).isEqualTo(environment.emulator().environmentUrl());
            assertThat(manifest.tables()).extracting(SnapshotManifest.Table::logicalName)
                    .contains("account", "contact", "dvb_project", "dvb_project_contact", "systemuser", "team");

            for (SnapshotManifest.Table table : manifest.tables()) {
                List<JsonNode> records = SnapshotFiles.records(snapshot, table);
                int expected = environment.emulator().state().count(table.logicalName());
                assertThat(records).as(table.logicalName()).hasSize(expected);
                assertThat(table.records()).isEqualTo(expected);
                assertThat(table.parts()).hasSize((expected + 9) / 10);
                Set<String> ids = new HashSet<>();
                for (JsonNode record : records) {
                    String id = record.path(table.primaryIdAttribute()).asText();
                    assertThat(ids.add(id)).as("%s %s appears once", table.logicalName(), id).isTrue();
                    JsonNode live = environment.emulator().state().row(table.logicalName(), UUID.fromString(id)).orElseThrow();
                    live.fields().forEachRemaining(field -> {
                        if (record.has(field.getKey() + SnapshotManifest.FileEntry.RECORD_MARKER)) {
                            // a note's attachment body is a file of its own: the record says where, the manifest has its hash
                            String path = SnapshotManifest.FileEntry.relativePath(table.logicalName(), id, field.getKey());
                            assertThat(record.get(field.getKey()).isNull()).isTrue();
                            assertThat(record.get(field.getKey() + SnapshotManifest.FileEntry.RECORD_MARKER).asText()).isEqualTo(path);
                            assertThat(manifest.fileEntries()).filteredOn(f -> path.equals(f.path()))
                                    .singleElement().extracting(SnapshotManifest.FileEntry::contentSha256)
                                    .isEqualTo(org.dataversebackup.snapshot.Sha256.hex(
                                            java.util.Base64.getDecoder().decode(field.getValue().asText())));
                        } else if (!field.getKey().contains("@") || field.getKey().equals("@odata.etag")) {
                            assertSameValue(record.get(field.getKey()), field.getValue(),
                                    table.logicalName() + " " + id + " " + field.getKey());
                        }
                    });
                    assertThat(record.has("@odata.context")).isFalse();
                }
                JsonNode schema = SnapshotFiles.schema(snapshot, table);
                assertThat(schema.path("LogicalName").asText()).isEqualTo(table.logicalName());
                assertThat(schema.path("Attributes").size()).isPositive();
            }
            assertThat(new SnapshotVerifier(snapshot).verify().problems()).isEmpty();
            try (Stream<Path> files = Files.walk(target)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith(".writing-"))).isEmpty();
            }
        }
    }

    @Test
    void polymorphicLookupsKeepTheirTargetTableAndLookupsTheirTargets() throws Exception {
        try (CamelApplication app = app(Map.of())) {
            Exchange result = backup(app, "contact");
            assertThat(result.getException()).isNull();
            SnapshotStore snapshot = SnapshotStore.of(SnapshotTarget.parse(
                    result.getMessage().getHeader(BackupHeaders.LOCATION, String.class)), () -> null);
            SnapshotManifest.Table contacts = SnapshotFiles.manifest(snapshot).tables().get(0);
            List<JsonNode> records = SnapshotFiles.records(snapshot, contacts);
            assertThat(records).anySatisfy(r -> assertThat(r.path("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname")
                    .asText()).isIn("account", "contact"));
            assertThat(records).allSatisfy(r -> assertThat(r.has("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname")).isTrue());
            JsonNode parentCustomer = null;
            for (JsonNode attribute : SnapshotFiles.schema(snapshot, contacts).path("Attributes")) {
                if (attribute.path("LogicalName").asText().equals("parentcustomerid")) {
                    parentCustomer = attribute;
                }
            }
            assertThat(parentCustomer).isNotNull();
            assertThat(parentCustomer.path("Targets")).extracting(JsonNode::asText).containsExactlyInAnyOrder("account", "contact");
        }
    }

    @Test
    void anEmptyTableHasAManifestEntryAndNoParts() throws Exception {
        try (CamelApplication app = app(Map.of())) {
            Exchange result = backup(app, "dvb_project");
            assertThat(result.getException()).isNull();
            SnapshotStore snapshot = SnapshotStore.of(SnapshotTarget.parse(
                    result.getMessage().getHeader(BackupHeaders.LOCATION, String.class)), () -> null);
            SnapshotManifest.Table table = SnapshotFiles.manifest(snapshot).tables().get(0);
            assertThat(table.logicalName()).isEqualTo("dvb_project");
            assertThat(table.records()).isZero();
            assertThat(table.parts()).isEmpty();
        }
    }

    @Test
    void a429StormAnd5xxAreWaitedOutWithoutLosingOrRepeatingRecords() throws Exception {
        try (CamelApplication app = app(Map.of())) {
            environment.emulator().faults().throttleNext(4, Duration.ofSeconds(1)).failNext(3, 503, "contacts");
            Exchange result = backup(app, "account,contact");
            assertThat(result.getException()).isNull();
            assertThat(environment.emulator().faults().injectedCount()).isGreaterThanOrEqualTo(7);
            SnapshotStore snapshot = SnapshotStore.of(SnapshotTarget.parse(
                    result.getMessage().getHeader(BackupHeaders.LOCATION, String.class)), () -> null);
            for (SnapshotManifest.Table table : SnapshotFiles.manifest(snapshot).tables()) {
                List<JsonNode> records = SnapshotFiles.records(snapshot, table);
                assertThat(records).hasSize(environment.emulator().state().count(table.logicalName()));
                assertThat(records.stream().map(r -> r.path(table.primaryIdAttribute()).asText()).distinct())
                        .hasSize(records.size());
            }
        }
    }

    @Test
    void aTableTheAccountMayNotReadFailsTheSnapshotNamingTableAndReason() throws Exception {
        EmulatorRole role = environment.emulator().state().addRole(
                EmulatorRole.named("everything but contacts").grantAll().revoke("prvReadContact"));
        environment.emulator().state().addUser(EmulatorUser.named("nocontactread@" + EmulatorIdentities.DOMAIN)
                .password(EmulatorIdentities.USER_PASSWORD).accessMode(0).role(role.id()));
        // the preflight check would stop this backup before reading (see check/BackupPreflightTest); off here, to
        // test a read refused during the backup (e.g. a role changed meanwhile)
        Map<String, String> asThatUser = Map.of("auth.mode", "password",
                "auth.username", "nocontactread@" + EmulatorIdentities.DOMAIN, "auth.password", EmulatorIdentities.USER_PASSWORD,
                "preflight.enabled", "false");
        try (CamelApplication app = app(asThatUser)) {
            Exchange result = backup(app, "account,contact");
            assertThat(result.getException()).isNotNull();
            assertThat(result.getException()).rootCause().isInstanceOf(org.dataversebackup.dataverse.DataverseException.class);
            TableBackupException failure = (TableBackupException) findCause(result.getException(), TableBackupException.class);
            assertThat(failure.table()).isEqualTo("contact");
            assertThat(failure.getMessage()).contains("'contact'", "403", "0x80040220").containsIgnoringCase("prvReadContact");
        }
        try (Stream<Path> files = Files.walk(target)) {
            assertThat(files.filter(f -> f.getFileName().toString().equals("manifest.json"))).as("no manifest").isEmpty();
        }
    }

    @Test
    void anEmptyTableSelectionIsAnErrorNotEveryTable() throws Exception {
        try (CamelApplication app = app(Map.of())) {
            for (String blank : List.of("", " ", ",,")) {
                Exchange result = backup(app, blank);
                assertThat(result.getException()).as("'" + blank + "'").isNotNull();
                assertThat(findCause(result.getException(), org.dataversebackup.config.ConfigurationException.class))
                        .hasMessageContaining("DataverseBackupTables is empty");
            }
        }
        try (Stream<Path> files = Files.walk(target)) {
            assertThat(files.filter(f -> f.getFileName().toString().equals("manifest.json"))).as("no snapshot").isEmpty();
        }
    }
}
