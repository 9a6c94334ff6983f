package org.dataversebackup.examples.esb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The example application as it ships (its application.properties and routes), with the two
 * environments pointed at two emulators, each trusted through its own dataverse.tls.* keys: both
 * are backed up on their schedule (one made from properties, one from YAML), each backup ends with
 * a completion event, and an ESB route restores accounts deleted in hr through dataverse:restore.
 */
class EsbApplicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private DataverseEmulator sales;
    private DataverseEmulator hr;
    private Main main;

    @TempDir
    Path folder;

    @BeforeEach
    void start() {
        // different seeds: the two environments hold different rows
        sales = DataverseEmulator.builder().port(0)
                .generate(DataSetSpec.builder().seed(1).accounts(6).contactsPerAccount(1).projects(1).build()).start();
        hr = DataverseEmulator.builder().port(0)
                .generate(DataSetSpec.builder().seed(2).accounts(3).contactsPerAccount(1).projects(1).build()).start();
        main = new Main(EsbApplication.class);
        connect("sales", sales);
        connect("hr", hr);
        main.addOverrideProperty("backup.target", "file:" + folder);
        main.addOverrideProperty("esb.backup-schedule", "0/2 * * * * ?");
        main.addOverrideProperty("esb.events-sink", "seda:test-events");
        main.addOverrideProperty("restore.report-dir", folder.resolve("restore-reports").toString());
    }

    private void connect(String environment, DataverseEmulator emulator) {
        String prefix = "dataverse.environments." + environment + ".";
        main.addOverrideProperty(prefix + "url", emulator.environmentUrl());
        main.addOverrideProperty(prefix + "tls.trust-store", emulator.trustStore().toString());
        main.addOverrideProperty(prefix + "tls.trust-store-password", emulator.trustStorePassword());
        main.addOverrideProperty(prefix + "auth.tenant-id", emulator.tenantId());
        main.addOverrideProperty(prefix + "auth.authority", emulator.authority());
        main.addOverrideProperty(prefix + "auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        main.addOverrideProperty(prefix + "auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        if (main != null) {
            main.stop();
        }
        sales.close();
        hr.close();
    }

    @Test
    void backsUpBothEnvironmentsOnTheirScheduleLogsTheEventsAndRestoresThroughTheComponent() throws Exception {
        main.start();
        var context = main.getCamelContext();
        assertThat(context.getRoute("dataverse-backup.sales.schedule")).as("from camel.route-template properties: %s",
                context.getRoutes().stream().map(r -> r.getRouteId()).toList()).isNotNull();
        assertThat(context.getRoute("dataverse-backup.hr.schedule")).as("from templatedRoute YAML").isNotNull();

        Map<String, JsonNode> events = new java.util.HashMap<>();
        try (ConsumerTemplate consumer = context.createConsumerTemplate()) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (events.size() < 2 && System.currentTimeMillis() < deadline) {
                String body = consumer.receiveBody("seda:test-events", 5_000, String.class);
                if (body != null) {
                    JsonNode event = JSON.readTree(body);
                    events.putIfAbsent(event.path("environment").asText(), event);
                }
            }
        }
        assertThat(events).containsOnlyKeys("sales", "hr");
        JsonNode salesBackup = events.get("sales");
        assertThat(salesBackup.path("outcome").asText()).as(salesBackup.toString()).isEqualTo("success");
        assertThat(salesBackup.path("summary").path("tables")).extracting(t -> t.path("table").asText())
                .containsExactlyInAnyOrder("account", "contact");
        assertThat(events.get("hr").path("summary").path("records").asLong()).isEqualTo(3);

        // accounts deleted in hr by mistake come back through the ESB flow
        List<java.util.UUID> hrAccounts = accountIds(hr);
        hr.state().deleteRow("account", hrAccounts.get(0));
        hr.state().deleteRow("account", hrAccounts.get(1));
        assertThat(accountIds(hr)).hasSize(1);
        String request = JSON.writeValueAsString(Map.of("snapshot", events.get("hr").path("location").asText(),
                "tables", "account"));
        Exchange restored = context.createProducerTemplate().request("direct:esb-restore-request",
                e -> e.getIn().setBody(request));
        assertThat(restored.getException()).isNull();
        assertThat(restored.getMessage().getHeader("DataverseRestoreOk", Boolean.class)).isTrue();
        assertThat(accountIds(hr)).containsExactlyInAnyOrderElementsOf(hrAccounts);

        assertThat(System.getProperties().stringPropertyNames()).as("nothing JVM-wide")
                .noneMatch(k -> k.startsWith("javax.net.ssl."));
    }

    private static List<java.util.UUID> accountIds(DataverseEmulator emulator) {
        return new ArrayList<>(emulator.state().ids("account"));
    }
}
