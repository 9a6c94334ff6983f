package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A dataverse.url that is not the Web API, or that nothing answers at, is found at the first request
 * (WhoAmI) as a configuration error naming the URL, fast: not after minutes of retries, not as a
 * failed table. The server here is a web site over HTTPS, not the emulator: the emulator is Dataverse.
 */
class FirstContactTest {
    private static HttpsServer site;
    private static SSLContext clientTls;
    private static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void startAWebSite() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X500Name name = new X500Name("CN=127.0.0.1");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)), name,
                keys.getPublic()).addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("site", keys.getPrivate(), password, new Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        site = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        site.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in</body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.createContext("/moved", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Location", "https://login.example.com/sign-in");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        site.start();
    }

    @AfterAll
    static void stop() {
        site.stop(0);
    }

    private static DataverseClient client(String url) {
        AccessTokens tokens = FixedToken.INSTANCE;
        return new DataverseClient(URI.create(url), "9.2", tokens,
                new RetryPolicy(10, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(5)), Duration.ofSeconds(10),
                true, clientTls);
    }

    @Test
    void aWebSiteAnsweringHtmlIsNotTheWebApi() {
        String url = "https://127.0.0.1:" + site.getAddress().getPort();
        int before = requests.get();
        assertThatThrownBy(() -> EnvironmentInfo.whoAmI(client(url))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(url).hasMessageContaining("text/html").hasMessageContaining("not the Dataverse Web API")
                .hasMessageContaining("dataverse.url");
        assertThat(requests.get() - before).as("a page is an answer: not asked again").isEqualTo(1);
    }

    @Test
    void aRedirectIsNotTheWebApi() {
        String url = "https://127.0.0.1:" + site.getAddress().getPort() + "/moved";
        assertThatThrownBy(() -> EnvironmentInfo.whoAmI(client(url))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("No Dataverse Web API answers at " + url).hasMessageContaining("302");
    }

    @Test
    void nothingListeningIsFoundAfterAFewAttemptsNotTheTenOfATableRead() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String url = "https://127.0.0.1:" + port;
        assertThatThrownBy(() -> EnvironmentInfo.whoAmI(client(url))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Dataverse at " + url + " cannot be reached")
                .hasMessageContaining("after " + DataverseClient.FIRST_CONTACT_ATTEMPTS + " attempts")
                .hasMessageContaining("dataverse.url");
    }

    @Test
    void aHostThatDoesNotResolveIsNotRetried() {
        assertThatThrownBy(() -> EnvironmentInfo.whoAmI(client("https://no-such-environment.invalid")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no-such-environment.invalid is not known");
    }
}
