package org.dataversebackup.app;

import java.util.Optional;

import org.apache.camel.Ordered;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.util.IOHelper;

/**
 * Environment variables and {@code -D} system properties as layers above the configuration files,
 * in the order the README documents: files, then environment variables, then {@code -D}, then
 * the command line (Camel's override properties, which win over every source).
 *
 * <p>Camel's own modes check environment variables before system properties and both before
 * the override properties, so a shell's {@code DATAVERSE_URL} would beat {@code -Ddataverse.url}
 * and even the demo emulator's URL. The two sources below keep Camel's naming convention
 * ({@code BACKUP_TABLES} for {@code backup.tables}, through {@link IOHelper#lookupEnvironmentVariable})
 * and only change the order.
 */
public final class ProcessPropertySources {
    /** Ahead of the file locations, which camel-main numbers from 100. */
    private static final int SYSTEM_PROPERTIES_ORDER = 10;
    private static final int ENVIRONMENT_VARIABLES_ORDER = 20;

    private ProcessPropertySources() {
    }

    /** Puts -D above environment variables above files on a context's properties component. */
    public static void install(org.apache.camel.spi.PropertiesComponent component) {
        PropertiesComponent properties = (PropertiesComponent) component;
        properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        properties.addPropertiesSource(new Source("system properties (-D)", SYSTEM_PROPERTIES_ORDER, System::getProperty));
        properties.addPropertiesSource(new Source("environment variables", ENVIRONMENT_VARIABLES_ORDER,
                ProcessPropertySources::environmentVariable));
    }

    /** The environment variable that sets a key, if one is set ({@code BACKUP_TABLES} for {@code backup.tables}). */
    public static Optional<String> environmentVariableName(String key) {
        for (String name : new String[] {key.toUpperCase(java.util.Locale.ROOT), IOHelper.normalizeEnvironmentVariable(key)}) {
            if (System.getenv(name) != null) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static String environmentVariable(String key) {
        return IOHelper.lookupEnvironmentVariable(key);
    }

    private record Source(String name, int order, java.util.function.Function<String, String> lookup)
            implements PropertiesSource, Ordered {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getProperty(String key) {
            return lookup.apply(key);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }
}
