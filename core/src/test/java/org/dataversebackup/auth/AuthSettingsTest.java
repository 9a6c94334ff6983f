package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

    private static AuthSettings read(Map<String, String> values) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.putAll(values);
            context.getPropertiesComponent().setInitialProperties(properties);
            return AuthSettings.from(Settings.of(context));
        }
    }

    private static Map<String, String> base(String mode) {
        Map<String, String> values = new HashMap<>();
        values.put("dataverse.url", "https://contoso.crm.dynamics.com/");
        values.put("auth.mode", mode);
        values.put("auth.tenant-id", "11111111-2222-3333-4444-555555555555");
        values.put("auth.client-id", "app-id");
        return values;
    }

    @Test
    void clientSecretModeDefaultsToThePublicCloudAndTheDefaultScope() throws Exception {
        Map<String, String> values = base("client-secret");
        values.put("auth.client-secret", "s3cret-value");
        AuthSettings settings = read(values);
        assertThat(settings.mode()).isEqualTo(AuthMode.CLIENT_SECRET);
        assertThat(settings.authority().url())
                .isEqualTo("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/");
        assertThat(settings.authority().microsoftCloud()).isTrue();
        assertThat(settings.scopes()).containsExactly("https://contoso.crm.dynamics.com/.default");
        assertThat(settings.toString()).doesNotContain("s3cret-value").contains("clientSecret=****");
    }

    @Test
    void userModesAskForUserImpersonationAndOfflineAccess() throws Exception {
        Map<String, String> values = base("device-code");
        AuthSettings settings = read(values);
        assertThat(settings.scopes()).containsExactly("https://contoso.crm.dynamics.com/user_impersonation",
                "offline_access");
        assertThat(settings.silentScopes()).containsExactly("https://contoso.crm.dynamics.com/user_impersonation");
        assertThat(settings.tokenCache()).isEqualTo(AuthSettings.defaultTokenCache());
        assertThat(AuthSettings.defaultTokenCache().toString()).startsWith(System.getProperty("user.home"));
    }

    @Test
    void tokenCachePathIsConfigurableWithTheHomeFolderShorthand() throws Exception {
        Map<String, String> values = base("device-code");
        values.put("auth.token-cache", "~/tokens/dv.json");
        assertThat(read(values).tokenCache()).isEqualTo(Path.of(System.getProperty("user.home"), "tokens", "dv.json"));
    }

    @Test
    void eachModeNamesTheMissingKey() {
        assertThatThrownBy(() -> read(base("client-secret"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'auth.client-secret' is required").hasMessageContaining("AUTH_CLIENT_SECRET");
        assertThatThrownBy(() -> read(base("certificate"))).hasMessageContaining("'auth.certificate-path'");
        assertThatThrownBy(() -> read(base("password"))).hasMessageContaining("'auth.username'");
        Map<String, String> noPassword = base("password");
        noPassword.put("auth.username", "user@contoso.com");
        assertThatThrownBy(() -> read(noPassword)).hasMessageContaining("'auth.password'");
        Map<String, String> noClient = base("device-code");
        noClient.remove("auth.client-id");
        assertThatThrownBy(() -> read(noClient)).hasMessageContaining("'auth.client-id'");
        Map<String, String> noUrl = base("device-code");
        noUrl.remove("dataverse.url");
        assertThatThrownBy(() -> read(noUrl)).hasMessageContaining("'dataverse.url'");
        Map<String, String> noTenant = base("device-code");
        noTenant.remove("auth.tenant-id");
        assertThatThrownBy(() -> read(noTenant)).hasMessageContaining("'auth.tenant-id'")
                .hasMessageContaining("'auth.authority'");
    }

    @Test
    void anUnknownModeListsTheValidOnes() {
        assertThatThrownBy(() -> read(base("kerberos"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'auth.mode'").hasMessageContaining("client-secret, certificate, device-code, password")
                .hasMessageContaining("kerberos");
    }

    @Test
    void theEnvironmentUrlMustBeHttpsWithoutPath() {
        Map<String, String> values = base("device-code");
        values.put("dataverse.url", "http://contoso.crm.dynamics.com");
        assertThatThrownBy(() -> read(values)).hasMessageContaining("'dataverse.url'").hasMessageContaining("https://");
        values.put("dataverse.url", "https://contoso.crm.dynamics.com/api/data/v9.2");
        assertThatThrownBy(() -> read(values)).hasMessageContaining("'dataverse.url'").hasMessageContaining("path");
        values.put("dataverse.url", "https://Contoso.CRM.dynamics.com:443/");
        assertThat(AuthSettings.environmentUrl("https://Contoso.CRM.dynamics.com:443/").toString())
                .isEqualTo("https://contoso.crm.dynamics.com");
        assertThat(AuthSettings.environmentUrl("https://127.0.0.1:8443").toString()).isEqualTo("https://127.0.0.1:8443");
    }

    @Test
    void anAuthorityReadsTheTenantAndKnowsTheMicrosoftClouds() {
        Authority gov = Authority.parse("https://login.microsoftonline.us/contoso.onmicrosoft.us/");
        assertThat(gov.tenant()).isEqualTo("contoso.onmicrosoft.us");
        assertThat(gov.microsoftCloud()).isTrue();
        assertThat(gov.instanceDiscoveryResponse()).isNull();
        Authority china = Authority.parse("https://login.partner.microsoftonline.cn/tenant");
        assertThat(china.microsoftCloud()).isTrue();
        assertThat(china.adminConsentUrl("app id"))
                .isEqualTo("https://login.partner.microsoftonline.cn/tenant/adminconsent?client_id=app+id");
        Authority v2 = Authority.parse("https://login.microsoftonline.com/tenant/v2.0");
        assertThat(v2.url()).isEqualTo("https://login.microsoftonline.com/tenant/");
    }

    @Test
    void aCustomAuthorityOnAnotherPortGetsInstanceMetadataKeepingThePort() {
        Authority local = Authority.parse("https://127.0.0.1:8443/tenant");
        assertThat(local.custom()).isTrue();
        assertThat(local.url()).isEqualTo("https://127.0.0.1:8443/tenant/");
        assertThat(local.instanceDiscoveryResponse())
                .contains("\"preferred_network\":\"127.0.0.1\"", "\"preferred_cache\":\"127.0.0.1:8443\"",
                        "\"aliases\":[\"127.0.0.1\",\"127.0.0.1:8443\"]");
        assertThat(local.adminConsentUrl("app")).isEqualTo("https://127.0.0.1:8443/tenant/adminconsent?client_id=app");
        Authority proxy = Authority.parse("https://login.proxy.example/tenant");
        assertThat(proxy.custom()).isTrue();
        assertThat(proxy.instanceDiscoveryResponse()).isNull();
    }

    @Test
    void anInvalidAuthorityIsAConfigurationError() {
        assertThatThrownBy(() -> Authority.parse("http://login.microsoftonline.com/tenant"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'auth.authority'").hasMessageContaining("https");
        assertThatThrownBy(() -> Authority.parse("https://login.microsoftonline.com/"))
                .hasMessageContaining("'auth.tenant-id'");
        assertThatThrownBy(() -> Authority.parse("https://login.microsoftonline.com/tenant/oauth2/v2.0/token"))
                .hasMessageContaining("'auth.authority'");
    }

    @Test
    void theBundledConfigurationResolvesTheDefaultAuthorityFromTheTenant() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:config/application.properties");
            Properties overrides = new Properties();
            overrides.put("dataverse.url", "https://contoso.crm.dynamics.com");
            overrides.put("auth.tenant-id", "contoso.onmicrosoft.com");
            overrides.put("auth.client-id", "app");
            overrides.put("auth.client-secret", "a-secret");
            context.getPropertiesComponent().setOverrideProperties(overrides);
            AuthSettings settings = AuthSettings.from(Settings.of(context));
            assertThat(settings.authority().toString()).isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com");
        }
    }

    private static java.util.LinkedHashMap<String, AuthSettings> connections(Map<String, String> values, String environment)
            throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.putAll(values);
            context.getPropertiesComponent().setInitialProperties(properties);
            return AuthSettings.connections(Settings.of(context).forEnvironment(environment));
        }
    }

    @Test
    void extraConnectionsTakeTheirCredentialsFromTheirOwnKeysAndTheRestFromTheMainAccount() throws Exception {
        Map<String, String> values = base("client-secret");
        values.put("auth.client-secret", "main-secret");
        values.put("auth.connections", "reader2, reader3");
        values.put("auth.connections.reader2.client-id", "app-2");
        values.put("auth.connections.reader2.client-secret", "secret-2");
        values.put("auth.connections.reader3.client-id", "app-3");
        values.put("auth.connections.reader3.mode", "certificate");
        values.put("auth.connections.reader3.certificate-path", "/etc/app3.pfx");
        var all = connections(values, "default");
        assertThat(all.keySet()).containsExactly("main", "reader2", "reader3");
        assertThat(all.get("reader2").clientId()).isEqualTo("app-2");
        assertThat(all.get("reader2").mode()).isEqualTo(AuthMode.CLIENT_SECRET);
        assertThat(all.get("reader2").authority().url()).isEqualTo(all.get("main").authority().url());
        assertThat(all.get("reader2").tokenHolder()).isEqualTo("application app-2");
        assertThat(all.get("reader3").mode()).isEqualTo(AuthMode.CERTIFICATE);

        // a secret is never borrowed from the main account
        values.remove("auth.connections.reader2.client-secret");
        assertThatThrownBy(() -> connections(values, "default")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("auth.connections.reader2.client-secret");
    }

    @Test
    void anExtraConnectionIsAnApplicationUserOfItsOwn() throws Exception {
        Map<String, String> values = base("client-secret");
        values.put("auth.client-secret", "main-secret");
        values.put("auth.connections", "again");
        values.put("auth.connections.again.client-id", "APP-ID");
        values.put("auth.connections.again.client-secret", "x");
        assertThatThrownBy(() -> connections(values, "default")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is the client id of connection 'main' too");
        values.put("auth.connections.again.client-id", "other");
        values.put("auth.connections.again.mode", "device-code");
        assertThatThrownBy(() -> connections(values, "default")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("auth.connections.again.mode is device-code");
        values.put("auth.connections", "Bad_Name");
        assertThatThrownBy(() -> connections(values, "default")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'Bad_Name'");
    }

    @Test
    void aNamedEnvironmentHasConnectionsOfItsOwn() throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("dataverse.environments.sales.url", "https://sales.crm.dynamics.com");
        values.put("dataverse.environments.sales.auth.tenant-id", "11111111-2222-3333-4444-555555555555");
        values.put("dataverse.environments.sales.auth.client-id", "sales-main");
        values.put("dataverse.environments.sales.auth.client-secret", "s");
        values.put("dataverse.environments.sales.auth.connections", "second");
        values.put("dataverse.environments.sales.auth.connections.second.client-id", "sales-2");
        values.put("dataverse.environments.sales.auth.connections.second.client-secret", "s2");
        // the default environment's connections are not the sales environment's
        values.put("auth.connections", "elsewhere");
        var all = connections(values, "sales");
        assertThat(all.keySet()).containsExactly("main", "second");
        assertThat(all.get("second").clientId()).isEqualTo("sales-2");
        assertThat(all.get("second").dataverseUrl().toString()).startsWith("https://sales.crm.dynamics.com");
    }
}
