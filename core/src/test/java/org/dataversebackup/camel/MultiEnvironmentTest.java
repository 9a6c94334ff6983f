package org.dataversebackup.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.testsupport.EmulatorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Two Dataverse environments (two emulators, each with its own self-signed certificate) in one
 * CamelContext through dataverse.environments.<name>.*: each has its own routes, beans, sign-in
 * and TLS trust, and nothing JVM-wide is set.
 */
class MultiEnvironmentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DataverseEmulator sales;
    private static DataverseEmulator hr;
    private static CamelContext context;
    private static ProducerTemplate template;

    @TempDir
    static Path folder;

    @BeforeAll
    static void start() throws Exception {
        sales = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(4, 1, 1)).start();
        hr = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(7, 1, 1)).start();
        context = new DefaultCamelContext();
        EmulatorSettings.apply(context, EmulatorSettings.of("sales", sales));
        EmulatorSettings.apply(context, EmulatorSettings.of("hr", hr));
        context.getPropertiesComponent().addOverrideProperty("backup.target", "file:" + folder.resolve("backups"));
        context.getPropertiesComponent().addOverrideProperty("dataverse.environments.hr.backup.target",
                "file:" + folder.resolve("hr-backups"));
        new DataverseBackupConfiguration().configure(context);
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.stop();
        }
        sales.close();
        hr.close();
    }

    @Test
    void eachEnvironmentHasItsOwnNamespacedRoutes() {
        for (String environment : new String[] {"default", "sales", "hr"}) {
            for (String job : DataverseRoutes.JOB_TEMPLATES) {
                assertThat(context.getRoute("dataverse-backup." + environment + "." + job)).as(environment + " " + job).isNotNull();
            }
        }
    }

    @Test
    void eachEnvironmentIsBackedUpFromItsOwnDataverseIntoItsOwnTarget() throws Exception {
        JsonNode salesSummary = backup("dataverse:backup?environment=sales&tables=account");
        JsonNode hrSummary = backup("dataverse:backup?environment=hr&tables=account");

        assertThat(salesSummary.path("records").asLong()).isEqualTo(4);
        assertThat(hrSummary.path("records").asLong()).isEqualTo(7);
        assertThat(salesSummary.path("outcome").asText()).isEqualTo("success");
        assertThat(salesSummary.path("environment").asText()).isEqualTo("sales");
        // the shared backup.target, and the one set for hr only
        assertThat(Path.of(salesSummary.path("location").asText())).startsWith(folder.resolve("backups"));
        assertThat(Path.of(hrSummary.path("location").asText())).startsWith(folder.resolve("hr-backups"));
        assertThat(Files.exists(Path.of(hrSummary.path("location").asText()).resolve("manifest.json"))).isTrue();
        assertThat(System.getProperties().stringPropertyNames()).noneMatch(k -> k.startsWith("javax.net.ssl."));
    }

    @Test
    void endpointOptionsWinOverHeaders() throws Exception {
        Exchange exchange = template.request("dataverse:backup?environment=sales&tables=account",
                e -> e.getIn().setHeader(DataverseHeaders.BACKUP_TABLES, "contact"));
        assertThat(exchange.getException()).isNull();
        JsonNode summary = JSON.readTree(exchange.getMessage().getBody(String.class));
        assertThat(summary.path("tables")).extracting(t -> t.path("table").asText()).containsExactly("account");
    }

    @Test
    void anEnvironmentThatIsNotConfiguredIsAClearError() {
        Exchange exchange = template.request("dataverse:check?environment=nowhere", e -> { });
        assertThat(exchange.getException()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("dataverse.environments.nowhere.url");
    }

    @Test
    void writingToAnEnvironmentThatIsNotConfiguredIsAClearError() {
        Exchange exchange = template.request("dataverse:write?environment=nowhere&table=account", e -> e.getIn().setBody("{}"));
        assertThat(exchange.getException()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("dataverse.environments.nowhere.url");
    }

    @Test
    void theDefaultEnvironmentWithoutSettingsNamesTheMissingKey() {
        Exchange exchange = template.request("dataverse:backup", e -> { });
        assertThat(exchange.getException()).hasMessageContaining("dataverse.url");
    }

    private static JsonNode backup(String uri) throws Exception {
        Exchange exchange = template.request(uri, e -> { });
        assertThat(exchange.getException()).as(uri).isNull();
        assertThat(exchange.getMessage().getHeader(DataverseHeaders.BACKUP_LOCATION, String.class)).isNotBlank();
        return JSON.readTree(exchange.getMessage().getBody(String.class));
    }
}
