package org.dataversebackup.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.TlsSettings;

/**
 * The connection account's configuration ({@code auth.*}, {@code dataverse.url} and the TLS trust
 * of {@code dataverse.tls.*}), validated for the chosen mode. Errors name the key to fix;
 * {@link #toString()} never shows a secret.
 */
public final class AuthSettings {
    public static final String DATAVERSE_URL = "dataverse.url";
    public static final String MODE = "auth.mode";
    public static final String TENANT_ID = "auth.tenant-id";
    public static final String AUTHORITY = "auth.authority";
    public static final String CLIENT_ID = "auth.client-id";
    public static final String CLIENT_SECRET = "auth.client-secret";
    public static final String CERTIFICATE_PATH = "auth.certificate-path";
    public static final String CERTIFICATE_KEY_PATH = "auth.certificate-key-path";
    public static final String CERTIFICATE_PASSWORD = "auth.certificate-password";
    public static final String USERNAME = "auth.username";
    public static final String PASSWORD = "auth.password";
    public static final String TOKEN_CACHE = "auth.token-cache";

    /** Where the device-code token cache lives unless {@code auth.token-cache} says otherwise. */
    public static Path defaultTokenCache() {
        return Path.of(System.getProperty("user.home"), ".dataverse-backup", "token-cache.json");
    }

    private final AuthMode mode;
    private final URI dataverseUrl;
    private final Authority authority;
    private final String clientId;
    private final String clientSecret;
    private final Path certificatePath;
    private final Path certificateKeyPath;
    private final String certificatePassword;
    private final String username;
    private final String password;
    private final Path tokenCache;
    private final TlsSettings tls;

    /** How a key is named in messages: the environment's or connection's own key ({@link Settings#keyName}). */
    private final java.util.function.Function<String, String> keyName;

    private AuthSettings(Builder b) {
        this.mode = b.mode;
        this.dataverseUrl = b.dataverseUrl;
        this.authority = b.authority;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.certificatePath = b.certificatePath;
        this.certificateKeyPath = b.certificateKeyPath;
        this.certificatePassword = b.certificatePassword;
        this.username = b.username;
        this.password = b.password;
        this.tokenCache = b.tokenCache;
        this.tls = b.tls;
        this.keyName = b.keyName;
    }

    /** Reads and validates the settings; a missing or invalid key gives a {@link ConfigurationException} naming it. */
    public static AuthSettings from(Settings settings) {
        Builder b = builder()
                .keyNames(settings::keyName)
                .mode(AuthMode.fromConfig(settings.get(MODE, AuthMode.CLIENT_SECRET.configValue())))
                .dataverseUrl(settings.required(DATAVERSE_URL))
                .clientId(settings.required(CLIENT_ID));
        Optional<String> tenant = settings.optional(TENANT_ID);
        Optional<String> authority = settings.optional(AUTHORITY);
        b.authority(authority.orElseGet(() -> Authority.PUBLIC_CLOUD + tenant.orElse("")));
        settings.optional(CLIENT_SECRET).ifPresent(b::clientSecret);
        settings.optional(CERTIFICATE_PATH).ifPresent(p -> b.certificatePath(Path.of(p)));
        settings.optional(CERTIFICATE_KEY_PATH).ifPresent(p -> b.certificateKeyPath(Path.of(p)));
        settings.optional(CERTIFICATE_PASSWORD).ifPresent(b::certificatePassword);
        settings.optional(USERNAME).ifPresent(b::username);
        settings.optional(PASSWORD).ifPresent(b::password);
        settings.optional(TOKEN_CACHE).ifPresent(p -> b.tokenCache(Path.of(expandHome(p))));
        // masked here because the dataverse package, which reads it, knows nothing of log masking
        settings.optional(TlsSettings.TRUST_STORE_PASSWORD).ifPresent(LogMasking::registerSecret);
        b.tls(TlsSettings.from(settings));
        return b.build();
    }

    /** The name of the account of the plain {@code auth.*} keys among an environment's connections. */
    public static final String MAIN_CONNECTION = "main";

    /**
     * Every connection account of an environment: the main one ({@code auth.*}) first, then those
     * named in {@code auth.connections}, by name. Extra connections are application users (client
     * secret or certificate) with client ids of their own: Dataverse counts its service protection
     * limits per user, so another user is more throughput, the same user is none.
     */
    public static java.util.LinkedHashMap<String, AuthSettings> connections(Settings settings) {
        java.util.LinkedHashMap<String, AuthSettings> all = new java.util.LinkedHashMap<>();
        all.put(MAIN_CONNECTION, from(settings));
        for (String name : settings.connections()) {
            Settings connection = settings.forConnection(name);
            AuthSettings auth = from(connection);
            if (!auth.mode().confidential()) {
                throw new ConfigurationException(connection.keyName(MODE) + " is " + auth.mode().configValue() + ": an extra"
                        + " connection is an application user (client-secret or certificate), whose limits are its own.");
            }
            for (Map.Entry<String, AuthSettings> other : all.entrySet()) {
                if (other.getValue().clientId().equalsIgnoreCase(auth.clientId())) {
                    throw new ConfigurationException(connection.keyName(CLIENT_ID) + " is the client id of connection '"
                            + other.getKey() + "' too: Dataverse counts its limits per application user, so a connection adds"
                            + " throughput only with an application (client id) of its own.");
                }
            }
            all.put(name, auth);
        }
        return all;
    }

    /**
     * The key that configures {@code key} for this account, for messages: {@code auth.client-secret},
     * {@code dataverse.environments.sales.auth.client-secret} or {@code auth.connections.reader2.client-secret}.
     */
    public String keyName(String key) {
        return keyName.apply(key);
    }

    public static Builder builder() {
        return new Builder();
    }

    public AuthMode mode() {
        return mode;
    }

    /** The environment URL, {@code https://host[:port]}, without a trailing slash. */
    public URI dataverseUrl() {
        return dataverseUrl;
    }

    public Authority authority() {
        return authority;
    }

    public String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    Path certificatePath() {
        return certificatePath;
    }

    Optional<Path> certificateKeyPath() {
        return Optional.ofNullable(certificateKeyPath);
    }

    Optional<String> certificatePassword() {
        return Optional.ofNullable(certificatePassword);
    }

    /** The user name: the account of {@code password} mode, or which cached account {@code device-code} uses. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    String password() {
        return password;
    }

    /** The token cache file of {@code device-code} mode. */
    public Path tokenCache() {
        return tokenCache;
    }

    /**
     * Who the access tokens are issued to, as Dataverse counts its service protection limits (per
     * user): the application (its client id, whether a secret or a certificate proves it), or the
     * user account. A device-code sign-in without {@code auth.username} is whichever account its
     * token cache holds.
     */
    public String tokenHolder() {
        if (mode.confidential()) {
            return "application " + clientId;
        }
        return username().map(name -> "user " + name.toLowerCase(Locale.ROOT))
                .orElse("the account signed in to application " + clientId + " with token cache " + tokenCache);
    }

    /** The TLS trust of the sign-in and the Dataverse calls ({@code dataverse.tls.*}, else the JVM's). */
    public TlsSettings tls() {
        return tls;
    }

    /**
     * The scopes asked for: {@code <url>/.default} for an application user, {@code <url>/user_impersonation}
     * and {@code offline_access} (a refresh token, so later runs sign in silently) for a user account.
     */
    public Set<String> scopes() {
        String base = dataverseUrl.toString();
        if (mode.confidential()) {
            return Set.of(base + "/.default");
        }
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(base + "/user_impersonation");
        scopes.add("offline_access");
        return scopes;
    }

    /** The scopes of silent (cache and refresh token) requests: the resource scope only. */
    Set<String> silentScopes() {
        return Set.of(dataverseUrl + (mode.confidential() ? "/.default" : "/user_impersonation"));
    }

    @Override
    public String toString() {
        return "AuthSettings[mode=" + mode + ", dataverseUrl=" + dataverseUrl + ", authority=" + authority
                + ", clientId=" + clientId + ", clientSecret=" + masked(clientSecret)
                + ", certificatePath=" + certificatePath + ", certificatePassword=" + masked(certificatePassword)
                + ", username=" + username + ", password=" + masked(password) + ", tokenCache=" + tokenCache
                + ", tls=" + tls + "]";
    }

    private static String masked(String secret) {
        return secret == null ? "(none)" : "****";
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    /** Builds validated settings (tests and embedding applications use it directly). */
    public static final class Builder {
        private AuthMode mode = AuthMode.CLIENT_SECRET;
        private URI dataverseUrl;
        private String authorityText;
        private Authority authority;
        private String clientId;
        private String clientSecret;
        private Path certificatePath;
        private Path certificateKeyPath;
        private String certificatePassword;
        private String username;
        private String password;
        private Path tokenCache;
        private TlsSettings tls = TlsSettings.jvmDefault();

        /** How a key is named in messages: an environment's own key ({@link Settings#keyName}). */
        private java.util.function.Function<String, String> keyName = key -> key;

        private Builder() {
        }

        /** Names keys in error messages as the environment configures them. */
        public Builder keyNames(java.util.function.Function<String, String> keyName) {
            this.keyName = java.util.Objects.requireNonNull(keyName, "keyName");
            return this;
        }

        public Builder mode(AuthMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder dataverseUrl(String url) {
            this.dataverseUrl = environmentUrl(url, keyName.apply(DATAVERSE_URL));
            return this;
        }

        public Builder authority(String authority) {
            this.authorityText = authority;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        public Builder certificatePath(Path certificatePath) {
            this.certificatePath = certificatePath;
            return this;
        }

        public Builder certificateKeyPath(Path certificateKeyPath) {
            this.certificateKeyPath = certificateKeyPath;
            return this;
        }

        public Builder certificatePassword(String certificatePassword) {
            this.certificatePassword = certificatePassword;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder tokenCache(Path tokenCache) {
            this.tokenCache = tokenCache;
            return this;
        }

        /** The TLS trust (default: the JVM's). */
        public Builder tls(TlsSettings tls) {
            this.tls = java.util.Objects.requireNonNull(tls, "tls");
            return this;
        }

        public AuthSettings build() {
            if (dataverseUrl == null) {
                throw missing(DATAVERSE_URL, "the environment URL, e.g. https://contoso.crm.dynamics.com");
            }
            if (blank(clientId)) {
                throw missing(CLIENT_ID, "the application (client) id of the app registration");
            }
            authority = Authority.parse(authorityText);
            switch (mode) {
                case CLIENT_SECRET -> {
                    if (blank(clientSecret)) {
                        throw missing(CLIENT_SECRET, "the client secret's Value from the app registration's"
                                + " Certificates & secrets page");
                    }
                }
                case CERTIFICATE -> {
                    if (certificatePath == null) {
                        throw missing(CERTIFICATE_PATH, "a PKCS#12 file (.pfx/.p12), or a PEM file with the private"
                                + " key and the certificate");
                    }
                }
                case PASSWORD -> {
                    if (blank(username)) {
                        throw missing(USERNAME, "the connection account's user name (UPN)");
                    }
                    if (blank(password)) {
                        throw missing(PASSWORD, "the connection account's password");
                    }
                }
                case DEVICE_CODE -> {
                    if (tokenCache == null) {
                        tokenCache = defaultTokenCache();
                    }
                }
            }
            if (tokenCache == null) {
                tokenCache = defaultTokenCache();
            }
            return new AuthSettings(this);
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }

        private ConfigurationException missing(String key, String what) {
            return missingSetting(keyName.apply(key), what);
        }
    }

    private static ConfigurationException missingSetting(String key, String what) {
        return new ConfigurationException("Setting '" + key + "' is required" + " (" + what + "): set it in"
                + " config/application.properties, as -D" + key + "=... or as the environment variable "
                + Settings.environmentVariable(key) + ".");
    }

    /** The environment URL of these settings ({@code dataverse.url}, or a named environment's own key). */
    public static URI environmentUrl(Settings settings) {
        return environmentUrl(settings.optional(DATAVERSE_URL).orElse(""), settings.keyName(DATAVERSE_URL));
    }

    /** {@code https://host[:port]} of a Dataverse environment URL, or a configuration error naming the key. */
    public static URI environmentUrl(String text) {
        return environmentUrl(text, DATAVERSE_URL);
    }

    private static URI environmentUrl(String text, String key) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw missingSetting(key, "the environment URL, e.g. https://contoso.crm.dynamics.com");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalidUrl(key, value, "it is not a URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw invalidUrl(key, value, "it must start with https:// and name the host");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.equals("/")) {
            throw invalidUrl(key, value, "give the environment URL without a path (no /api/data/...)");
        }
        if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
            throw invalidUrl(key, value, "give the environment URL only, without query, fragment or user info");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() == 443 ? -1 : uri.getPort();
        return URI.create("https://" + host + (port == -1 ? "" : ":" + port));
    }

    private static ConfigurationException invalidUrl(String key, String value, String why) {
        return new ConfigurationException("Setting '" + key + "' is not a valid environment URL ('" + value
                + "'): " + why + ", e.g. https://contoso.crm.dynamics.com.");
    }
}
