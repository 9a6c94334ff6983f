package org.dataversebackup.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the report.
 *
 * @param step    what was checked: {@code sign-in}, {@code user}, {@code access-mode}, {@code tables}, {@code privileges}
 * @param table   the table of a {@code privileges} step, else null
 * @param result  pass, warn, fail, error or skip
 * @param detail  what was found
 * @param fix     what to do about a warning or failure, else null
 * @param missing the privileges the account lacks (a {@code privileges} step), else empty
 */
public record CheckStep(String step, String table, StepResult result, String detail, String fix, List<String> missing) {

    public CheckStep {
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    static CheckStep of(String step, StepResult result, String detail, String fix) {
        return new CheckStep(step, null, result, detail, fix, List.of());
    }

    /** The step's name with its table, e.g. {@code privileges contact}. */
    public String title() {
        return table == null ? step : step + " " + table;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("step", step);
        if (table != null) {
            json.put("table", table);
        }
        json.put("result", result.value());
        json.put("detail", detail);
        if (fix != null) {
            json.put("fix", fix);
        }
        if (!missing.isEmpty()) {
            json.put("missing", missing);
        }
        return json;
    }
}
