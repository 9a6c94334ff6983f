package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Dry runs read the live rows and plan, against the emulator; nothing is written. */
class RestoreDryRunEmulatorTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(12, 2, 6);
    static final String TABLES = "account,contact,dvb_project,dvb_project_contact";

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static CamelApplication app;
    static String snapshot;

    @BeforeAll
    static void backUp() {
        source = RestoreEmulator.generated(SPEC);
        app = RestoreEmulator.app(source, dir, Map.of());
        snapshot = RestoreEmulator.backup(app, TABLES);
    }

    @AfterAll
    static void stop() {
        app.close();
        source.close();
    }

    private static JsonNode report(Exchange exchange) throws Exception {
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return SnapshotJson.MAPPER.readTree(exchange.getMessage().getBody(String.class));
    }

    private static JsonNode table(JsonNode report, String name) {
        return RestoreEmulator.table(report, name);
    }

    @Test
    void intoTheSourceItselfEverythingIsUnchanged() throws Exception {
        long before = source.state().count("account");
        JsonNode report = report(RestoreEmulator.restore(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot,
                RestoreHeaders.DRY_RUN, true)));
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        for (String name : new String[] {"account", "contact", "dvb_project"}) {
            JsonNode table = table(report, name);
            assertThat(table.path("unchanged").asLong()).as(name + " " + table).isEqualTo(table.path("selected").asLong())
                    .isEqualTo(table.path("inSnapshot").asLong()).isPositive();
            assertThat(table.path("toCreate").asLong() + table.path("toUpdate").asLong()).as(name + " " + table).isZero();
        }
        JsonNode links = table(report, "dvb_project_contact");
        assertThat(links.path("unchanged").asLong()).as(links.toString()).isEqualTo(links.path("inSnapshot").asLong()).isPositive();
        assertThat(source.state().count("account")).isEqualTo(before);
        assertThat(Files.exists(Path.of(report.path("reportFile").asText()))).isTrue();
    }
}
