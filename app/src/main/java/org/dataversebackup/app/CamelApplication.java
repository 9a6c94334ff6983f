package org.dataversebackup.app;

import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
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
        Main main = new LayeredMain();
        main.setPropertyPlaceholderLocations(locations.propertyPlaceholderLocations());
        main.configure().withRoutesIncludePattern(locations.routesIncludePattern());
        // the demo emulator first, so that the connection settings point at it
        main.configure().addConfiguration(DemoEnvironment.Configuration.class);
        main.configure().addConfiguration(ServiceCluster.Configuration.class);
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

    /**
     * Starts Camel and blocks until the process is asked to stop (SIGTERM, Ctrl+C).
     *
     * @param started called once everything runs
     * @param stopped called once everything has stopped
     */
    public void runUntilStopped(Consumer<CamelContext> started, Runnable stopped) throws Exception {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport main) {
                started.accept(main.getCamelContext());
            }

            @Override
            public void afterStop(BaseMainSupport main) {
                stopped.run();
            }
        });
        try {
            main.run();
        } catch (Exception e) {
            throw StartupFailures.explain(e);
        }
    }

    /**
     * A CamelContext with the configuration only (the same layers as {@link #create}): no routes,
     * no beans, no demo emulator. For commands that only read settings.
     */
    public static CamelContext configurationOnly(AppLocations locations, Map<String, String> overrides) {
        DefaultCamelContext context = new DefaultCamelContext();
        ProcessPropertySources.install(context.getPropertiesComponent());
        context.getPropertiesComponent().setLocation(locations.propertyPlaceholderLocations());
        Properties commandLine = new Properties();
        commandLine.putAll(overrides);
        context.getPropertiesComponent().setOverrideProperties(commandLine);
        context.start();
        return context;
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

    /** camel-main with environment variables and -D above the files and below the command line. */
    private static final class LayeredMain extends Main {
        @Override
        protected CamelContext createCamelContext() {
            CamelContext context = super.createCamelContext();
            ProcessPropertySources.install(context.getPropertiesComponent());
            return context;
        }
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
