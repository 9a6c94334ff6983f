package org.dataversebackup.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads configuration keys through Camel's properties component, so beans see exactly what routes
 * see: config files, then environment variables ({@code BACKUP_TABLES}), then {@code -D} system
 * properties. Errors name the key and never echo a value (it may be a secret).
 *
 * <p>{@link #forEnvironment(String)} gives the view of one named Dataverse environment: its
 * connection ({@code dataverse.url}, {@code auth.*}) comes only from
 * {@code dataverse.environments.<name>.url} and {@code dataverse.environments.<name>.auth.*}, so a
 * named environment never borrows another's credentials; every other key may be set for the
 * environment ({@code dataverse.environments.<name>.backup.target}) and otherwise falls back to
 * the shared key ({@code backup.target}).
 */
public final class Settings {
    /** The environment that the plain keys ({@code dataverse.url}, {@code auth.*}) configure. */
    public static final String DEFAULT_ENVIRONMENT = "default";
    /** Prefix of the keys of named environments. */
    public static final String ENVIRONMENTS_PREFIX = "dataverse.environments.";

    private final PropertiesComponent properties;
    private final String environment;
    /** For a key, the keys to read in order; the first is the one errors name. */
    private final Function<String, List<String>> candidates;

    public Settings(PropertiesComponent properties) {
        this(properties, DEFAULT_ENVIRONMENT, List::of);
    }

    private Settings(PropertiesComponent properties, String environment, Function<String, List<String>> candidates) {
        this.properties = properties;
        this.environment = environment;
        this.candidates = candidates;
    }

    public static Settings of(CamelContext context) {
        return new Settings(context.getPropertiesComponent());
    }

    /** The settings of one environment ({@value #DEFAULT_ENVIRONMENT}: the plain keys). */
    public Settings forEnvironment(String name) {
        if (DEFAULT_ENVIRONMENT.equals(name)) {
            return new Settings(properties);
        }
        String prefix = ENVIRONMENTS_PREFIX + name + ".";
        return new Settings(properties, name, key -> {
            if (key.equals("dataverse.url")) {
                return List.of(prefix + "url");
            }
            if (key.startsWith("auth.")) {
                return List.of(prefix + key);
            }
            if (key.startsWith("dataverse.")) {
                return List.of(prefix + key.substring("dataverse.".length()), key);
            }
            return List.of(prefix + key, key);
        });
    }

    /** The key naming the extra connection accounts of an environment ({@link #forConnection}). */
    public static final String CONNECTIONS = "auth.connections";
    /** Keys a connection never takes from the main account: who signs in, and with what. */
    private static final java.util.Set<String> CREDENTIALS = java.util.Set.of("auth.client-id", "auth.client-secret",
            "auth.certificate-path", "auth.certificate-key-path", "auth.certificate-password", "auth.username", "auth.password",
            "auth.token-cache");

    /**
     * The names of the extra connection accounts ({@code auth.connections}): further application
     * users of the same environment, each with its own service protection limits.
     */
    public List<String> connections() {
        List<String> names = list(CONNECTIONS);
        for (String name : names) {
            if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new ConfigurationException("Connection name '" + name + "' in " + keyName(CONNECTIONS) + " is not valid:"
                        + " use lower-case letters, digits and dashes (e.g. reader2), as in auth.connections.reader2.client-id.");
            }
        }
        if (names.stream().distinct().count() < names.size()) {
            throw new ConfigurationException(keyName(CONNECTIONS) + " names a connection twice: " + String.join(",", names) + ".");
        }
        return names;
    }

    /**
     * The settings of one extra connection account: its credentials from
     * {@code auth.connections.<name>.*} only (never the main account's), the other {@code auth.*}
     * keys (mode, tenant, authority) from there or else from the main account's keys.
     */
    public Settings forConnection(String name) {
        String prefix = "auth.connections." + name + ".";
        return new Settings(properties, environment, key -> {
            if (!key.startsWith("auth.") || key.equals(CONNECTIONS)) {
                return candidates.apply(key);
            }
            List<String> own = candidates.apply(prefix + key.substring("auth.".length()));
            if (CREDENTIALS.contains(key)) {
                return own;
            }
            List<String> all = new ArrayList<>(own);
            all.addAll(candidates.apply(key));
            return all;
        });
    }

    /** The environment these settings are for. */
    public String environment() {
        return environment;
    }

    /** The key that configures {@code key} for this environment (what messages should name). */
    public String keyName(String key) {
        return candidates.apply(key).get(0);
    }

    /** The value, or empty when the key is absent or blank. */
    public Optional<String> optional(String key) {
        for (String candidate : candidates.apply(key)) {
            Optional<String> value = properties.resolveProperty(candidate).map(String::trim).filter(v -> !v.isEmpty());
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    public String required(String key) {
        String name = keyName(key);
        return optional(key).orElseThrow(() -> new ConfigurationException("Setting '" + name
                + "' is required: set it in config/application.properties, as -D" + name + "=... or as the environment variable "
                + environmentVariable(name) + "."));
    }

    public String get(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public int intValue(String key, int defaultValue) {
        return optional(key).map(v -> parseInt(keyName(key), v)).orElse(defaultValue);
    }

    public Optional<Integer> optionalInt(String key) {
        return optional(key).map(v -> parseInt(keyName(key), v));
    }

    public boolean booleanValue(String key, boolean defaultValue) {
        return optional(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigurationException("Setting '" + keyName(key) + "' must be true or false, not '" + v + "'.");
        }).orElse(defaultValue);
    }

    /** An ISO-8601 duration ({@code PT30M}) or a number of seconds ({@code 1800}), not negative. */
    public Duration durationValue(String key, Duration defaultValue) {
        return optional(key).map(v -> parseDuration(keyName(key), v)).orElse(defaultValue);
    }

    /** A comma-separated list, blanks removed. */
    public List<String> list(String key) {
        return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /**
     * The environments configured: {@value #DEFAULT_ENVIRONMENT} first, then those named in
     * {@code dataverse.environments} (a list) or by any {@code dataverse.environments.<name>.*} key
     * of the configuration files.
     */
    public List<String> environments() {
        List<String> names = new ArrayList<>();
        names.add(DEFAULT_ENVIRONMENT);
        List<String> found = new ArrayList<>(list("dataverse.environments"));
        properties.loadProperties(k -> k.startsWith(ENVIRONMENTS_PREFIX)).stringPropertyNames().stream()
                .map(k -> k.substring(ENVIRONMENTS_PREFIX.length()))
                .filter(rest -> rest.indexOf('.') > 0)
                .map(rest -> rest.substring(0, rest.indexOf('.')))
                .sorted()
                .forEach(found::add);
        for (String name : found) {
            String checked = checkEnvironmentName(name);
            if (!names.contains(checked)) {
                names.add(checked);
            }
        }
        return List.copyOf(names);
    }

    /** Environment names become parts of route ids, endpoints and bean names: lower-case letters, digits, dashes. */
    public static String checkEnvironmentName(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new ConfigurationException("Environment name '" + name + "' is not valid: use lower-case letters,"
                    + " digits and dashes (e.g. prod, sales-eu), as in dataverse.environments.prod.url.");
        }
        return name;
    }

    /** The environment variable that overrides a key, in Camel's convention. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Duration parseDuration(String key, String value) {
        Duration duration;
        try {
            duration = value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
        } catch (RuntimeException e) {
            duration = null;
        }
        if (duration == null || duration.isNegative()) {
            throw new ConfigurationException("Setting '" + key + "' must be a duration: a number of seconds (1800) or"
                    + " ISO-8601 (PT30M), not '" + value + "'.");
        }
        return duration;
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("Setting '" + key + "' must be a whole number, not '" + value + "'.");
        }
    }
}
