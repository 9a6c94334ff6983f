package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dataversebackup.emulator.EmulatorIdentities.*;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;

/**
 * msal4j 1.26.1 itself against the emulator: it accepts what the token endpoint serves and caches it.
 * The authority is AAD style with instance discovery off and the port workaround of
 * testing-notes.md (instance metadata keyed by host without port).
 */
@SuppressWarnings("deprecation")
class Msal4jAgainstEmulatorTest {
    static DataverseEmulator emulator;
    static TestClient client;
    static SSLSocketFactory sockets;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().port(0).tokenLifetime(Duration.ofHours(1))
                .deviceCodeInterval(Duration.ofSeconds(1)).start();
        client = new TestClient(emulator);
        sockets = TestClient.sslContext(emulator).getSocketFactory();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String instanceDiscovery() {
        String hostPort = "127.0.0.1:" + emulator.port();
        return "{\"tenant_discovery_endpoint\":\"" + emulator.authority() + "/v2.0/.well-known/openid-configuration\","
                + "\"api-version\":\"1.1\",\"metadata\":[{\"preferred_network\":\"127.0.0.1\",\"preferred_cache\":\""
                + hostPort + "\",\"aliases\":[\"127.0.0.1\",\"" + hostPort + "\"]}]}";
    }

    private static ConfidentialClientApplication confidential(IClientCredential credential) throws Exception {
        return ConfidentialClientApplication.builder(APP_CLIENT_ID, credential)
                .authority(emulator.authority() + "/")
                .instanceDiscovery(false)
                .aadInstanceDiscoveryResponse(instanceDiscovery())
                .sslSocketFactory(sockets)
                .build();
    }

    private static PublicClientApplication publicClient() throws Exception {
        return PublicClientApplication.builder(APP_CLIENT_ID)
                .authority(emulator.authority() + "/")
                .instanceDiscovery(false)
                .aadInstanceDiscoveryResponse(instanceDiscovery())
                .sslSocketFactory(sockets)
                .build();
    }

    @Test
    void clientSecretTokenIsAcceptedCachedAndWorksOnTheWebApi() throws Exception {
        ConfidentialClientApplication app = confidential(ClientCredentialFactory.createFromSecret(APP_CLIENT_SECRET));
        Set<String> scopes = Set.of(emulator.environmentUrl() + "/.default");
        long before = emulator.tokenRequests();
        IAuthenticationResult first = app.acquireToken(ClientCredentialParameters.builder(scopes).build()).get();
        IAuthenticationResult second = app.acquireToken(ClientCredentialParameters.builder(scopes).build()).get();
        assertThat(second.accessToken()).isEqualTo(first.accessToken());
        assertThat(emulator.tokenRequests()).isEqualTo(before + 1);
        assertThat(first.expiresOnDate()).isAfter(new java.util.Date(System.currentTimeMillis() + 50 * 60_000L));
        assertThat(client.api(first.accessToken(), "WhoAmI").json().get("UserId").asText()).isEqualTo(APP_USER_ID);
    }

    @Test
    void certificateCredentialFromThePkcs12FileWorks() throws Exception {
        IClientCredential credential;
        try (InputStream in = Files.newInputStream(emulator.appCertificatePkcs12())) {
            credential = ClientCredentialFactory.createFromCertificate(in, APP_CERTIFICATE_PASSWORD);
        }
        IAuthenticationResult result = confidential(credential)
                .acquireToken(ClientCredentialParameters.builder(Set.of(emulator.environmentUrl() + "/.default")).build()).get();
        assertThat(client.api(result.accessToken(), "WhoAmI").status()).isEqualTo(200);
    }

    @Test
    void wrongSecretSurfacesAsMsalServiceExceptionWithTheAadstsCode() throws Exception {
        ConfidentialClientApplication app = confidential(ClientCredentialFactory.createFromSecret("wrong-secret"));
        assertThatThrownBy(() -> app.acquireToken(ClientCredentialParameters.builder(
                Set.of(emulator.environmentUrl() + "/.default")).build()).get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(MsalServiceException.class)
                .hasMessageContaining("AADSTS7000215")
                .satisfies(e -> assertThat(((MsalServiceException) e).errorCode()).isEqualTo("invalid_client"));
    }

    @Test
    void passwordGrantCachesTheAccountAndSilentCallsUseTheCache() throws Exception {
        PublicClientApplication app = publicClient();
        Set<String> scopes = Set.of(emulator.environmentUrl() + "/user_impersonation");
        IAuthenticationResult result = app.acquireToken(UserNamePasswordParameters
                .builder(scopes, ADMIN_USER, USER_PASSWORD.toCharArray()).build()).get();
        assertThat(client.api(result.accessToken(), "WhoAmI").json().get("UserId").asText()).isEqualTo(ADMIN_USER_ID);
        Set<IAccount> accounts = app.getAccounts().get();
        assertThat(accounts).hasSize(1);
        IAccount account = accounts.iterator().next();
        assertThat(account.username()).isEqualTo(ADMIN_USER);
        long before = emulator.tokenRequests();
        IAuthenticationResult silent = app.acquireTokenSilently(SilentParameters.builder(scopes, account).build()).get();
        assertThat(silent.accessToken()).isEqualTo(result.accessToken());
        assertThat(emulator.tokenRequests()).isEqualTo(before);

        // forced refresh goes through the refresh token grant, on the emulator's port
        IAuthenticationResult refreshed = app.acquireTokenSilently(SilentParameters.builder(scopes, account)
                .forceRefresh(true).build()).get();
        assertThat(refreshed.accessToken()).isNotEqualTo(result.accessToken());
        assertThat(emulator.tokenRequests()).isEqualTo(before + 1);
        assertThat(client.api(refreshed.accessToken(), "WhoAmI").status()).isEqualTo(200);
    }

    @Test
    void mfaUserFailsThePasswordGrant() throws Exception {
        PublicClientApplication app = publicClient();
        assertThatThrownBy(() -> app.acquireToken(UserNamePasswordParameters.builder(
                Set.of(emulator.environmentUrl() + "/user_impersonation"), MFA_USER, USER_PASSWORD.toCharArray()).build()).get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("AADSTS50076");
    }

    @Test
    void deviceCodeFlowCompletesWhenApproved() throws Exception {
        PublicClientApplication app = publicClient();
        Set<String> scopes = Set.of(emulator.environmentUrl() + "/user_impersonation");
        IAuthenticationResult result = app.acquireToken(DeviceCodeFlowParameters.builder(scopes,
                deviceCode -> emulator.approveDeviceCode(deviceCode.userCode(), READ_ONLY_USER)).build()).get();
        assertThat(client.api(result.accessToken(), "WhoAmI").json().get("UserId").asText()).isEqualTo(READ_ONLY_USER_ID);
        assertThat(result.account().username()).isEqualTo(READ_ONLY_USER);
    }
}
