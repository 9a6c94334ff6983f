package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dataversebackup.emulator.EmulatorIdentities.*;
import static org.dataversebackup.emulator.TestClient.form;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The Entra ID token endpoint: grants, responses and AADSTS errors as Entra ID shapes them. */
class TokenEndpointTest {
    static DataverseEmulator emulator;
    static TestClient client;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().port(0).tokenLifetime(Duration.ofMinutes(10)).deviceCodeInterval(Duration.ofSeconds(1)).start();
        client = new TestClient(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private String scope() {
        return emulator.environmentUrl() + "/.default";
    }

    @Test
    void clientCredentialsWithSecretGiveABearerTokenForTheEnvironment() {
        TestClient.Response r = client.token(form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_secret", APP_CLIENT_SECRET, "scope", scope()));
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(600);
        assertThat(body.get("ext_expires_in").asLong()).isEqualTo(600);
        assertThat(body.has("refresh_token")).isFalse();
        JsonNode claims = TestClient.jwtPayload(body.get("access_token").asText());
        assertThat(claims.get("aud").asText()).isEqualTo(emulator.environmentUrl());
        assertThat(claims.get("appid").asText()).isEqualTo(APP_CLIENT_ID);
        assertThat(claims.get("oid").asText()).isEqualTo(APP_OBJECT_ID);
        assertThat(claims.get("tid").asText()).isEqualTo(TENANT_ID);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(600);
        assertThat(claims.has("scp")).isFalse();
    }

    @Test
    void clientSecretBasicAuthenticationIsAccepted() {
        String basic = Base64.getEncoder().encodeToString((APP_CLIENT_ID + ":" + APP_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        TestClient.Response r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(emulator.authority() + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + java.net.URLEncoder.encode(scope(), StandardCharsets.UTF_8))).build());
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void wrongSecretIs401InvalidClientWithAadsts7000215InEntrasShape() {
        TestClient.Response r = client.token(form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_secret", "wrong", "scope", scope()));
        assertThat(r.status()).isEqualTo(401);
        JsonNode body = r.json();
        assertThat(body.get("error").asText()).isEqualTo("invalid_client");
        assertThat(body.get("error_description").asText()).startsWith("AADSTS7000215: ").contains("Trace ID: ", "Correlation ID: ", "Timestamp: ");
        assertThat(body.get("error_codes").get(0).asInt()).isEqualTo(7000215);
        assertThat(body.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ");
        assertThat(UUID.fromString(body.get("trace_id").asText())).isNotNull();
        assertThat(UUID.fromString(body.get("correlation_id").asText())).isNotNull();
    }

    @Test
    void unknownClientIsAadsts700016() {
        TestClient.Response r = client.token(form("grant_type", "client_credentials", "client_id", UNKNOWN_CLIENT_ID,
                "client_secret", "x", "scope", scope()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("unauthorized_client");
        assertThat(r.json().get("error_codes").get(0).asInt()).isEqualTo(700016);
        assertThat(r.json().get("error_description").asText()).startsWith("AADSTS700016: Application with identifier '" + UNKNOWN_CLIENT_ID + "'");
    }

    @Test
    void applicationWithoutAdminConsentIsAadsts65001() {
        TestClient.Response r = client.token(form("grant_type", "client_credentials", "client_id", UNCONSENTED_CLIENT_ID,
                "client_secret", UNCONSENTED_CLIENT_SECRET, "scope", scope()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(r.json().get("error_description").asText()).startsWith("AADSTS65001: The user or administrator has not consented");
    }

    @Test
    void clientCredentialsNeedADefaultScopeOfThisEnvironment() {
        TestClient.Response noDefault = client.token(form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_secret", APP_CLIENT_SECRET, "scope", emulator.environmentUrl() + "/user_impersonation"));
        assertThat(noDefault.status()).isEqualTo(400);
        assertThat(noDefault.json().get("error").asText()).isEqualTo("invalid_scope");
        assertThat(noDefault.json().get("error_codes").get(0).asInt()).isEqualTo(1002012);

        TestClient.Response otherResource = client.token(form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_secret", APP_CLIENT_SECRET, "scope", "https://contoso.crm.dynamics.com/.default"));
        assertThat(otherResource.status()).isEqualTo(400);
        assertThat(otherResource.json().get("error_codes").get(0).asInt()).isEqualTo(500011);
    }

    @Test
    void unknownTenantIsAadsts90002() {
        TestClient.Response r = client.postForm(emulator.environmentUrl() + "/" + UUID.randomUUID() + "/oauth2/v2.0/token",
                form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "client_secret", APP_CLIENT_SECRET, "scope", scope()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error_codes").get(0).asInt()).isEqualTo(90002);
    }

    @Test
    void clientAssertionSignedWithTheAppCertificateIsAccepted() throws Exception {
        TestClient.Response r = client.token(form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(appKey(), appCertificate(), "x5t"), "scope", scope()));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(TestClient.jwtPayload(r.json().get("access_token").asText()).get("appidacr").asText()).isEqualTo("2");

        TestClient.Response sha256 = client.token(form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(appKey(), appCertificate(), "x5t#S256"), "scope", scope()));
        assertThat(sha256.status()).as(sha256.body()).isEqualTo(200);
    }

    @Test
    void clientAssertionWithAnotherKeyOrThumbprintIsRejected() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey otherKey = g.generateKeyPair().getPrivate();
        TestClient.Response badSignature = client.token(form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(otherKey, appCertificate(), "x5t"), "scope", scope()));
        assertThat(badSignature.status()).isEqualTo(401);
        assertThat(badSignature.json().get("error_codes").get(0).asInt()).isEqualTo(700027);

        X509Certificate tlsCertificate = Tls.tlsMaterial().certificate();
        TestClient.Response unknownThumbprint = client.token(form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(appKey(), tlsCertificate, "x5t"), "scope", scope()));
        assertThat(unknownThumbprint.status()).isEqualTo(401);
        assertThat(unknownThumbprint.json().get("error_description").asText()).contains("The key was not found");
    }

    @Test
    void passwordGrantGivesRefreshTokenIdTokenAndClientInfo() {
        TestClient.Response r = client.token(form("grant_type", "password", "client_id", APP_CLIENT_ID,
                "username", ADMIN_USER, "password", USER_PASSWORD,
                "scope", emulator.environmentUrl() + "/user_impersonation openid profile offline_access"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("refresh_token").asText()).isNotEmpty();
        assertThat(body.get("scope").asText()).contains(emulator.environmentUrl() + "/user_impersonation");
        JsonNode clientInfo = readBase64Json(body.get("client_info").asText());
        assertThat(clientInfo.get("uid").asText()).isEqualTo(ADMIN_OBJECT_ID);
        assertThat(clientInfo.get("utid").asText()).isEqualTo(TENANT_ID);
        JsonNode idToken = TestClient.jwtPayload(body.get("id_token").asText());
        assertThat(idToken.get("aud").asText()).isEqualTo(APP_CLIENT_ID);
        assertThat(idToken.get("preferred_username").asText()).isEqualTo(ADMIN_USER);
        assertThat(idToken.get("oid").asText()).isEqualTo(ADMIN_OBJECT_ID);
        JsonNode access = TestClient.jwtPayload(body.get("access_token").asText());
        assertThat(access.get("scp").asText()).isEqualTo("user_impersonation");
        assertThat(access.get("upn").asText()).isEqualTo(ADMIN_USER);

        TestClient.Response refreshed = client.token(form("grant_type", "refresh_token", "client_id", APP_CLIENT_ID,
                "refresh_token", body.get("refresh_token").asText(),
                "scope", emulator.environmentUrl() + "/user_impersonation openid profile offline_access"));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.json().get("access_token").asText()).isNotEqualTo(body.get("access_token").asText());
    }

    @Test
    void wrongPasswordIsAadsts50126AndMfaUserIsAadsts50076() {
        TestClient.Response wrong = client.token(form("grant_type", "password", "client_id", APP_CLIENT_ID,
                "username", ADMIN_USER, "password", "nope", "scope", emulator.environmentUrl() + "/user_impersonation"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(wrong.json().get("error_description").asText()).startsWith("AADSTS50126: Error validating credentials due to invalid username or password.");

        TestClient.Response mfa = client.token(form("grant_type", "password", "client_id", APP_CLIENT_ID,
                "username", MFA_USER, "password", USER_PASSWORD, "scope", emulator.environmentUrl() + "/user_impersonation"));
        assertThat(mfa.status()).isEqualTo(400);
        assertThat(mfa.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(mfa.json().get("error_codes").get(0).asInt()).isEqualTo(50076);
        assertThat(mfa.json().get("suberror").asText()).isEqualTo("basic_action");
    }

    @Test
    void invalidRefreshTokenIsRejected() {
        TestClient.Response r = client.token(form("grant_type", "refresh_token", "client_id", APP_CLIENT_ID,
                "refresh_token", "not-a-refresh-token", "scope", emulator.environmentUrl() + "/user_impersonation"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void deviceCodeFlowIsPendingUntilApproved() {
        TestClient.Response code = client.postForm(emulator.authority() + "/oauth2/v2.0/devicecode",
                form("client_id", APP_CLIENT_ID, "scope", emulator.environmentUrl() + "/user_impersonation offline_access openid profile"));
        assertThat(code.status()).as(code.body()).isEqualTo(200);
        JsonNode body = code.json();
        String userCode = body.get("user_code").asText();
        assertThat(body.get("verification_uri").asText()).startsWith(emulator.environmentUrl());
        assertThat(body.get("interval").asInt()).isEqualTo(1);
        assertThat(body.get("expires_in").asInt()).isEqualTo(900);
        assertThat(body.get("message").asText()).contains(userCode);
        assertThat(emulator.pendingDeviceCodes()).contains(userCode);

        TestClient.Response pending = client.token(form("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", APP_CLIENT_ID, "device_code", body.get("device_code").asText()));
        assertThat(pending.status()).isEqualTo(400);
        assertThat(pending.json().get("error").asText()).isEqualTo("authorization_pending");
        assertThat(pending.json().get("error_codes").get(0).asInt()).isEqualTo(70016);

        assertThat(emulator.approveDeviceCode(userCode, ADMIN_USER)).isTrue();
        TestClient.Response token = client.token(form("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", APP_CLIENT_ID, "device_code", body.get("device_code").asText()));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.json().get("refresh_token").asText()).isNotEmpty();
        assertThat(TestClient.jwtPayload(token.json().get("access_token").asText()).get("upn").asText()).isEqualTo(ADMIN_USER);

        TestClient.Response again = client.token(form("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", APP_CLIENT_ID, "device_code", body.get("device_code").asText()));
        assertThat(again.status()).isEqualTo(400);
    }

    @Test
    void discoveryDocumentsAndUserRealm() {
        TestClient.Response oidc = client.get(emulator.authority() + "/v2.0/.well-known/openid-configuration");
        assertThat(oidc.status()).isEqualTo(200);
        assertThat(oidc.json().get("token_endpoint").asText()).isEqualTo(emulator.authority() + "/oauth2/v2.0/token");
        assertThat(oidc.json().get("device_authorization_endpoint").asText()).isEqualTo(emulator.authority() + "/oauth2/v2.0/devicecode");
        assertThat(oidc.json().get("issuer").asText()).isEqualTo(emulator.authority() + "/v2.0");

        TestClient.Response realm = client.get(emulator.environmentUrl() + "/common/userrealm/" + ADMIN_USER + "?api-version=1.0");
        assertThat(realm.status()).isEqualTo(200);
        assertThat(realm.json().get("account_type").asText()).isEqualTo("Managed");

        TestClient.Response keys = client.get(emulator.authority() + "/discovery/v2.0/keys");
        assertThat(keys.json().get("keys").get(0).get("kty").asText()).isEqualTo("RSA");
    }

    @Test
    void missingGrantTypeAndUnsupportedGrantType() {
        TestClient.Response missing = client.token(form("client_id", APP_CLIENT_ID));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error_codes").get(0).asInt()).isEqualTo(900144);
        TestClient.Response unsupported = client.token(form("grant_type", "authorization_code", "client_id", APP_CLIENT_ID));
        assertThat(unsupported.json().get("error").asText()).isEqualTo("unsupported_grant_type");
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode readBase64Json(String value) {
        try {
            return TestClient.JSON.readTree(Base64.getUrlDecoder().decode(value));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static KeyStore appStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(emulator.appCertificatePkcs12())) {
            store.load(in, APP_CERTIFICATE_PASSWORD.toCharArray());
        }
        return store;
    }

    private static PrivateKey appKey() throws Exception {
        KeyStore store = appStore();
        return (PrivateKey) store.getKey(store.aliases().nextElement(), APP_CERTIFICATE_PASSWORD.toCharArray());
    }

    private static X509Certificate appCertificate() throws Exception {
        KeyStore store = appStore();
        return (X509Certificate) store.getCertificate(store.aliases().nextElement());
    }

    private String assertion(PrivateKey key, X509Certificate certificate, String thumbprintHeader) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String algorithm = thumbprintHeader.equals("x5t") ? "SHA-1" : "SHA-256";
        String thumbprint = b64.encodeToString(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"" + thumbprintHeader + "\":\"" + thumbprint + "\"}";
        long now = System.currentTimeMillis() / 1000;
        String payload = "{\"aud\":\"" + emulator.authority() + "/oauth2/v2.0/token\",\"iss\":\"" + APP_CLIENT_ID
                + "\",\"sub\":\"" + APP_CLIENT_ID + "\",\"jti\":\"" + UUID.randomUUID() + "\",\"nbf\":" + now + ",\"exp\":" + (now + 600) + "}";
        String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(signature.sign());
    }
}
