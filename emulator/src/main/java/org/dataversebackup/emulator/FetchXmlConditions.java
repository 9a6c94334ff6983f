package org.dataversebackup.emulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Evaluates FetchXML filters on a joined row with SQL Server's semantics, which Dataverse runs
 * them with: a condition on a null value is false for every operator but {@code null} (so
 * {@code ne} and {@code not-like} do not return rows where the column is null), strings compare
 * without regard to case, and {@code like} patterns use {@code %}, {@code _} and {@code [...]}.
 */
final class FetchXmlConditions {
    /** LIKE patterns compiled once per condition of the query. */
    private final Map<FetchXml.Condition, Pattern> patterns = new IdentityHashMap<>();

    /** Whether the joined row (sources by node alias) passes the filter; null filters pass. */
    boolean test(FetchXml.Filter filter, BiFunction<String, ColumnDef, Object> value) {
        if (filter == null) {
            return true;
        }
        for (FetchXml.Condition c : filter.conditions()) {
            boolean pass = test(c, value.apply(c.nodeAlias(), c.column()));
            if (filter.or() && pass) {
                return true;
            }
            if (!filter.or() && !pass) {
                return false;
            }
        }
        for (FetchXml.Filter nested : filter.filters()) {
            boolean pass = test(nested, value);
            if (filter.or() && pass) {
                return true;
            }
            if (!filter.or() && !pass) {
                return false;
            }
        }
        // an 'or' with no true part is false, unless it is empty; an 'and' with no false part is true
        return !filter.or() || filter.conditions().isEmpty() && filter.filters().isEmpty();
    }

    /** Whether a filter names a node other than {@code alias} (then it can only run once the rows are joined). */
    static boolean namesOtherNodes(FetchXml.Filter filter, String alias) {
        if (filter == null) {
            return false;
        }
        for (FetchXml.Condition c : filter.conditions()) {
            if (!c.nodeAlias().equals(alias)) {
                return true;
            }
        }
        for (FetchXml.Filter nested : filter.filters()) {
            if (namesOtherNodes(nested, alias)) {
                return true;
            }
        }
        return false;
    }

    private boolean test(FetchXml.Condition c, Object v) {
        String op = c.operator();
        if (op.equals("null")) {
            return v == null;
        }
        if (v == null) {
            return false;
        }
        if (op.equals("not-null")) {
            return true;
        }
        Object first = c.values().get(0);
        return switch (op) {
            case "eq" -> Filter.compare(v, first) == 0;
            case "ne" -> Filter.compare(v, first) != 0;
            case "gt" -> Filter.compare(v, first) > 0;
            case "ge" -> Filter.compare(v, first) >= 0;
            case "lt" -> Filter.compare(v, first) < 0;
            case "le" -> Filter.compare(v, first) <= 0;
            case "in" -> c.values().stream().anyMatch(x -> Filter.compare(v, x) == 0);
            case "not-in" -> c.values().stream().noneMatch(x -> Filter.compare(v, x) == 0);
            case "between" -> between(v, c);
            case "not-between" -> !between(v, c);
            case "like", "begins-with", "ends-with" -> like(c, v);
            case "not-like", "not-begin-with", "not-end-with" -> !like(c, v);
            case "on" -> day(v).isEqual((LocalDate) first);
            case "on-or-after" -> !day(v).isBefore((LocalDate) first);
            case "on-or-before" -> !day(v).isAfter((LocalDate) first);
            default -> throw FetchXml.unsupported("0x80041120", "the condition operator '" + op + "'");
        };
    }

    private static boolean between(Object v, FetchXml.Condition c) {
        return Filter.compare(v, c.values().get(0)) >= 0 && Filter.compare(v, c.values().get(1)) <= 0;
    }

    private static LocalDate day(Object v) {
        return v instanceof LocalDate d ? d : ((Instant) v).atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** begins-with and ends-with are LIKE patterns with a trailing or leading {@code %}, as Dataverse runs them. */
    private boolean like(FetchXml.Condition c, Object v) {
        Pattern pattern = patterns.computeIfAbsent(c, k -> {
            String value = (String) k.values().get(0);
            String like = k.operator().contains("begin") ? value + "%" : k.operator().contains("end") ? "%" + value : value;
            return likePattern(like);
        });
        return pattern.matcher(v.toString()).matches();
    }

    /** SQL Server's LIKE as a regular expression: % any text, _ one character, [abc] [a-c] [^abc] one of a set. */
    static Pattern likePattern(String like) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char ch = like.charAt(i);
            if (ch == '%') {
                regex.append(".*");
            } else if (ch == '_') {
                regex.append('.');
            } else if (ch == '[' && like.indexOf(']', i + 1) > i + 1) {
                int end = like.indexOf(']', i + 1);
                String set = like.substring(i + 1, end);
                regex.append('[');
                for (int j = 0; j < set.length(); j++) {
                    char s = set.charAt(j);
                    boolean syntax = s == '-' && j > 0 && j < set.length() - 1 || s == '^' && j == 0;
                    regex.append(syntax || Character.isLetterOrDigit(s) ? String.valueOf(s) : "\\" + s);
                }
                regex.append(']');
                i = end;
            } else {
                regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
