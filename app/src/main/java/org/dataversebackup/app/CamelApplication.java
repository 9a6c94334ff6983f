package org.dataversebackup.app;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.dataversebackup.camel.DataverseBackupConfiguration;
import org.dataversebackup.operations.OperationsSetup;

/**
 * The Camel runtime of one process: camel-main with our configuration, YAML routes and beans.
 * One-shot commands start it, send to a {@code direct:} endpoint and close it; {@code run} keeps
 * it running until the process is stopped.
 */
public final class CamelApplication implements AutoCloseable {
    private final Main main;
    private ProducerTemplate template;

    private CamelApplication(Main main) {
        this.main = main;
    }

    /**
     * @param locations where configuration and routes come from
     * @param overrides properties that win over every other source (set by commands, e.g. the
     *                  demo emulator's URL)
     */
    public static CamelApplication create(AppLocations locations, Map<String, String> overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(locations.propertyPlaceholderLocations());
        main.configure().withRoutesIncludePattern(locations.routesIncludePattern());
        // the demo emulator first, so that the connection settings point at it
        main.configure().addConfiguration(DemoEnvironment.Configuration.class);
        main.configure().addConfiguration(DataverseBackupConfiguration.class);
        overrides.forEach(main::addOverrideProperty);
        // logging.format=json: JSON log lines from here on
        main.addMainListener(new LogFormat());
        // job history; in 'run' with management.port: health checks and metrics (README "Operations")
        main.addMainListener(new OperationsSetup());
        return new CamelApplication(main);
    }

    /** Starts Camel (routes and triggers) and returns once it is running. */
    public CamelApplication start() {
        try {
            main.start();
        } catch (Exception e) {
            throw StartupFailures.explain(e);
        }
        return this;
    }

    /** Starts Camel and blocks until the process is asked to stop (SIGTERM, Ctrl+C). */
    public void runUntilStopped() throws Exception {
        try {
            main.run();
        } catch (Exception e) {
            throw StartupFailures.explain(e);
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public ProducerTemplate template() {
        if (template == null) {
            template = context().createProducerTemplate();
        }
        return template;
    }

    @Override
    public void close() {
        try {
            if (template != null) {
                template.close();
            }
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Camel did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
