package org.dataversebackup.check;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.testsupport.EmulatorTrust;

/**
 * An emulator for the preflight tests, the JVM trust store pointing at its certificate, and the
 * application (the project's config/ and routes/) signed in as one of its identities.
 */
public final class CheckEmulator implements AutoCloseable {
    public final DataverseEmulator emulator;
    private final EmulatorTrust trust;

    public CheckEmulator() {
        emulator = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(3, 2, 2)).start();
        trust = EmulatorTrust.of(emulator);
    }

    /** JVM options for a packaged jar or process using this emulator's trust store. */
    public java.util.List<String> trustStoreOptions() {
        return EmulatorTrust.jvmOptions(emulator);
    }

    /** Settings of an application user (client secret). */
    public Map<String, String> application(String clientId, String secret) {
        Map<String, String> settings = base();
        settings.put("auth.mode", "client-secret");
        settings.put("auth.client-id", clientId);
        settings.put("auth.client-secret", secret);
        return settings;
    }

    /** Settings of a user account signing in with its password (the emulator's app allows public client flows). */
    public Map<String, String> user(String userPrincipalName, String password) {
        Map<String, String> settings = base();
        settings.put("auth.mode", "password");
        settings.put("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        settings.put("auth.username", userPrincipalName);
        settings.put("auth.password", password);
        return settings;
    }

    public Map<String, String> user(String userPrincipalName) {
        return user(userPrincipalName, EmulatorIdentities.USER_PASSWORD);
    }

    private Map<String, String> base() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dataverse.url", emulator.environmentUrl());
        settings.put("auth.tenant-id", EmulatorIdentities.TENANT_ID);
        settings.put("auth.authority", emulator.authority());
        settings.put("service.triggers", "false");
        return settings;
    }

    /** The application with the project's configuration and routes, and these overrides. */
    public static CamelApplication start(Map<String, String> overrides) {
        AppLocations locations = AppLocations.resolve(Path.of("config").toAbsolutePath(),
                Path.of("routes").toAbsolutePath(), null, Path.of("").toAbsolutePath());
        return CamelApplication.create(locations, overrides).start();
    }

    /** Sends the headers to direct:check with the identity's settings and returns the exchange. */
    public static Exchange check(Map<String, String> identity, Map<String, Object> headers) {
        try (CamelApplication app = start(identity)) {
            return app.template().request("dataverse:check", e -> e.getIn().setHeaders(headers));
        }
    }

    public static CheckReport report(Exchange exchange) {
        if (exchange.getException() != null) {
            throw new AssertionError("direct:check threw", exchange.getException());
        }
        return exchange.getProperty(CheckHeaders.REPORT_PROPERTY, CheckReport.class);
    }

    @Override
    public void close() {
        emulator.close();
        trust.close();
    }
}
