package org.dataversebackup.app;

import org.dataversebackup.config.ConfigurationException;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.RuntimeCamelException;

/**
 * Turns Camel's startup exceptions into messages a user can act on. A missing property or a
 * broken route file is a configuration problem (exit 2), not a failed job.
 */
final class StartupFailures {
    private StartupFailures() {
    }

    static RuntimeException explain(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException ce) {
                return ce;
            }
            String message = String.valueOf(t.getMessage());
            if (t instanceof IllegalArgumentException && message.startsWith("Property with key")) {
                return new ConfigurationException(message
                        + " Set it in config/application.properties, as -Dkey=value or as an environment variable.", e);
            }
            if (t instanceof PropertyBindingException) {
                return new ConfigurationException("Invalid setting: " + message, e);
            }
            if (t.getClass().getName().startsWith("org.apache.camel.dsl.yaml")
                    || message.contains("Cannot load routes")) {
                return new ConfigurationException("A route file cannot be loaded: " + message, e);
            }
        }
        return e instanceof RuntimeException re ? re : new RuntimeCamelException(e);
    }
}
