package org.dataversebackup.config;

/**
 * Bad configuration or bad input from the user: the message says which setting or file is wrong
 * and what to do. Commands exit with {@link ExitCodes#USAGE}.
 */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
