package org.dataversebackup.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.testsupport.EmulatorSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The schedule template made into a route from Java (as camel.route-template[...] properties and
 * templatedRoute do): it backs up on its cron, and every run, good or bad, sends one completion
 * event to events.uri.
 */
class ScheduleAndEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private DataverseEmulator emulator;
    private CamelContext context;

    @TempDir
    Path folder;

    @BeforeEach
    void start() {
        emulator = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(5, 1, 1)).start();
        context = new DefaultCamelContext();
        EmulatorSettings.apply(context, EmulatorSettings.of("crm", emulator));
        context.getPropertiesComponent().addOverrideProperty("backup.target", "file:" + folder);
        context.getPropertiesComponent().addOverrideProperty("events.uri", "seda:events");
        new DataverseBackupConfiguration().configure(context);
    }

    @AfterEach
    void stop() {
        context.stop();
        emulator.close();
    }

    private void schedule(String tables) {
        TemplatedRouteBuilder.builder(context, "dataverse-backup.schedule")
                .routeId("dataverse-backup.crm.schedule")
                .parameter("environment", "crm")
                .parameter("schedule", "0/1 * * * * ?")
                .parameter("tables", tables)
                .add();
        context.start();
    }

    @Test
    void aScheduledBackupEndsWithASuccessEventHoldingItsSummary() throws Exception {
        schedule("account");
        JsonNode event = nextEvent();
        assertThat(event.path("type").asText()).isEqualTo("backup");
        assertThat(event.path("environment").asText()).isEqualTo("crm");
        assertThat(event.path("trigger").asText()).isEqualTo("schedule");
        assertThat(event.path("outcome").asText()).isEqualTo("success");
        assertThat(event.path("snapshotId").asText()).isNotBlank();
        assertThat(Path.of(event.path("location").asText())).startsWith(folder);
        assertThat(event.path("summary").path("records").asLong()).isEqualTo(5);
        assertThat(event.path("summary").path("tables")).hasSize(1);
    }

    @Test
    void aFailedScheduledBackupEndsWithAFailureEventNamingTheProblem() throws Exception {
        schedule("account,nosuchtable");
        JsonNode event = nextEvent();
        assertThat(event.path("outcome").asText()).isEqualTo("failed");
        assertThat(event.path("environment").asText()).isEqualTo("crm");
        assertThat(event.path("error").asText()).contains("nosuchtable");
        assertThat(event.has("summary")).isFalse();
        // the preflight check stopped it before anything was read: its report comes along
        assertThat(event.path("details").path("outcome").asText()).isEqualTo("failed");
    }

    private JsonNode nextEvent() throws Exception {
        try (ConsumerTemplate consumer = context.createConsumerTemplate()) {
            String body = consumer.receiveBody("seda:events", 30_000, String.class);
            assertThat(body).as("an event within 30 s").isNotNull();
            return JSON.readTree(body);
        }
    }
}
