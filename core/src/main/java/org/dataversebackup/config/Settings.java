package org.dataversebackup.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads configuration keys through Camel's properties component, so beans see exactly what routes
 * see: config files, then environment variables ({@code BACKUP_TABLES}), then {@code -D} system
 * properties. Errors name the key and never echo a value (it may be a secret).
 */
public final class Settings {
    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public static Settings of(CamelContext context) {
        return new Settings(context.getPropertiesComponent());
    }

    /** The value, or empty when the key is absent or blank. */
    public Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigurationException("Setting '" + key
                + "' is required: set it in config/application.properties, as -D" + key + "=... or as the environment variable "
                + environmentVariable(key) + "."));
    }

    public String get(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public int intValue(String key, int defaultValue) {
        return optional(key).map(v -> parseInt(key, v)).orElse(defaultValue);
    }

    public Optional<Integer> optionalInt(String key) {
        return optional(key).map(v -> parseInt(key, v));
    }

    public boolean booleanValue(String key, boolean defaultValue) {
        return optional(key).map(v -> switch (v.toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigurationException("Setting '" + key + "' must be true or false, not '" + v + "'.");
        }).orElse(defaultValue);
    }

    /** A comma-separated list, blanks removed. */
    public List<String> list(String key) {
        return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** The environment variable that overrides a key, in Camel's convention. */
    public static String environmentVariable(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("Setting '" + key + "' must be a whole number, not '" + value + "'.");
        }
    }
}
