package org.dataversebackup.restore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.EmulatorState;

/**
 * Emulators and the application wired to them, for the restore tests: the project's routes and
 * configuration, the emulator's application user (client secret), the JVM trust store pointing at
 * the emulators' certificate.
 */
final class RestoreEmulator {
    /** Business tables of the generated data set (rows and links), in restore order. */
    static final List<String> DATA_TABLES = List.of("activityparty", "email", "account", "contact", "dvb_project",
            "dvb_project_contact");

    private RestoreEmulator() {
    }

    static DataverseEmulator generated(DataSetSpec spec) {
        return trusted(DataverseEmulator.builder().port(0).generate(spec).start());
    }

    /** The same users, teams, business units and currencies as the generated data set, and no business rows (nor notes). */
    static DataverseEmulator emptied(DataSetSpec spec) {
        EmulatorState state = EmulatorState.generate(spec);
        // the generated notes hang on the accounts and contacts (Dataverse deletes them with their record)
        for (UUID id : state.ids("annotation")) {
            state.deleteRow("annotation", id);
        }
        for (String table : DATA_TABLES) {
            for (UUID id : state.ids(table)) {
                state.deleteRow(table, id);
            }
        }
        return trusted(DataverseEmulator.builder().port(0).state(state).start());
    }

    private static Path trustStore;

    /**
     * Points the JVM trust store at the emulators' certificate (one per JVM, shared by every
     * emulator), copied once to a file of its own so it outlives the emulator it came from.
     */
    static synchronized DataverseEmulator trusted(DataverseEmulator emulator) {
        try {
            if (trustStore == null) {
                trustStore = java.nio.file.Files.createTempFile("restore-tests-truststore-", ".p12");
                trustStore.toFile().deleteOnExit();
                java.nio.file.Files.copy(emulator.trustStore(), trustStore, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", emulator.trustStorePassword());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        return emulator;
    }

    /** The application (project routes and config) against an emulator. */
    static CamelApplication app(DataverseEmulator emulator, Path dir, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>();
        properties.put("dataverse.url", emulator.environmentUrl());
        properties.put("auth.mode", "client-secret");
        properties.put("auth.tenant-id", EmulatorIdentities.TENANT_ID);
        properties.put("auth.authority", emulator.authority());
        properties.put("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        properties.put("auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
        properties.put("auth.token-cache", dir.resolve("token-cache.json").toString());
        properties.put("backup.target", "file:" + dir.resolve("backups"));
        properties.put("backup.work-dir", dir.resolve("backup-work").toString());
        properties.put("restore.work-dir", dir.resolve("restore-work").toString());
        properties.put("restore.report-dir", dir.resolve("reports").toString());
        properties.put("restore.inbox", dir.resolve("inbox").toString());
        properties.put("restore.inbox-enabled", "false");
        properties.putAll(extra);
        AppLocations locations = AppLocations.resolve(null, null, null, Path.of("").toAbsolutePath());
        return CamelApplication.create(locations, properties).start();
    }

    /** A full backup of the tables through direct:backup; the snapshot location. */
    static String backup(CamelApplication app, String tables) {
        return backup(app, tables, "full");
    }

    /** A backup of the tables of this kind ({@code full} or {@code incremental}); the snapshot location. */
    static String backup(CamelApplication app, String tables, String kind) {
        Exchange result = app.template().request("dataverse:backup", e -> {
            e.getIn().setHeader(BackupHeaders.TABLES, tables);
            e.getIn().setHeader(BackupHeaders.KIND, kind);
        });
        if (result.getException() != null) {
            throw new IllegalStateException("backup failed", result.getException());
        }
        return result.getMessage().getHeader(BackupHeaders.LOCATION, String.class);
    }

    /** direct:restore with these headers; the exchange (its exception is not thrown). */
    static Exchange restore(CamelApplication app, Map<String, Object> headers) {
        return app.template().request("dataverse:restore", e -> e.getIn().setHeaders(new HashMap<>(headers)));
    }

    /** The report of a restore that must not fail: its exception is thrown. */
    static com.fasterxml.jackson.databind.JsonNode report(CamelApplication app, Map<String, Object> headers) throws Exception {
        Exchange exchange = restore(app, headers);
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return org.dataversebackup.snapshot.SnapshotJson.MAPPER.readTree(exchange.getMessage().getBody(String.class));
    }

    /** One table's line of a restore report. */
    static com.fasterxml.jackson.databind.JsonNode table(com.fasterxml.jackson.databind.JsonNode report, String name) {
        for (com.fasterxml.jackson.databind.JsonNode table : report.path("tables")) {
            if (table.path("table").asText().equals(name)) {
                return table;
            }
        }
        throw new AssertionError("no table " + name + " in " + report);
    }
}
