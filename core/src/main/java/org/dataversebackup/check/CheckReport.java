package org.dataversebackup.check;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The answer of the preflight check: every step with its result, detail and fix, who was checked
 * against what. {@link #toJson()} is the body {@code direct:check} answers; {@link ReportTable}
 * prints it for people.
 */
public final class CheckReport {
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final CheckRequest request;
    private final String environment;
    private final Instant checkedAt;
    private final Duration duration;
    private final Map<String, Object> account;
    private final List<String> tables;
    private final List<CheckStep> steps;

    CheckReport(CheckRequest request, String environment, Instant checkedAt, Duration duration, Map<String, Object> account,
            List<String> tables, List<CheckStep> steps) {
        this.request = request;
        this.environment = environment;
        this.checkedAt = checkedAt;
        this.duration = duration;
        this.account = account == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(account));
        this.tables = List.copyOf(tables);
        this.steps = List.copyOf(steps);
    }

    public CheckRequest request() {
        return request;
    }

    public Purpose purpose() {
        return request.purpose();
    }

    /** The environment URL checked. */
    public String environment() {
        return environment;
    }

    /** Who the account is: userId, fullName, domainName, accessMode, ... (what could be read). */
    public Map<String, Object> account() {
        return account;
    }

    /** The tables in scope (logical names). */
    public List<String> tables() {
        return tables;
    }

    public List<CheckStep> steps() {
        return steps;
    }

    /** True when no step failed or could not be checked (warnings allowed). */
    public boolean passed() {
        return steps.stream().noneMatch(s -> s.result() == StepResult.FAIL || s.result() == StepResult.ERROR);
    }

    /** {@code passed}, {@code failed} (a requirement is not met) or {@code error} (something could not be checked). */
    public String outcome() {
        if (steps.stream().anyMatch(s -> s.result() == StepResult.FAIL)) {
            return "failed";
        }
        return passed() ? "passed" : "error";
    }


    /** How many steps ended with each result. */
    public Map<StepResult, Long> counts() {
        Map<StepResult, Long> counts = new EnumMap<>(StepResult.class);
        for (StepResult r : StepResult.values()) {
            counts.put(r, steps.stream().filter(s -> s.result() == r).count());
        }
        return counts;
    }

    /** One line: the outcome and what failed, e.g. for logs and exception messages. */
    public String summary() {
        String head = "Preflight check for " + purpose() + " " + outcome();
        List<CheckStep> bad = steps.stream()
                .filter(s -> s.result() == StepResult.FAIL || s.result() == StepResult.ERROR).toList();
        if (bad.isEmpty()) {
            long warnings = counts().get(StepResult.WARN);
            return head + (warnings == 0 ? "." : " with " + warnings + (warnings == 1 ? " warning." : " warnings."));
        }
        return head + ": " + bad.stream().limit(5).map(s -> s.title() + ": " + s.detail())
                .collect(Collectors.joining("; ")) + (bad.size() > 5 ? "; ... " + (bad.size() - 5) + " more" : "");
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("check", "dataverse-backup preflight");
        json.put("for", purpose().value());
        json.put("passed", passed());
        json.put("outcome", outcome());
        json.put("environment", environment);
        json.put("checkedAt", checkedAt.toString());
        json.put("durationMs", duration.toMillis());
        json.put("request", request.toJson());
        json.put("account", account);
        json.put("tables", tables);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts().forEach((r, n) -> counts.put(r.value(), n));
        json.put("counts", counts);
        json.put("steps", steps.stream().map(CheckStep::toJson).toList());
        return json;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return summary();
    }
}
