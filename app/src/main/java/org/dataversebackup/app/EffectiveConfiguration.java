package org.dataversebackup.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.util.OrderedLocationProperties;

/**
 * Every setting with the value the application sees and the layer it comes from: the command
 * line, a {@code -D} system property, an environment variable, or a configuration file. What
 * {@code config show} prints and {@code config check} names in its messages.
 */
public final class EffectiveConfiguration {
    /** Prefixes of our keys (and Camel's): -D properties with these are settings, others belong to the JVM. */
    private static final List<String> SETTING_PREFIXES = List.of("dataverse.", "auth.", "backup.", "restore.", "s3.",
            "snapshot.", "preflight.", "service.", "demo.", "events.", "retry.", "camel.");

    /** One setting. {@code value} is null when a placeholder in it cannot be resolved ({@code problem} says why). */
    public record Setting(String key, String value, String origin, String problem) {
        /** The value to print: secrets masked, unset values as (not set). */
        public String shownValue() {
            if (value == null) {
                return "(" + problem + ")";
            }
            if (value.isBlank()) {
                return "(not set)";
            }
            return isSecret(key) ? "****" : value;
        }
    }

    private final List<Setting> settings;

    private EffectiveConfiguration(List<Setting> settings) {
        this.settings = settings;
    }

    /**
     * @param context     a context configured with {@code locations} (see {@link CamelApplication#configurationOnly})
     * @param commandLine the properties the command line set (they win over every other layer)
     */
    public static EffectiveConfiguration of(CamelContext context, Map<String, String> commandLine) {
        Properties files = context.getPropertiesComponent().loadProperties();
        Set<String> keys = new TreeSet<>(files.stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(EffectiveConfiguration::isSettingKey).forEach(keys::add);
        keys.addAll(commandLine.keySet());
        List<Setting> settings = new ArrayList<>();
        for (String key : keys) {
            String origin = origin(key, files, commandLine);
            try {
                settings.add(new Setting(key, context.getPropertiesComponent().resolveProperty(key).orElse(""), origin, null));
            } catch (RuntimeException e) {
                settings.add(new Setting(key, null, origin, e.getMessage()));
            }
        }
        return new EffectiveConfiguration(List.copyOf(settings));
    }

    /** The settings, sorted by key. */
    public List<Setting> settings() {
        return settings;
    }

    /** Where a key's value comes from, highest layer first (as Camel resolves it; see ProcessPropertySources). */
    static String origin(String key, Properties files, Map<String, String> commandLine) {
        if (commandLine.containsKey(key)) {
            return "command line";
        }
        if (System.getProperty(key) != null) {
            return "-D" + key;
        }
        var variable = ProcessPropertySources.environmentVariableName(key);
        if (variable.isPresent()) {
            return "environment variable " + variable.get();
        }
        if (files instanceof OrderedLocationProperties located && located.getLocation(key) != null) {
            return AppLocations.describe(located.getLocation(key));
        }
        return "built in";
    }

    /** Keys whose values are never printed: secrets, passwords and keys. */
    public static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        String last = name.substring(name.lastIndexOf('.') + 1);
        return name.contains("secret") || name.contains("password") || last.equals("key") || last.endsWith("-key");
    }

    private static boolean isSettingKey(String key) {
        return SETTING_PREFIXES.stream().anyMatch(key::startsWith);
    }
}
