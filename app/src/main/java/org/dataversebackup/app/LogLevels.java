package org.dataversebackup.app;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/** Concise INFO by default; {@code --verbose} turns on debug output for our code and Camel. */
public final class LogLevels {
    private LogLevels() {
    }

    public static void apply(boolean verbose) {
        if (!verbose) {
            return;
        }
        logger("org.dataversebackup").setLevel(Level.DEBUG);
        logger("org.apache.camel").setLevel(Level.INFO);
        logger("com.microsoft.aad.msal4j").setLevel(Level.INFO);
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
