package org.dataversebackup.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * Captures everything logged while it is open, at debug level for our code, msal4j and Camel: the
 * lines as the application's pattern writes them (with the masking converters), and the raw
 * messages and stack traces.
 */
final class CapturedLogs implements AutoCloseable {
    private static final String[] LOGGERS = {"org.dataversebackup", "com.microsoft.aad.msal4j", "org.apache.camel",
            "org.apache.hc"};

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ByteArrayOutputStream formatted = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> output = new OutputStreamAppender<>();
    private final List<String> raw = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> rawAppender;
    private final Map<String, Level> levels = new ConcurrentHashMap<>();

    CapturedLogs() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%-5level %logger - %maskedMsg%n%maskedEx");
        encoder.start();
        output.setContext(context);
        output.setEncoder(encoder);
        output.setOutputStream(formatted);
        output.start();
        rawAppender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                StringBuilder line = new StringBuilder(event.getLoggerName()).append(" - ")
                        .append(event.getFormattedMessage());
                if (event.getThrowableProxy() != null) {
                    line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
                }
                synchronized (raw) {
                    raw.add(line.toString());
                }
            }
        };
        rawAppender.setContext(context);
        rawAppender.start();
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            levels.put(name, logger.getLevel() == null ? Level.INFO : logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        root.addAppender(output);
        root.addAppender(rawAppender);
    }

    /** The log as the application writes it (masked). */
    String formatted() {
        synchronized (output) {
            return formatted.toString(StandardCharsets.UTF_8);
        }
    }

    /** Raw messages (unmasked) of the given logger prefix. */
    String raw(String loggerPrefix) {
        synchronized (raw) {
            return String.join("\n", raw.stream().filter(l -> l.startsWith(loggerPrefix)).toList());
        }
    }

    @Override
    public void close() {
        root.detachAppender(output);
        root.detachAppender(rawAppender);
        output.stop();
        rawAppender.stop();
        levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
}
