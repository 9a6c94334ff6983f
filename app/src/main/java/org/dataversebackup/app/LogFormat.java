package org.dataversebackup.app;

import java.util.Locale;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

/**
 * {@code logging.format}: {@code text} (the pattern of logback.xml) or {@code json}
 * ({@link MaskedJsonLayout}). Applied as soon as the configuration is read, so only the lines
 * before it (at most a startup failure) are text.
 */
public final class LogFormat extends MainListenerSupport {
    /** The console appender of logback.xml. */
    private static final String APPENDER = "STDERR";

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        String format = Settings.of(main.getCamelContext()).get("logging.format", "text").toLowerCase(Locale.ROOT);
        switch (format) {
            case "text" -> { }
            case "json" -> json();
            default -> throw new ConfigurationException("Setting 'logging.format' must be text or json, not '" + format + "'.");
        }
    }

    private static void json() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
        if (!(appender instanceof OutputStreamAppender<ILoggingEvent> console)
                || console.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> wrapping
                        && wrapping.getLayout() instanceof MaskedJsonLayout) {
            return; // another logback configuration, or JSON already
        }
        MaskedJsonLayout layout = new MaskedJsonLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        console.stop();
        console.setEncoder(encoder);
        console.start();
    }
}
