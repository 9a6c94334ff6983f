package org.dataversebackup.dataverse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.dataversebackup.config.ConfigurationException;

/**
 * The TLS context every HTTP client of the product uses (Dataverse calls, msal4j), built from the
 * standard JVM settings {@code javax.net.ssl.trustStore}, {@code javax.net.ssl.trustStorePassword}
 * and {@code javax.net.ssl.trustStoreType}. Read at each call rather than once per JVM, so a trust
 * store set after start (a private CA, the emulator) is honoured too.
 */
public final class JvmTrustStore {
    private JvmTrustStore() {
    }

    public static SSLContext sslContext() {
        String location = System.getProperty("javax.net.ssl.trustStore");
        try {
            if (location == null || location.isBlank() || "NONE".equals(location)) {
                return SSLContext.getDefault();
            }
            Path path = Path.of(location);
            if (!Files.isReadable(path)) {
                throw new ConfigurationException("javax.net.ssl.trustStore " + location + " cannot be read.");
            }
            String password = System.getProperty("javax.net.ssl.trustStorePassword");
            KeyStore trustStore = KeyStore.getInstance(System.getProperty("javax.net.ssl.trustStoreType",
                    KeyStore.getDefaultType()));
            try (InputStream in = Files.newInputStream(path)) {
                trustStore.load(in, password == null ? null : password.toCharArray());
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ConfigurationException("The trust store " + location + " cannot be used: " + e.getMessage(), e);
        }
    }
}
