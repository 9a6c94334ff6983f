package org.dataversebackup.app;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.TlsSettings;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code demo} profile's Dataverse: when {@code demo.emulator=true}, the bundled emulator
 * starts with a generated data set before anything connects, and the connection settings
 * (dataverse.url, auth.*, and dataverse.tls.* for its self-signed certificate) point at it, as
 * override properties of this Camel context only: no JVM-wide setting changes. It stops with Camel.
 */
final class DemoEnvironment extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(DemoEnvironment.class);
    private final DataverseEmulator emulator;

    private DemoEnvironment(DataverseEmulator emulator) {
        this.emulator = emulator;
    }

    /** camel-main configuration: starts the demo emulator when {@code demo.emulator=true}. */
    public static final class Configuration implements CamelConfiguration {
        @Override
        public void configure(CamelContext context) {
            startIfEnabled(context, Settings.of(context));
        }
    }

    static void startIfEnabled(CamelContext context, Settings settings) {
        if (!settings.booleanValue("demo.emulator", false)) {
            return;
        }
        DataSetSpec spec = DataSetSpec.builder()
                .accounts(settings.intValue("demo.accounts", 500))
                .contactsPerAccount(settings.intValue("demo.contacts-per-account", 3))
                .projects(settings.intValue("demo.projects", 100))
                .build();
        DataverseEmulator emulator = DataverseEmulator.builder().port(settings.intValue("demo.port", 0)).generate(spec).start();
        var properties = context.getPropertiesComponent();
        properties.addOverrideProperty("dataverse.url", emulator.environmentUrl());
        properties.addOverrideProperty(TlsSettings.TRUST_STORE, emulator.trustStore().toString());
        properties.addOverrideProperty(TlsSettings.TRUST_STORE_PASSWORD, emulator.trustStorePassword());
        properties.addOverrideProperty(TlsSettings.TRUST_STORE_TYPE, "PKCS12");
        properties.addOverrideProperty("auth.mode", "client-secret");
        properties.addOverrideProperty("auth.tenant-id", emulator.tenantId());
        properties.addOverrideProperty("auth.authority", emulator.authority());
        properties.addOverrideProperty("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        properties.addOverrideProperty("auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
        LOG.info("Demo: the bundled Dataverse emulator runs at {} with {} (not a real environment)",
                emulator.environmentUrl(), spec);
        try {
            context.addService(new DemoEnvironment(emulator), true, true);
        } catch (Exception e) {
            emulator.close();
            throw new IllegalStateException("The demo emulator could not be registered with Camel", e);
        }
    }

    @Override
    protected void doStop() {
        emulator.close();
    }
}
