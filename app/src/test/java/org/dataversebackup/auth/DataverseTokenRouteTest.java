package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.dataverse.AccessTokens;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code #dataverseToken} in ESB-style routes calling the emulator's WhoAmI through camel-http over
 * HTTPS: the YAML route runs in the application (beans registered from configuration), the Java
 * one in a plain CamelContext.
 */
class DataverseTokenRouteTest {
    private static EmulatorSupport support;
    private static DataverseEmulator emulator;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().port(0).start();
        support = new EmulatorSupport(emulator);
    }

    @AfterAll
    static void stop() {
        support.close();
    }

    @Test
    void aYamlRouteOfTheApplicationCallsWhoAmIAndRecoversFromA401() throws Exception {
        Path routes = Files.createDirectories(folder.resolve("routes"));
        Files.copy(Path.of("app/src/test/resources/esb/dataverse-whoami.camel.yaml"),
                routes.resolve("dataverse-whoami.camel.yaml"));
        Map<String, String> overrides = new HashMap<>();
        overrides.put("dataverse.url", emulator.environmentUrl());
        overrides.put("auth.mode", "client-secret");
        overrides.put("auth.tenant-id", EmulatorIdentities.TENANT_ID);
        overrides.put("auth.authority", emulator.authority());
        overrides.put("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        overrides.put("auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
        // camel-http trusts the emulator's certificate through Camel's global SSL configuration
        overrides.put("camel.ssl.enabled", "true");
        overrides.put("camel.ssl.trust-store", "file:" + emulator.trustStore());
        overrides.put("camel.ssl.trust-store-password", emulator.trustStorePassword());
        overrides.put("camel.component.https.use-global-ssl-context-parameters", "true");
        AppLocations locations = AppLocations.resolve(Path.of("config").toAbsolutePath(), routes, null,
                Path.of("").toAbsolutePath());
        try (CamelApplication app = CamelApplication.create(locations, overrides).start()) {
            assertThat(app.context().getRegistry().lookupByName("dataverseToken")).isInstanceOf(DataverseTokenProcessor.class);
            assertThat(app.context().getRegistry().lookupByName(org.dataversebackup.camel.BeanNames.ACCESS_TOKENS))
                    .isInstanceOf(AccessTokens.class);
            long before = emulator.tokenRequests();
            Exchange first = app.template().request("direct:dataverse-whoami", e -> { });
            assertThat(first.getException()).isNull();
            assertThat(first.getMessage().getBody(String.class)).contains(EmulatorIdentities.APP_USER_ID);
            assertThat(first.getMessage().getHeader("Authorization")).as("removed after the call").isNull();
            app.template().requestBody("direct:dataverse-whoami", null, String.class);
            assertThat(emulator.tokenRequests() - before).as("the token is reused").isEqualTo(1);

            emulator.revokeIssuedTokens();
            Exchange afterRevoke = app.template().request("direct:dataverse-whoami", e -> { });
            assertThat(afterRevoke.getException()).isNull();
            assertThat(afterRevoke.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
            assertThat(afterRevoke.getMessage().getBody(String.class)).contains(EmulatorIdentities.APP_USER_ID);
            assertThat(emulator.tokenRequests() - before).as("one renewal after the 401").isEqualTo(2);
        }
    }

    @Test
    void theApplicationsDataverseClientUsesTheProviderAndRenewsOnceAfterA401() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("dataverse.url", emulator.environmentUrl());
        overrides.put("auth.mode", "certificate");
        overrides.put("auth.authority", emulator.authority());
        overrides.put("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        overrides.put("auth.certificate-path", emulator.appCertificatePkcs12().toString());
        overrides.put("auth.certificate-password", EmulatorIdentities.APP_CERTIFICATE_PASSWORD);
        AppLocations locations = AppLocations.resolve(Path.of("config").toAbsolutePath(),
                Files.createDirectories(folder.resolve("no-routes")), null, Path.of("").toAbsolutePath());
        try (CamelApplication app = CamelApplication.create(locations, overrides).start()) {
            var client = app.context().getRegistry().lookupByNameAndType("dataverse-backup.default.dataverseClient",
                    org.dataversebackup.dataverse.DataverseClient.class);
            long before = emulator.tokenRequests();
            assertThat(client.getJson("WhoAmI").path("UserId").asText()).isEqualTo(EmulatorIdentities.APP_USER_ID);
            emulator.revokeIssuedTokens();
            assertThat(client.getJson("WhoAmI").path("UserId").asText()).isEqualTo(EmulatorIdentities.APP_USER_ID);
            assertThat(emulator.tokenRequests() - before).isEqualTo(2);
        }
    }

    @Test
    void aJavaRouteWithTheProcessorInAPlainCamelContext() throws Exception {
        DataverseTokenProvider provider = DataverseTokenProvider.create(support.settings(EmulatorSupport.Mode.CERTIFICATE_PEM,
                null));
        SSLContextParameters tls = new SSLContextParameters();
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setResource("file:" + emulator.trustStore());
        trustStore.setPassword(emulator.trustStorePassword());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        tls.setTrustManagers(trust);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("dataverseToken", new DataverseTokenProcessor(provider));
            context.getRegistry().bind("emulatorTls", tls);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:whoami").routeId("java-whoami")
                            .process("dataverseToken")
                            .to(emulator.environmentUrl() + "/api/data/v9.2/WhoAmI?httpMethod=GET"
                                    + "&sslContextParameters=#emulatorTls")
                            .removeHeader("Authorization")
                            .convertBodyTo(String.class);
                }
            });
            context.start();
            String body = context.createProducerTemplate().requestBody("direct:whoami", null, String.class);
            assertThat(body).contains("\"UserId\":\"" + EmulatorIdentities.APP_USER_ID + "\"");
        }
    }
}
