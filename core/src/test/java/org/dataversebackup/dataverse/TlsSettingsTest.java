package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import javax.net.ssl.SSLException;

import org.apache.camel.impl.DefaultCamelContext;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.auth.AuthenticationException;
import org.dataversebackup.auth.AuthenticationException.Problem;
import org.dataversebackup.auth.DataverseTokenProvider;
import org.dataversebackup.auth.LogMasking;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataverse.tls.*}: the sign-in (msal4j) and the Dataverse calls trust the emulator's
 * self-signed certificate through the configuration alone, with no {@code javax.net.ssl.*}
 * system property set.
 */
class TlsSettingsTest {
    private static final String JVM_TRUST_STORE = "javax.net.ssl.trustStore";
    /** Not the emulator's own password ("emulator", a word of host and path names): masking it is checkable. */
    private static final String PASSWORD = "tls-Store-Secret-42";
    private static final RetryPolicy ONE_ATTEMPT = new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10),
            Duration.ofSeconds(1));

    @TempDir
    static Path folder;
    private static DataverseEmulator emulator;
    private static Path trustStore;

    @BeforeAll
    static void start() throws Exception {
        emulator = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(3, 2, 2)).start();
        trustStore = rekeyed(emulator.trustStore(), emulator.trustStorePassword(), folder.resolve("trust.p12"));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void noJvmTrustStore() {
        // the surefire JVM is shared with tests that point it at an emulator for a while (EmulatorTrust)
        Assumptions.assumeTrue(System.getProperty(JVM_TRUST_STORE) == null, "a JVM-wide trust store is set");
    }

    @AfterEach
    void stillNoJvmTrustStore() {
        assertThat(System.getProperty(JVM_TRUST_STORE)).as("set by the code under test").isNull();
    }

    @Test
    void signInAndDataverseCallsTrustTheConfiguredTrustStore() throws Exception {
        AuthSettings auth = read(withTrustStore(PASSWORD), AuthSettings::from);
        assertThat(auth.tls().trustStore()).contains(trustStore);
        DataverseTokenProvider tokens = DataverseTokenProvider.create(auth);

        DataverseClient client = client(tokens, read(withTrustStore(PASSWORD), TlsSettings::from));
        assertThat(client.getJson("WhoAmI").path("UserId").asText()).isEqualTo(EmulatorIdentities.APP_USER_ID);

        assertThat(auth.toString()).doesNotContain(PASSWORD);
        assertThat(LogMasking.mask("opened with " + PASSWORD)).isEqualTo("opened with ****");
    }

    @Test
    void withoutTheTrustStoreTheSelfSignedCertificateIsRefused() throws Exception {
        AuthSettings untrusting = read(connection(), AuthSettings::from);
        assertThat(untrusting.tls().trustStore()).isEmpty();
        // the sign-in translates the handshake failure into its own message
        assertThatThrownBy(() -> DataverseTokenProvider.create(untrusting).current())
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("TLS failed")
                .satisfies(e -> assertThat(((AuthenticationException) e).problem())
                        .isEqualTo(Problem.AUTHORITY_UNREACHABLE));

        // a valid token, so that only TLS can fail
        DataverseTokenProvider tokens = DataverseTokenProvider.create(read(withTrustStore(PASSWORD), AuthSettings::from));
        DataverseClient client = client(tokens, read(connection(), TlsSettings::from));
        assertThatThrownBy(() -> client.getJson("WhoAmI")).isInstanceOf(DataverseException.class)
                .satisfies(e -> assertThat(tlsFailure(e)).as("TLS failure in %s", e).isTrue());
    }

    @Test
    void aWrongPasswordNamesTheKeyAndNotThePassword() throws Exception {
        String wrong = "wrong-Password-7";
        TlsSettings tls = read(withTrustStore(wrong), TlsSettings::from);
        assertThatThrownBy(tls::sslContext).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(TlsSettings.TRUST_STORE_PASSWORD).hasMessageContaining(trustStore.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong, PASSWORD));

        // the sign-in reports it as the configuration error it is
        AuthSettings auth = read(withTrustStore(wrong), AuthSettings::from);
        assertThatThrownBy(() -> DataverseTokenProvider.create(auth).current()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(TlsSettings.TRUST_STORE_PASSWORD);
    }

    @Test
    void aMissingFileNamesTheKeyAndTheFile() throws Exception {
        Map<String, String> values = withTrustStore(PASSWORD);
        Path missing = folder.resolve("missing.p12");
        values.put(TlsSettings.TRUST_STORE, missing.toString());
        TlsSettings tls = read(values, TlsSettings::from);
        assertThatThrownBy(tls::sslContext).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(TlsSettings.TRUST_STORE + "'").hasMessageContaining(missing.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void anUnknownTypeNamesTheTypeKey() throws Exception {
        Map<String, String> values = withTrustStore(PASSWORD);
        values.put(TlsSettings.TRUST_STORE_TYPE, "NO-SUCH-TYPE");
        TlsSettings tls = read(values, TlsSettings::from);
        assertThatThrownBy(tls::sslContext).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(TlsSettings.TRUST_STORE_TYPE).hasMessageContaining("NO-SUCH-TYPE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void theContextIsBuiltOncePerSettings() throws Exception {
        TlsSettings tls = read(withTrustStore(PASSWORD), TlsSettings::from);
        assertThat(tls.sslContext()).isSameAs(tls.sslContext());
        assertThat(tls.trustStoreType()).isEqualTo(TlsSettings.DEFAULT_TYPE);
        assertThat(tls.toString()).contains(trustStore.toString()).doesNotContain(PASSWORD);
    }

    /** dataverse.url and auth.* for the emulator's application user; no TLS settings. */
    private static Map<String, String> connection() {
        Map<String, String> values = new HashMap<>();
        values.put("dataverse.url", emulator.environmentUrl());
        values.put("auth.mode", "client-secret");
        values.put("auth.tenant-id", emulator.tenantId());
        values.put("auth.authority", emulator.authority());
        values.put("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        values.put("auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
        return values;
    }

    private static Map<String, String> withTrustStore(String password) {
        Map<String, String> values = connection();
        values.put(TlsSettings.TRUST_STORE, trustStore.toString());
        values.put(TlsSettings.TRUST_STORE_PASSWORD, password);
        return values;
    }

    /** Reads the values as a Camel application would: override properties of its properties component. */
    private static <T> T read(Map<String, String> values, Function<Settings, T> reader) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            values.forEach(context.getPropertiesComponent()::addOverrideProperty);
            return reader.apply(Settings.of(context));
        }
    }

    private static DataverseClient client(AccessTokens tokens, TlsSettings tls) {
        return new DataverseClient(URI.create(emulator.environmentUrl()), "9.2", tokens, ONE_ATTEMPT,
                Duration.ofSeconds(30), true, tls.sslContext());
    }

    private static boolean tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** The emulator's trust store under another password. */
    private static Path rekeyed(Path source, String password, Path target) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(source)) {
            store.load(in, password.toCharArray());
        }
        try (OutputStream out = Files.newOutputStream(target)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return target;
    }
}
