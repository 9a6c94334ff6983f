package org.dataversebackup.app;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dataversebackup.auth.LogMasking;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code logging.format=json}: one JSON object per line for log shippers, with the message and the
 * stack trace masked like the text lines ({@link LogMasking}). Fields: time (ISO-8601 UTC), level,
 * thread, logger, message, and exception when there is one.
 */
public class MaskedJsonLayout extends LayoutBase<ILoggingEvent> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String doLayout(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("thread", event.getThreadName());
        line.put("logger", event.getLoggerName());
        line.put("message", LogMasking.mask(event.getFormattedMessage()));
        if (event.getThrowableProxy() != null) {
            line.put("exception", LogMasking.mask(ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
        try {
            return JSON.writeValueAsString(line) + CoreConstants.LINE_SEPARATOR;
        } catch (JsonProcessingException e) {
            return "{\"level\":\"ERROR\",\"message\":\"a log line could not be written as JSON\"}" + CoreConstants.LINE_SEPARATOR;
        }
    }
}
