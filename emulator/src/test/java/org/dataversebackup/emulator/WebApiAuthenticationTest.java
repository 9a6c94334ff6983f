package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dataversebackup.emulator.EmulatorIdentities.*;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Bearer token validation of the Web API and WhoAmI. */
class WebApiAuthenticationTest {
    static TestClock clock = new TestClock(Instant.now());
    static DataverseEmulator emulator;
    static TestClient client;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().port(0).clock(clock).tokenLifetime(Duration.ofMinutes(5)).dopHint(6).start();
        client = new TestClient(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void whoAmIAnswersTheApplicationUserWithDopHint() {
        TestClient.Response r = client.api(client.appToken(), "WhoAmI");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("@odata.context").asText()).isEqualTo(emulator.webApiUrl() + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
        assertThat(body.get("UserId").asText()).isEqualTo(APP_USER_ID);
        assertThat(body.get("BusinessUnitId").asText()).isEqualTo(ROOT_BUSINESS_UNIT_ID);
        assertThat(body.get("OrganizationId").asText()).isEqualTo(ORGANIZATION_ID);
        assertThat(r.header("x-ms-dop-hint")).isEqualTo("6");
        assertThat(r.header("OData-Version")).isEqualTo("4.0");
        assertThat(r.header("x-ms-ratelimit-burst-remaining-xrm-requests")).isNotNull();
    }

    @Test
    void whoAmIOfAUserTokenIsThatUsersSystemUser() {
        TestClient.Response r = client.api(client.userToken(ADMIN_USER), "WhoAmI");
        assertThat(r.json().get("UserId").asText()).isEqualTo(ADMIN_USER_ID);
    }

    @Test
    void missingTokenIs401WithTheAuthorityChallenge() {
        TestClient.Response r = client.api(null, "WhoAmI");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer authorization_uri=" + emulator.authority() + "/oauth2/authorize")
                .contains("resource_id=" + emulator.environmentUrl());
        assertThat(r.json().get("error").get("message").asText()).isNotEmpty();
    }

    @Test
    void invalidTokenIs401() {
        TestClient.Response garbage = client.api("abc.def.ghi", "WhoAmI");
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(garbage.json().get("error").get("code").asText()).isEqualTo("0x8004A102");
    }

    @Test
    void expiredTokenIs401Expired() {
        String token = client.appToken();
        clock.advance(Duration.ofMinutes(6));
        try {
            TestClient.Response r = client.api(token, "WhoAmI");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("0x8004A101");
            assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
            assertThat(client.api(client.appToken(), "WhoAmI").status()).isEqualTo(200);
        } finally {
            clock.advance(Duration.ZERO);
        }
    }

    @Test
    void revokedTokensAre401AndNewOnesWork() {
        String token = client.appToken();
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200);
        emulator.revokeIssuedTokens();
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(401);
        assertThat(client.api(client.appToken(), "WhoAmI").status()).isEqualTo(200);
    }

    @Test
    void tokenRequestsAreCounted() {
        long before = emulator.tokenRequests();
        client.appToken();
        client.appToken();
        assertThat(emulator.tokenRequests()).isEqualTo(before + 2);
    }

    @Test
    void postWhoAmIIsTheDocumented404() {
        TestClient.Response r = client.apiRequest("POST", client.appToken(), "WhoAmI", "{}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").get("message").asText())
                .isEqualTo("No HTTP resource was found that matches the request URI '" + emulator.webApiUrl() + "WhoAmI'.");
    }

    @Test
    void unknownSegmentIs404WithTheDocumentedCode() {
        TestClient.Response r = client.api(client.appToken(), "Account");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("0x8006088a");
        assertThat(r.json().get("error").get("message").asText()).isEqualTo("Resource not found for the segment 'Account'.");
    }

    @Test
    void disabledUserSignsInButTheWebApiRefuses() {
        TestClient.Response r = client.api(client.userToken(DISABLED_USER), "WhoAmI");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").get("message").asText()).contains("is disabled");
    }

    @Test
    void tokenForAnotherEmulatorIsRejected() {
        try (DataverseEmulator other = DataverseEmulator.builder().port(0).start()) {
            String foreign = new TestClient(other).appToken();
            assertThat(client.api(foreign, "WhoAmI").status()).isEqualTo(401);
        }
    }
}
