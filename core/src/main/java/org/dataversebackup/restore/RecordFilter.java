package org.dataversebackup.restore;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.dataversebackup.config.ConfigurationException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A filter on the fields saved in the snapshot, for restoring part of a table:
 *
 * <pre>
 *   condition [; condition ...]        every condition must hold
 *   condition = field=value | field!=value
 *   value     = text | text|text|...   any of the alternatives
 *             | null                   the field is empty
 * </pre>
 *
 * A field is a column's logical name; a lookup can be named by its column ({@code parentaccountid})
 * or its Web API property ({@code _parentaccountid_value}). Values are compared with the saved
 * value as text, ignoring case (as Dataverse compares strings); numbers compare by value
 * ({@code revenue=5000} matches {@code 5000.0000}). Examples: {@code name=Contoso},
 * {@code statecode=0;_ownerid_value=5a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d},
 * {@code address1_city=Paris|Lyon}, {@code parentaccountid!=null}.
 */
public final class RecordFilter {
    private record Condition(String field, boolean equal, List<String> values) {
    }

    private final String expression;
    private final List<Condition> conditions;

    private RecordFilter(String expression, List<Condition> conditions) {
        this.expression = expression;
        this.conditions = conditions;
    }

    public static RecordFilter parse(String expression) {
        List<Condition> conditions = new ArrayList<>();
        for (String part : expression.split(";")) {
            String condition = part.trim();
            if (condition.isEmpty()) {
                continue;
            }
            int notEqual = condition.indexOf("!=");
            int equal = condition.indexOf('=');
            if (equal <= 0 || (notEqual >= 0 && notEqual == 0)) {
                throw new ConfigurationException("Filter condition '" + condition + "' is not field=value or field!=value.");
            }
            boolean negated = notEqual > 0 && notEqual < equal;
            String field = condition.substring(0, negated ? notEqual : equal).trim();
            String value = condition.substring(equal + 1).trim();
            if (!field.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ConfigurationException("Filter field '" + field + "' is not a column name.");
            }
            conditions.add(new Condition(field.toLowerCase(Locale.ROOT), !negated,
                    Arrays.stream(value.split("\\|")).map(String::trim).toList()));
        }
        if (conditions.isEmpty()) {
            throw new ConfigurationException("The filter '" + expression + "' has no condition.");
        }
        return new RecordFilter(expression.trim(), List.copyOf(conditions));
    }

    public String expression() {
        return expression;
    }

    /** The fields the filter reads (as written in the expression, lower case). */
    public Set<String> fields() {
        return conditions.stream().map(Condition::field).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** Whether every field of the filter is a column of the table; a table without them is left out. */
    public boolean appliesTo(TableSchema schema) {
        return fields().stream().allMatch(schema::hasColumn);
    }

    public boolean matches(JsonNode record) {
        for (Condition condition : conditions) {
            JsonNode saved = record.get(condition.field());
            if (saved == null && !condition.field().startsWith("_")) {
                saved = record.get("_" + condition.field() + "_value");
            }
            JsonNode value = saved;
            boolean any = condition.values().stream().anyMatch(expected -> same(value, expected));
            if (any != condition.equal()) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(JsonNode value, String expected) {
        if (value == null || value.isNull()) {
            return expected.equalsIgnoreCase("null");
        }
        if (value.isNumber()) {
            try {
                return value.decimalValue().compareTo(new BigDecimal(expected)) == 0;
            } catch (NumberFormatException notANumber) {
                return false;
            }
        }
        return value.asText().equalsIgnoreCase(expected);
    }

    @Override
    public String toString() {
        return expression;
    }
}
