package org.dataversebackup.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dataversebackup.emulator.DataverseEmulator;

/**
 * Points the JVM trust store settings at an emulator's certificate, as a user would with
 * {@code -Djavax.net.ssl.trustStore=...}, and puts the previous settings back when closed.
 */
public final class EmulatorTrust implements AutoCloseable {
    private static final String[] PROPERTIES = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType"};
    private final Map<String, String> saved = new HashMap<>();

    private EmulatorTrust(DataverseEmulator emulator) {
        for (String key : PROPERTIES) {
            saved.put(key, System.getProperty(key));
        }
        System.setProperty("javax.net.ssl.trustStore", emulator.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", emulator.trustStorePassword());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    public static EmulatorTrust of(DataverseEmulator emulator) {
        return new EmulatorTrust(emulator);
    }

    /** The same settings as JVM options, for a packaged jar run in its own process. */
    public static List<String> jvmOptions(DataverseEmulator emulator) {
        return List.of("-Djavax.net.ssl.trustStore=" + emulator.trustStore(),
                "-Djavax.net.ssl.trustStorePassword=" + emulator.trustStorePassword(),
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    @Override
    public void close() {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
