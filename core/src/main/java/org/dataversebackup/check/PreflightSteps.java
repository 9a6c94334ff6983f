package org.dataversebackup.check;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Selection;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The beans of {@code routes/check.camel.yaml} ({@code #preflightSteps}): read what to check from
 * the headers (or a JSON body), run the {@link Preflight}, answer with the report; and, for the
 * backup and restore routes, stop when it did not pass.
 */
public class PreflightSteps {
    private static final String TABLES_EXAMPLE = "account,contact or *";
    private final Preflight preflight;

    public PreflightSteps(Preflight preflight) {
        this.preflight = preflight;
    }

    /**
     * What to check: headers {@link CheckHeaders#PURPOSE}, {@link CheckHeaders#TABLES},
     * {@link CheckHeaders#LOOKUPS}, {@link CheckHeaders#INCREMENTAL}; for a header that is absent,
     * the same key of a JSON object body ({@code {"for": "restore", "tables": ["account"],
     * "lookups": true, "incremental": false}}). Any other body is ignored.
     */
    public CheckRequest request(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode body = jsonBody(in);
        String purposeValue = in.getHeader(CheckHeaders.PURPOSE, String.class);
        if (purposeValue == null) {
            purposeValue = text(body, "for", text(body, "purpose", "backup"));
        }
        Purpose purpose = Purpose.parse(purposeValue);
        List<String> tables = tables(in.getHeader(CheckHeaders.TABLES));
        if (tables == null) {
            JsonNode node = body == null ? null : body.get("tables");
            tables = node == null || node.isNull() ? List.of()
                    : Selection.require(node.isArray() ? toList(node) : Selection.split(node.asText()), "The check request's 'tables'",
                            TABLES_EXAMPLE);
        }
        boolean lookups = flag(in, CheckHeaders.LOOKUPS, body, "lookups", true);
        boolean incremental = flag(in, CheckHeaders.INCREMENTAL, body, "incremental", false);
        CheckRequest request = new CheckRequest(purpose, tables, purpose == Purpose.RESTORE && lookups,
                purpose == Purpose.BACKUP && incremental);
        exchange.setProperty(CheckHeaders.REQUEST_PROPERTY, request);
        return request;
    }

    /** Runs the check; the body becomes the JSON report, header {@link CheckHeaders#PASSED} says whether it passed. */
    public String run(Exchange exchange) {
        CheckRequest request = exchange.getProperty(CheckHeaders.REQUEST_PROPERTY, CheckRequest.class);
        if (request == null) {
            request = request(exchange);
        }
        CheckReport report = preflight.run(request);
        exchange.setProperty(CheckHeaders.REPORT_PROPERTY, report);
        exchange.getMessage().setHeader(CheckHeaders.PASSED, report.passed());
        exchange.getMessage().setHeader(CheckHeaders.OUTCOME, report.outcome());
        return report.toJson();
    }

    /** After {@code direct:check}: stops the job with {@link PreflightFailedException} unless the check passed. */
    public void requirePassed(Exchange exchange) {
        CheckReport report = exchange.getProperty(CheckHeaders.REPORT_PROPERTY, CheckReport.class);
        if (report == null) {
            throw new IllegalStateException("requirePassed is called after direct:check, which sets the exchange"
                    + " property " + CheckHeaders.REPORT_PROPERTY);
        }
        if (!report.passed()) {
            throw new PreflightFailedException(report);
        }
    }

    private static JsonNode jsonBody(Message in) {
        Object body = in.getBody();
        try {
            if (body instanceof Map<?, ?> map) {
                return CheckReport.JSON.valueToTree(map);
            }
            String text = body instanceof String s ? s : body instanceof byte[] b ? new String(b,
                    java.nio.charset.StandardCharsets.UTF_8) : null;
            if (text == null || !text.strip().startsWith("{")) {
                return null;
            }
            return CheckReport.JSON.readTree(text);
        } catch (IOException | IllegalArgumentException e) {
            return null; // not a check request: the body belongs to the calling flow
        }
    }

    /** The header as given: null when absent; given, it must name at least one table. */
    private static List<String> tables(Object header) {
        if (header == null) {
            return null;
        }
        List<String> given = new ArrayList<>();
        if (header instanceof Collection<?> names) {
            names.forEach(n -> given.add(String.valueOf(n)));
        } else if (header instanceof String[] names) {
            given.addAll(List.of(names));
        } else {
            given.add(header.toString());
        }
        return Selection.require(given.stream().flatMap(n -> Selection.split(n).stream()).toList(),
                "Header " + CheckHeaders.TABLES, TABLES_EXAMPLE);
    }

    private static List<String> toList(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.addAll(Selection.split(n.asText())));
        return list;
    }

    private static boolean flag(Message in, String header, JsonNode body, String key, boolean defaultValue) {
        Object value = in.getHeader(header);
        if (value == null && body != null && body.has(key)) {
            value = body.get(key).asText();
        }
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        return switch (value.toString().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigurationException("Header " + header + " (or '" + key + "') must be true or false,"
                    + " not '" + value + "'.");
        };
    }

    private static String text(JsonNode body, String key, String defaultValue) {
        return body != null && body.hasNonNull(key) ? body.get(key).asText() : defaultValue;
    }
}
