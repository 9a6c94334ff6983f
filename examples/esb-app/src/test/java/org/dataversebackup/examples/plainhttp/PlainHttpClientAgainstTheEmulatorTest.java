package org.dataversebackup.examples.plainhttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an integration team's own CI test looks like with the emulator and no dataverse-backup
 * code at all: the JDK's HttpClient signs in with the client-credentials flow at the emulator's
 * token endpoint, as it would at Entra ID, then calls the Web API as it would call Dataverse.
 * Only the emulator module is needed (test scope).
 */
class PlainHttpClientAgainstTheEmulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DataverseEmulator dataverse;
    private static HttpClient http;
    private static String token;

    @BeforeAll
    static void startTheEmulatorAndSignIn() throws Exception {
        dataverse = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(20, 1, 0)).start();
        // trust the emulator's self-signed certificate, as a test would trust a corporate CA
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dataverse.trustStore())) {
            trustStore.load(in, dataverse.trustStorePassword().toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(tls).build();

        // OAuth 2.0 client credentials, scope <environment>/.default: what Entra ID documents
        String form = "grant_type=client_credentials&client_id=" + EmulatorIdentities.APP_CLIENT_ID
                + "&client_secret=" + URLEncoder.encode(EmulatorIdentities.APP_CLIENT_SECRET, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode(dataverse.environmentUrl() + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(dataverse.authority() + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        token = JSON.readTree(answer.body()).path("access_token").asText();
    }

    @AfterAll
    static void stop() {
        dataverse.close();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(dataverse.webApiUrl() + path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0").header("OData-Version", "4.0");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createReadAndQueryAnAccountAsAnIntegrationWould() throws Exception {
        HttpResponse<String> created = call("POST", "accounts", "{\"name\": \"Fabrikam from CI\", \"accountnumber\": \"CI-"
                + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(204);
        String entityId = created.headers().firstValue("OData-EntityId").orElseThrow();
        String id = entityId.substring(entityId.indexOf('(') + 1, entityId.indexOf(')'));

        JsonNode read = JSON.readTree(call("GET", "accounts(" + id + ")?$select=name", null).body());
        assertThat(read.path("name").asText()).isEqualTo("Fabrikam from CI");

        String filter = URLEncoder.encode("name eq 'Fabrikam from CI'", StandardCharsets.UTF_8).replace("+", "%20");
        JsonNode found = JSON.readTree(call("GET", "accounts?$select=accountid&$filter=" + filter, null).body());
        assertThat(found.path("value")).hasSize(1);
        assertThat(found.path("value").get(0).path("accountid").asText()).isEqualTo(id);
    }
}
