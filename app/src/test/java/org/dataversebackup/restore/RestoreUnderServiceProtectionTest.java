package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

/**
 * Issue 16, scaled down: a create-mode restore with eight writers against an emulator that allows
 * few requests per short window, where every request sent before Retry-After has passed extends
 * the wait. Writers that each obeyed their own Retry-After kept the wait going and ran out of
 * attempts (rows failed); the shared limiter pauses them all, and no row fails.
 */
class RestoreUnderServiceProtectionTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(30, 2, 6);
    static final List<String> TABLES = RestoreEmulator.DATA_TABLES;

    @TempDir
    static Path dir;
    static DataverseEmulator source;
    static Path snapshot;

    @BeforeAll
    static void backUpTheSource() {
        source = RestoreEmulator.generated(SPEC);
        try (CamelApplication sourceApp = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            snapshot = Path.of(RestoreEmulator.backup(sourceApp, String.join(",", TABLES)));
        }
    }

    @AfterAll
    static void stopTheSource() {
        source.close();
    }

    @Test
    void eightWritersUnderATightRequestLimitCreateEveryRowAndFailNone() throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC);
                CamelApplication targetApp = RestoreEmulator.app(target, dir.resolve("target"),
                        Map.of("restore.parallelism", "8", "restore.batch-size", "10"))) {
            target.serviceProtection(6, Duration.ofSeconds(2), 52);
            Exchange exchange;
            try {
                exchange = RestoreEmulator.restore(targetApp, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString(),
                        RestoreHeaders.MODE, "create"));
            } finally {
                target.serviceProtection(6000, Duration.ofSeconds(300), 52);
            }
            assertThat(exchange.getException()).isNull();
            JsonNode report = SnapshotJson.MAPPER.readTree(exchange.getMessage().getBody(String.class));
            assertThat(report.path("totals").path("failed").asLong()).as(report.toString()).isZero();
            assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
            for (String table : List.of("account", "contact", "dvb_project")) {
                int expected = source.state().count(table);
                assertThat(expected).as(table).isPositive();
                assertThat(target.state().count(table)).as(table).isEqualTo(expected);
                assertThat(target.state().ids(table)).as(table).containsExactlyInAnyOrderElementsOf(source.state().ids(table));
            }
            assertThat(target.state().count("dvb_project_contact")).isEqualTo(source.state().count("dvb_project_contact"));
        }
    }
}
