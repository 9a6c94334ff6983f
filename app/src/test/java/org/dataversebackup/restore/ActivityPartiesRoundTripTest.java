package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Emails with their activity parties round trip against the emulator: generated emails (one sent,
 * one draft) with parties of four kinds (From a user, To an account, Cc a contact, To an unresolved
 * address) are backed up (activityparty as a table of its own), restored into an empty environment
 * (each email created with its parties, after the accounts and contacts they point to), backed up
 * again: every party equal (participation type, target table and id, address), every email equal
 * (subject, state, status, regarding). A second restore writes no party twice.
 */
class ActivityPartiesRoundTripTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(10, 1, 0);
    static final String TABLES = "account,contact,email,activityparty";
    static final String LOOKUP = "@Microsoft.Dynamics.CRM.lookuplogicalname";

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static CamelApplication sourceApp;
    static Path snapshot;

    @BeforeAll
    static void backUp() {
        source = RestoreEmulator.generated(SPEC);
        sourceApp = RestoreEmulator.app(source, dir.resolve("source"), Map.of());
        snapshot = Path.of(RestoreEmulator.backup(sourceApp, TABLES));
    }

    @AfterAll
    static void stop() {
        sourceApp.close();
        source.close();
    }

    static JsonNode restore(CamelApplication app) throws Exception {
        Map<String, Object> headers = new HashMap<>();
        headers.put(RestoreHeaders.SNAPSHOT, snapshot.toString());
        headers.put(RestoreHeaders.TABLES, TABLES);
        headers.put(RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true);
        return RestoreEmulator.report(app, headers);
    }

    /** The saved records of a table in a snapshot, read from its NDJSON parts. */
    static List<JsonNode> records(Path snapshot, String table) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        try (var files = Files.walk(snapshot.resolve("data").resolve(table))) {
            for (Path part : files.filter(p -> p.toString().endsWith(".ndjson.gz")).toList()) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(part)),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        records.add(SnapshotJson.MAPPER.readTree(line));
                    }
                }
            }
        }
        return records;
    }

    /** Each party as "email id, participation, target table:id or -, address or -", by party id. */
    static Map<String, String> parties(Path snapshot) throws Exception {
        Map<String, String> parties = new TreeMap<>();
        for (JsonNode p : records(snapshot, "activityparty")) {
            JsonNode party = p.path("_partyid_value");
            parties.put(p.path("activitypartyid").asText(), p.path("_activityid_value").asText() + " "
                    + p.path("participationtypemask").asInt() + " "
                    + (party.isNull() || party.isMissingNode() ? "-" : p.path("_partyid_value" + LOOKUP).asText() + ":" + party.asText())
                    + " " + (p.path("addressused").isNull() || p.path("addressused").isMissingNode() ? "-" : p.path("addressused").asText()));
        }
        return parties;
    }

    static Map<String, String> emails(Path snapshot) throws Exception {
        Map<String, String> emails = new TreeMap<>();
        for (JsonNode e : records(snapshot, "email")) {
            emails.put(e.path("activityid").asText(), e.path("subject").asText() + " " + e.path("statecode").asInt() + "/"
                    + e.path("statuscode").asInt() + " " + e.path("_regardingobjectid_value" + LOOKUP).asText() + ":"
                    + e.path("_regardingobjectid_value").asText() + " " + e.path("description").asText());
        }
        return emails;
    }

    @Test
    void emailsComeBackWithEveryPartyAndASecondRestoreAddsNone() throws Exception {
        Map<String, String> saved = parties(snapshot);
        assertThat(saved).hasSize(8);
        assertThat(saved.values()).anyMatch(p -> p.contains(" 1 systemuser:")).anyMatch(p -> p.contains(" 2 account:"))
                .anyMatch(p -> p.contains(" 3 contact:")).anyMatch(p -> p.endsWith("@elsewhere.example"));
        assertThat(emails(snapshot).values()).anyMatch(e -> e.contains(" 1/3 ")).anyMatch(e -> e.contains(" 0/1 "));
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication targetApp = RestoreEmulator.app(target, dir.resolve("target"), Map.of())) {
            assertThat(target.state().count("activityparty")).isZero();
            JsonNode report = restore(targetApp);
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            assertThat(RestoreEmulator.table(report, "email").path("created").asLong()).isEqualTo(2);
            assertThat(target.state().count("activityparty")).isEqualTo(8);

            Path again = Path.of(RestoreEmulator.backup(targetApp, TABLES));
            assertThat(parties(again)).isEqualTo(saved);
            assertThat(emails(again)).isEqualTo(emails(snapshot));

            JsonNode second = restore(targetApp);
            assertThat(second.path("ok").asBoolean()).as(second.toString()).isTrue();
            assertThat(RestoreEmulator.table(second, "email").path("created").asLong()).isZero();
            assertThat(target.state().count("activityparty")).as("no party written twice").isEqualTo(8);
            assertThat(parties(Path.of(RestoreEmulator.backup(targetApp, TABLES)))).isEqualTo(saved);
        }
    }
}
