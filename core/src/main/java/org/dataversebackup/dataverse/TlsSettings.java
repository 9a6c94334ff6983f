package org.dataversebackup.dataverse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;

/**
 * Which certificates the connection to a Dataverse environment (and its sign-in) trusts:
 * {@code dataverse.tls.trust-store} for a private CA or the emulator, else the JVM's default
 * trust ({@link JvmTrustStore}, which still honours {@code -Djavax.net.ssl.trustStore}). Per
 * connection rather than JVM-wide, so two environments behind different CAs can be used side by
 * side and the library never changes system properties.
 *
 * <p>The trust store password is a secret: {@link #toString()} and errors never show it. Masking
 * it in log lines is left to the caller (see {@code AuthSettings}).
 */
public final class TlsSettings {
    public static final String TRUST_STORE = "dataverse.tls.trust-store";
    public static final String TRUST_STORE_PASSWORD = "dataverse.tls.trust-store-password";
    public static final String TRUST_STORE_TYPE = "dataverse.tls.trust-store-type";
    public static final String DEFAULT_TYPE = "PKCS12";

    private final Path trustStore;
    private final String password;
    private final String type;
    private SSLContext sslContext; // built at first use, guarded by this

    private TlsSettings(Path trustStore, String password, String type) {
        this.trustStore = trustStore;
        this.password = password;
        this.type = type;
    }

    /** Reads the {@code dataverse.tls.*} keys; the file is only opened by {@link #sslContext()}. */
    public static TlsSettings from(Settings settings) {
        return settings.optional(TRUST_STORE)
                .map(path -> of(Path.of(path), settings.optional(TRUST_STORE_PASSWORD).orElse(null),
                        settings.get(TRUST_STORE_TYPE, DEFAULT_TYPE)))
                .orElseGet(TlsSettings::jvmDefault);
    }

    /**
     * A trust store of its own.
     *
     * @param password the trust store's password, or null when it has none
     * @param type     the key store type, e.g. PKCS12 or JKS
     */
    public static TlsSettings of(Path trustStore, String password, String type) {
        return new TlsSettings(trustStore, password, type);
    }

    /**
     * The JVM's default trust, as before these settings existed. A new instance each time: the JVM
     * properties are read when its context is first built, not when the JVM started.
     */
    public static TlsSettings jvmDefault() {
        return new TlsSettings(null, null, DEFAULT_TYPE);
    }

    /** The configured trust store file, or empty for the JVM's default trust. */
    public Optional<Path> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    public String trustStoreType() {
        return type;
    }

    /** The TLS context for the HTTP clients of this connection, built once. */
    public synchronized SSLContext sslContext() {
        if (sslContext == null) {
            sslContext = trustStore == null ? JvmTrustStore.sslContext() : fromTrustStore();
        }
        return sslContext;
    }

    private SSLContext fromTrustStore() {
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setType(type);
        // The file is loaded here rather than through KeyStoreParameters.setResource: Camel resolves
        // resources only with a CamelContext, and would run the (already resolved) password through
        // property placeholders a second time.
        keyStore.setKeyStore(load());
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(keyStore);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trustManagers);
        try {
            return parameters.createSSLContext(null);
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigurationException("The trust store " + trustStore + " (setting '" + TRUST_STORE
                    + "') cannot be used for TLS: " + e.getMessage(), e);
        }
    }

    private KeyStore load() {
        if (!Files.isRegularFile(trustStore) || !Files.isReadable(trustStore)) {
            throw new ConfigurationException("Setting '" + TRUST_STORE + "': the trust store file " + trustStore
                    + " does not exist or cannot be read.");
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new ConfigurationException("Setting '" + TRUST_STORE_TYPE + "' ('" + type + "') is not a key store"
                    + " type this JVM knows (PKCS12 or JKS) for the trust store " + trustStore + ".", e);
        }
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, password == null ? null : password.toCharArray());
            if (store.size() == 0) {
                throw new ConfigurationException("Setting '" + TRUST_STORE + "': the trust store " + trustStore
                        + " holds no certificate.");
            }
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ConfigurationException("Setting '" + TRUST_STORE_PASSWORD + "' is not the password of the"
                        + " trust store " + trustStore + " (setting '" + TRUST_STORE + "').", e.getCause());
            }
            throw new ConfigurationException("Setting '" + TRUST_STORE + "': the trust store " + trustStore
                    + " cannot be read as " + type + " (" + e.getMessage() + "); check it and '" + TRUST_STORE_TYPE
                    + "'.", e);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("Setting '" + TRUST_STORE + "': the trust store " + trustStore
                    + " cannot be read (" + e.getMessage() + ").", e);
        }
    }

    @Override
    public String toString() {
        return trustStore == null ? "TlsSettings[JVM default trust]"
                : "TlsSettings[trustStore=" + trustStore + ", type=" + type + ", password="
                        + (password == null ? "(none)" : "****") + "]";
    }
}
