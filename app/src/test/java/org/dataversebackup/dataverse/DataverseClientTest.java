package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.dataversebackup.auth.AuthMode;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.auth.DataverseTokenProvider;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Dataverse client's retries and refusals, against the emulator's documented answers. */
class DataverseClientTest {
    private static EmulatorEnvironment environment;
    private static DataverseClient client;

    @BeforeAll
    static void start() {
        environment = EmulatorEnvironment.start(DataSetSpec.sized(12, 1, 0));
        AuthSettings settings = AuthSettings.builder().mode(AuthMode.CLIENT_SECRET)
                .dataverseUrl(environment.emulator().environmentUrl()).authority(environment.emulator().authority())
                .clientId(EmulatorIdentities.APP_CLIENT_ID).clientSecret(EmulatorIdentities.APP_CLIENT_SECRET).build();
        client = new DataverseClient(URI.create(environment.emulator().environmentUrl()), "9.2",
                DataverseTokenProvider.create(settings),
                new RetryPolicy(5, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(30)),
                Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @AfterEach
    void clearFaults() {
        environment.emulator().faults().clear();
    }

    @Test
    void waitsWhatRetryAfterSaysOn429() {
        environment.emulator().faults().throttleNext(2, Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertThat(client.getJson("WhoAmI").path("UserId").asText()).isEqualTo(EmulatorIdentities.APP_USER_ID);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(environment.emulator().faults().injectedCount()).isEqualTo(2);
    }

    @Test
    void serverErrorsAreRetriedUpToTheLimit() {
        environment.emulator().faults().failNext(2, 503);
        assertThat(client.getJson("WhoAmI").has("OrganizationId")).isTrue();

        environment.emulator().faults().failNext(5, 500);
        assertThatThrownBy(() -> client.getJson("WhoAmI")).isInstanceOf(DataverseException.class)
                .satisfies(e -> assertThat(((DataverseException) e).status()).isEqualTo(500));
    }

    @Test
    void aRevokedTokenIsRenewedOnceAndTheRequestReplayed() {
        client.getJson("WhoAmI");
        long tokens = environment.emulator().tokenRequests();
        environment.emulator().revokeIssuedTokens();
        assertThat(client.getJson("WhoAmI").path("UserId").asText()).isEqualTo(EmulatorIdentities.APP_USER_ID);
        assertThat(environment.emulator().tokenRequests() - tokens).isEqualTo(1);
    }

    @Test
    void otherErrorsCarryDataversesCodeAndMessage() {
        assertThatThrownBy(() -> client.getJson("Accounts")).isInstanceOf(DataverseException.class)
                .satisfies(e -> {
                    DataverseException error = (DataverseException) e;
                    assertThat(error.status()).isEqualTo(404);
                    assertThat(error.code()).isEqualTo("0x8006088a");
                    assertThat(error.getMessage()).contains("GET ", "/api/data/v9.2/Accounts", "404", "Accounts");
                });
    }

    @Test
    void pagesComeCompressedWhenAskedAndAreReadTheSame() {
        DataverseResponse compressed = client.get("accounts", Map.of());
        assertThat(compressed.header("Content-Encoding")).contains("gzip");
        DataverseClient plain = new DataverseClient(URI.create(environment.emulator().environmentUrl()), "9.2",
                DataverseTokenProvider.create(AuthSettings.builder().mode(AuthMode.CLIENT_SECRET)
                        .dataverseUrl(environment.emulator().environmentUrl()).authority(environment.emulator().authority())
                        .clientId(EmulatorIdentities.APP_CLIENT_ID).clientSecret(EmulatorIdentities.APP_CLIENT_SECRET).build()),
                RetryPolicy.defaults(), Duration.ofSeconds(30), false);
        DataverseResponse uncompressed = plain.get("accounts", Map.of());
        assertThat(uncompressed.header("Content-Encoding")).isEmpty();
        assertThat(compressed.json()).isEqualTo(uncompressed.json());
        assertThat(compressed.json().path("value").size()).isEqualTo(12);
    }

    @Test
    void aLinkNamingAnotherHostIsFollowedOnTheConfiguredEnvironmentOnly() {
        String path = "/api/data/v9.2/accounts?$select=name&$top=2";
        DataverseResponse viaOtherHost = client.get("https://dataverse.example.invalid" + path, Map.of());
        assertThat(viaOtherHost.json().path("value").size()).isEqualTo(2);
        DataverseResponse viaLocalhost = client.get(environment.emulator().environmentUrl().replace("127.0.0.1", "localhost")
                + path, Map.of());
        assertThat(viaLocalhost.json().path("value").size()).isEqualTo(2);
    }
}
