package org.dataversebackup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.camel.impl.DefaultCamelContext;
import org.dataversebackup.auth.AuthSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A named environment's view of the configuration: its own connection, shared fallbacks for the rest. */
class EnvironmentSettingsTest {
    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() {
        context.stop();
    }

    private Settings settings(String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            context.getPropertiesComponent().addOverrideProperty(keyValues[i], keyValues[i + 1]);
        }
        return Settings.of(context);
    }

    @Test
    void aNamedEnvironmentNeverBorrowsTheDefaultConnectionButSharesTheRest() {
        Settings settings = settings("dataverse.url", "https://default.crm.dynamics.com", "auth.client-secret", "default-secret",
                "backup.target", "file:shared", "dataverse.max-attempts", "4",
                "dataverse.environments.prod.url", "https://prod.crm.dynamics.com",
                "dataverse.environments.prod.backup.target", "s3://prod/dv");
        Settings prod = settings.forEnvironment("prod");
        assertThat(prod.optional("dataverse.url")).contains("https://prod.crm.dynamics.com");
        assertThat(prod.optional("auth.client-secret")).isEmpty();
        assertThat(prod.optional("backup.target")).contains("s3://prod/dv");
        assertThat(prod.intValue("dataverse.max-attempts", 10)).isEqualTo(4);
        assertThat(settings.forEnvironment("default").optional("backup.target")).contains("file:shared");
        assertThat(settings.environments()).containsExactly("default", "prod");
    }

    @Test
    void missingAndInvalidKeysOfANamedEnvironmentAreNamedAsItsOwn() {
        Settings prod = settings("dataverse.environments.prod.url", "https://prod.crm.dynamics.com",
                "auth.client-id", "the-default-environments-app").forEnvironment("prod");
        assertThatThrownBy(() -> AuthSettings.from(prod)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'dataverse.environments.prod.auth.client-id'");
        Settings broken = settings("dataverse.environments.test.url", "http://test.crm.dynamics.com").forEnvironment("test");
        assertThatThrownBy(() -> AuthSettings.environmentUrl(broken)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'dataverse.environments.test.url'");
    }

    @Test
    void durationsAreIso8601OrSecondsAndANamedEnvironmentMayHaveItsOwn() {
        Settings settings = settings("retry.max-throttle-wait", "PT45M", "dataverse.environments.prod.url",
                "https://prod.crm.dynamics.com", "dataverse.environments.prod.retry.max-throttle-wait", "600",
                "dataverse.environments.test.retry.max-throttle-wait", "soon");
        assertThat(settings.durationValue("retry.max-throttle-wait", Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(45));
        assertThat(settings.forEnvironment("prod").durationValue("retry.max-throttle-wait", Duration.ofMinutes(30)))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.durationValue("retry.unset", Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> settings.forEnvironment("test").durationValue("retry.max-throttle-wait", Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'dataverse.environments.test.retry.max-throttle-wait'").hasMessageContaining("PT30M");
    }

    @Test
    void environmentNamesThatCannotBePartOfARouteIdAreRefused() {
        assertThatThrownBy(() -> settings("dataverse.environments.Prod_EU.url", "https://x.crm.dynamics.com").environments())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("Prod_EU");
    }
}
