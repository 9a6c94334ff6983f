package org.dataversebackup.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report as a table for the console: step, result, detail and fix. When many tables pass,
 * their rows are folded into one so that the problems stay visible.
 */
public final class ReportTable {
    static final int DETAIL_WIDTH = 96;
    static final int FOLD_PASSING_TABLES_ABOVE = 12;

    private ReportTable() {
    }

    public static String render(CheckReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Preflight check for ").append(report.purpose()).append(": ")
                .append(report.outcome().toUpperCase()).append('\n');
        out.append("  environment  ").append(report.environment()).append('\n');
        String account = account(report.account());
        if (!account.isEmpty()) {
            out.append("  account      ").append(account).append('\n');
        }
        if (!report.tables().isEmpty()) {
            out.append("  tables       ").append(abbreviate(report.tables(), 10)).append('\n');
        }
        out.append('\n');

        List<CheckStep> steps = fold(report.steps());
        int width = Math.max(18, steps.stream().mapToInt(s -> s.title().length()).max().orElse(0));
        String indent = " ".repeat(2 + width + 2 + 6 + 2);
        out.append(String.format("  %-" + width + "s  %-6s  %s%n", "STEP", "RESULT", "DETAIL / FIX"));
        for (CheckStep step : steps) {
            List<String> lines = wrap(step.detail(), DETAIL_WIDTH);
            if (step.fix() != null) {
                lines.addAll(wrap("fix: " + step.fix(), DETAIL_WIDTH));
            }
            out.append(String.format("  %-" + width + "s  %-6s  %s%n", step.title(), step.result().name(),
                    lines.isEmpty() ? "" : lines.get(0)));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                out.append(indent).append(line).append('\n');
            }
        }
        Map<StepResult, Long> counts = report.counts();
        out.append('\n').append(String.format("  %d passed, %d warnings, %d failed, %d could not be checked, %d skipped%n",
                counts.get(StepResult.PASS), counts.get(StepResult.WARN), counts.get(StepResult.FAIL),
                counts.get(StepResult.ERROR), counts.get(StepResult.SKIP)));
        return out.toString();
    }

    private static String account(Map<String, Object> account) {
        List<String> parts = new ArrayList<>();
        Object name = account.get("fullName");
        Object domain = account.get("domainName");
        if (name != null) {
            parts.add(domain != null ? name + " <" + domain + ">" : name.toString());
        } else if (domain != null) {
            parts.add(domain.toString());
        }
        if (account.get("accessModeName") != null) {
            parts.add("access mode " + account.get("accessModeName"));
        }
        if (account.get("userId") != null) {
            parts.add("user id " + account.get("userId"));
        }
        return String.join(", ", parts);
    }

    /** Many passing privilege rows become one. */
    static List<CheckStep> fold(List<CheckStep> steps) {
        List<CheckStep> passingTables = steps.stream()
                .filter(s -> s.table() != null && s.result() == StepResult.PASS).toList();
        if (passingTables.size() <= FOLD_PASSING_TABLES_ABOVE) {
            return steps;
        }
        List<CheckStep> folded = new ArrayList<>();
        boolean added = false;
        for (CheckStep step : steps) {
            if (step.table() != null && step.result() == StepResult.PASS) {
                if (!added) {
                    folded.add(CheckStep.of("privileges (" + passingTables.size() + " tables)", StepResult.PASS,
                            "the account holds what these tables need: " + abbreviate(
                                    passingTables.stream().map(CheckStep::table).toList(), 8)
                                    + " (--json lists each)", null));
                    added = true;
                }
            } else {
                folded.add(step);
            }
        }
        return folded;
    }

    static String abbreviate(List<String> names, int max) {
        return names.size() <= max ? String.join(", ", names)
                : String.join(", ", names.subList(0, max)) + ", ... " + (names.size() - max) + " more";
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return lines;
        }
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
