package org.dataversebackup.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.dataversebackup.config.Settings;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;

/**
 * The settings of a Dataverse environment served by an emulator, signed in as its application
 * user, trusting its certificate through the environment's own {@code tls.*} keys (nothing
 * JVM-wide): {@code dataverse.url}, {@code auth.*}, {@code dataverse.tls.*} for the default
 * environment, {@code dataverse.environments.<name>.*} for a named one.
 */
public final class EmulatorSettings {
    private EmulatorSettings() {
    }

    public static Map<String, String> of(String environment, DataverseEmulator emulator) {
        String prefix = Settings.DEFAULT_ENVIRONMENT.equals(environment) ? "" : Settings.ENVIRONMENTS_PREFIX + environment + ".";
        String dataverse = prefix.isEmpty() ? "dataverse." : prefix;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(dataverse + "url", emulator.environmentUrl());
        settings.put(dataverse + "tls.trust-store", emulator.trustStore().toString());
        settings.put(dataverse + "tls.trust-store-password", emulator.trustStorePassword());
        settings.put(prefix + "auth.mode", "client-secret");
        settings.put(prefix + "auth.tenant-id", emulator.tenantId());
        settings.put(prefix + "auth.authority", emulator.authority());
        settings.put(prefix + "auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        settings.put(prefix + "auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
        return settings;
    }

    /** Adds the settings to a context (as overrides: they win over any file). */
    public static void apply(CamelContext context, Map<String, String> settings) {
        settings.forEach(context.getPropertiesComponent()::addOverrideProperty);
    }
}
