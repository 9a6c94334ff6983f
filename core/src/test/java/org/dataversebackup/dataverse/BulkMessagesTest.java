package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Whether a table supports a bulk message, asked of the emulator with the query Microsoft documents. */
class BulkMessagesTest {
    private static DataverseEmulator emulator;
    private static DataverseClient client;

    @BeforeAll
    static void start() throws Exception {
        emulator = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(2, 0, 0)).start();
        String form = "grant_type=client_credentials&client_id=" + EmulatorIdentities.APP_CLIENT_ID + "&client_secret="
                + URLEncoder.encode(EmulatorIdentities.APP_CLIENT_SECRET, StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode(emulator.environmentUrl() + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(emulator.clientSslContext()).build().send(
                HttpRequest.newBuilder(URI.create(emulator.authority() + "/oauth2/v2.0/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String token = new ObjectMapper().readTree(r.body()).get("access_token").asText();
        AccessTokens tokens = new AccessTokens() {
            @Override
            public String current() {
                return token;
            }

            @Override
            public String renewAfterRejection(String rejected) {
                return token;
            }
        };
        client = new DataverseClient(URI.create(emulator.environmentUrl()), "9.2", tokens,
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                Duration.ofSeconds(30), true, emulator.clientSslContext());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void supportedWhereAMessageFilterExistsAndAskedOncePerTableAndMessage() {
        BulkMessages messages = new BulkMessages(client);
        long before = emulator.webApiRequests();
        assertThat(messages.supports("account", BulkMessages.CREATE_MULTIPLE)).isTrue();
        assertThat(messages.supports("account", BulkMessages.CREATE_MULTIPLE)).isTrue();
        assertThat(messages.supports("contact", BulkMessages.UPSERT_MULTIPLE)).isTrue();
        assertThat(messages.supports("systemuser", BulkMessages.CREATE_MULTIPLE)).as("not writable in the emulator").isFalse();
        assertThat(emulator.webApiRequests() - before).isEqualTo(3);
    }

    @Test
    void aQueryThatFailsMeansNotSupportedSoTheCallerUsesBatch() {
        emulator.faults().failNext(2, 503, "sdkmessagefilters");
        BulkMessages messages = new BulkMessages(client);
        assertThat(messages.supports("account", BulkMessages.CREATE_MULTIPLE)).isFalse();
        emulator.faults().clear();
    }
}
