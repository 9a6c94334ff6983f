package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dataversebackup.auth.AuthenticationException.Problem;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Entra ID answers (as the emulator reproduces it) becomes a message that says what to do. */
class AuthenticationErrorsEmulatorTest {
    private static final String WRONG_SECRET = "wrong-client-secret-value";
    private static final String WRONG_PASSWORD = "Wrong-Passw0rd!";
    private static EmulatorSupport support;
    private static DataverseEmulator emulator;
    private static CapturedLogs logs;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        logs = new CapturedLogs();
        emulator = DataverseEmulator.builder().port(0).deviceCodeInterval(Duration.ofSeconds(1)).start();
        support = new EmulatorSupport(emulator);
    }

    @AfterAll
    static void stopAndCheckTheLog() {
        support.close();
        logs.close();
        for (String log : List.of(logs.formatted(), logs.raw("org.dataversebackup"))) {
            assertThat(log).doesNotContain(WRONG_SECRET, WRONG_PASSWORD, EmulatorIdentities.APP_CLIENT_SECRET,
                    EmulatorIdentities.UNCONSENTED_CLIENT_SECRET, EmulatorIdentities.USER_PASSWORD, "0.EMU.", "eyJ");
        }
    }

    private static AuthenticationException failure(AuthSettings settings) {
        DataverseTokenProvider provider = DataverseTokenProvider.create(settings);
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class, provider::current);
        assertThat(e).as("sign-in fails").isNotNull();
        assertThat(e.getMessage()).doesNotContain(WRONG_SECRET, WRONG_PASSWORD, EmulatorIdentities.USER_PASSWORD);
        return e;
    }

    @Test
    void consentNotGrantedNamesTheAdminConsentUrl() {
        AuthenticationException e = failure(support.base(AuthMode.CLIENT_SECRET)
                .clientId(EmulatorIdentities.UNCONSENTED_CLIENT_ID)
                .clientSecret(EmulatorIdentities.UNCONSENTED_CLIENT_SECRET).build());
        assertThat(e.problem()).isEqualTo(Problem.CONSENT_REQUIRED);
        assertThat(e.errorCode()).isEqualTo("AADSTS65001");
        assertThat(e.getMessage()).contains("Global Administrator", emulator.authority() + "/adminconsent?client_id="
                + EmulatorIdentities.UNCONSENTED_CLIENT_ID);
    }

    @Test
    void consentNotGrantedForAUserFlowToo() {
        AuthenticationException e = failure(support.base(AuthMode.PASSWORD)
                .clientId(EmulatorIdentities.UNCONSENTED_CLIENT_ID).username(EmulatorIdentities.ADMIN_USER)
                .password(EmulatorIdentities.USER_PASSWORD).build());
        assertThat(e.problem()).isEqualTo(Problem.CONSENT_REQUIRED);
    }

    @Test
    void aWrongClientSecret() {
        AuthenticationException e = failure(support.base(AuthMode.CLIENT_SECRET).clientSecret(WRONG_SECRET).build());
        assertThat(e.problem()).isEqualTo(Problem.INVALID_CLIENT_SECRET);
        assertThat(e.getMessage()).startsWith("AADSTS7000215").contains("'auth.client-secret'");
    }

    @Test
    void aWrongPassword() {
        AuthenticationException e = failure(support.base(AuthMode.PASSWORD).username(EmulatorIdentities.ADMIN_USER)
                .password(WRONG_PASSWORD).build());
        assertThat(e.problem()).isEqualTo(Problem.INVALID_USER_CREDENTIALS);
        assertThat(e.getMessage()).startsWith("AADSTS50126").contains(EmulatorIdentities.ADMIN_USER);
    }

    @Test
    void anAccountThatRequiresMfaCannotUseThePasswordMode() {
        AuthenticationException e = failure(support.base(AuthMode.PASSWORD).username(EmulatorIdentities.MFA_USER)
                .password(EmulatorIdentities.USER_PASSWORD).build());
        assertThat(e.problem()).isEqualTo(Problem.MFA_REQUIRED);
        assertThat(e.getMessage()).startsWith("AADSTS50076").contains("auth.mode=device-code", "application user");
    }

    @Test
    void anUnknownApplication() {
        AuthenticationException e = failure(support.base(AuthMode.CLIENT_SECRET)
                .clientId(EmulatorIdentities.UNKNOWN_CLIENT_ID).clientSecret(WRONG_SECRET).build());
        assertThat(e.problem()).isEqualTo(Problem.APPLICATION_NOT_FOUND);
        assertThat(e.getMessage()).startsWith("AADSTS700016").contains("'auth.client-id'");
    }

    @Test
    void aCertificateThatIsNotRegisteredOnTheApplication() throws Exception {
        TestCertificates other = TestCertificates.rsa("not registered");
        Path pem = TestCertificates.write(folder.resolve("other.pem"), other.pemKeyAndCertificate());
        AuthenticationException e = failure(support.base(AuthMode.CERTIFICATE).certificatePath(pem).build());
        assertThat(e.problem()).isEqualTo(Problem.INVALID_CLIENT_CERTIFICATE);
        assertThat(e.getMessage()).startsWith("AADSTS700027").contains("Certificates & secrets");
    }

    @Test
    void aWrongTenant() {
        AuthenticationException e = failure(support.base(AuthMode.CLIENT_SECRET)
                .authority(emulator.environmentUrl() + "/00000000-0000-0000-0000-000000000000")
                .clientSecret(EmulatorIdentities.APP_CLIENT_SECRET).build());
        assertThat(e.problem()).isEqualTo(Problem.TENANT_NOT_FOUND);
        assertThat(e.getMessage()).contains("'auth.tenant-id'");
    }

    @Test
    void aDeclinedDeviceCodeSignIn() {
        List<String> shown = new CopyOnWriteArrayList<>();
        AuthSettings settings = support.base(AuthMode.DEVICE_CODE).tokenCache(folder.resolve("cache.json")).build();
        DataverseTokenProvider provider = DataverseTokenProvider.builder(settings).deviceCodePrompt((url, code, ttl) -> {
            shown.add(code);
            emulator.declineDeviceCode(code);
        }).build();
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class, provider::current);
        assertThat(e.problem()).isEqualTo(Problem.SIGN_IN_REQUIRED);
        assertThat(e.getMessage()).contains("declined", "dataverse-backup login");
        assertThat(shown).hasSize(1);
    }

    @Test
    void anUnreachableAuthorityNamesHostAndPort() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long started = System.nanoTime();
        AuthenticationException e = failure(support.base(AuthMode.CLIENT_SECRET)
                .authority("https://127.0.0.1:" + closedPort + "/" + EmulatorIdentities.TENANT_ID)
                .clientSecret(EmulatorIdentities.APP_CLIENT_SECRET).build());
        assertThat(e.problem()).isEqualTo(Problem.AUTHORITY_UNREACHABLE);
        assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort, "'auth.authority'");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void anUntrustedAuthorityCertificateSaysHowToTrustIt() throws Exception {
        // a trust store that holds some other certificate: the emulator's is not trusted
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("other", TestCertificates.rsa("other CA").certificate);
        Path other = folder.resolve("other-truststore.p12");
        try (var out = java.nio.file.Files.newOutputStream(other)) {
            store.store(out, emulator.trustStorePassword().toCharArray());
        }
        String saved = System.getProperty("javax.net.ssl.trustStore");
        System.setProperty("javax.net.ssl.trustStore", other.toString());
        try {
            AuthenticationException e = failure(support.base(AuthMode.CLIENT_SECRET)
                    .clientSecret(EmulatorIdentities.APP_CLIENT_SECRET).build());
            assertThat(e.problem()).isEqualTo(Problem.AUTHORITY_UNREACHABLE);
            assertThat(e.getMessage()).contains("TLS failed", "dataverse.tls.trust-store");
        } finally {
            System.setProperty("javax.net.ssl.trustStore", saved);
        }
    }
}
