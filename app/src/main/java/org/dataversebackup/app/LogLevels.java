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
        logger("org.dataversebackup.routes").setLevel(Level.DEBUG);
        logger("org.apache.camel").setLevel(Level.INFO);
        logger("com.microsoft.aad.msal4j").setLevel(Level.INFO);
    }

    /**
     * One-shot commands print why a job failed; the error handler's line for it
     * (routes/templates/errors.camel.yaml, logged as org.dataversebackup.routes) would say it twice.
     * Left on with --verbose, and in the service, where nobody else reports it.
     */
    public static void quietRouteFailures() {
        Logger routes = logger("org.dataversebackup.routes");
        if (routes.getLevel() == null) {
            routes.setLevel(Level.OFF);
        }
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
