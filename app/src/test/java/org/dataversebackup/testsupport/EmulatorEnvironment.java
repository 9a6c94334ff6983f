package org.dataversebackup.testsupport;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;

/**
 * A running emulator and the application configured against it, as a user would configure it:
 * the project's routes and config/, with dataverse.url and auth.* pointing at the emulator's
 * application user, and the JVM trust store set to the emulator's certificate.
 */
public final class EmulatorEnvironment implements AutoCloseable {
    private final DataverseEmulator emulator;
    private final EmulatorTrust trust;

    public EmulatorEnvironment(DataverseEmulator emulator) {
        this.emulator = emulator;
        this.trust = EmulatorTrust.of(emulator);
    }

    public static EmulatorEnvironment start(DataSetSpec spec) {
        return new EmulatorEnvironment(DataverseEmulator.builder().port(0).generate(spec).start());
    }

    public DataverseEmulator emulator() {
        return emulator;
    }

    /** Settings for the emulator's application user (client secret). */
    public Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("dataverse.url", emulator.environmentUrl());
        settings.put("auth.mode", "client-secret");
        settings.put("auth.tenant-id", EmulatorIdentities.TENANT_ID);
        settings.put("auth.authority", emulator.authority());
        settings.put("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
        settings.put("auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
        settings.put("backup.environment-name", "emulator");
        return settings;
    }

    /** Starts the application (project routes and config/) with these settings over the emulator's. */
    public CamelApplication startApplication(Map<String, String> extra) {
        Map<String, String> settings = settings();
        settings.putAll(extra);
        Path project = Path.of("").toAbsolutePath();
        AppLocations locations = AppLocations.resolve(project.resolve("config"), project.resolve("routes"), null, project);
        return CamelApplication.create(locations, settings).start();
    }

    @Override
    public void close() {
        emulator.close();
        trust.close();
    }
}
