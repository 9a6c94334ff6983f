package org.dataversebackup.emulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OData {@code $filter} expressions: comparisons (eq ne gt ge lt le), and, or, not, parentheses,
 * contains/startswith/endswith, literals (strings, numbers, GUIDs, dates, true/false/null, enum
 * members). Parsed once, then evaluated against rows or metadata objects through a {@link Resolver}.
 * String comparisons ignore case, as SQL Server's default collation does.
 */
final class Filter {
    interface Expr {
    }

    record And(Expr left, Expr right) implements Expr {
    }

    record Or(Expr left, Expr right) implements Expr {
    }

    record Not(Expr inner) implements Expr {
    }

    record Compare(String op, Expr left, Expr right) implements Expr {
    }

    record Call(String function, List<Expr> args) implements Expr {
    }

    /**
     * A Dataverse query function with named parameters, e.g.
     * {@code Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=["<guid>","<guid>"])}.
     */
    record QueryFunction(String name, java.util.Map<String, Object> parameters) implements Expr {
    }

    record Literal(Object value, String edm) implements Expr {
    }

    record Property(String path) implements Expr {
    }

    /** Gives the value of a property path for the object being filtered. */
    interface Resolver {
        Object get(String path);
    }

    private Filter() {
    }

    // ------------------------------------------------------------------ parsing

    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?(Z|[+-]\\d{2}:\\d{2})?)?");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?[mMdDfFlL]?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$@][A-Za-z0-9_./$@]*");

    static Expr parse(String text) {
        Parser p = new Parser(text);
        Expr e = p.or();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw ApiError.badRequest("Syntax error at position " + p.pos + " in '" + text + "'.");
        }
        return e;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean keyword(String word) {
            skipSpace();
            int end = pos + word.length();
            if (end <= s.length() && s.regionMatches(true, pos, word, 0, word.length())
                    && (end == s.length() || !Character.isLetterOrDigit(s.charAt(end)) && s.charAt(end) != '_')) {
                pos = end;
                return true;
            }
            return false;
        }

        boolean symbol(char c) {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        Expr or() {
            Expr left = and();
            while (keyword("or")) {
                left = new Or(left, and());
            }
            return left;
        }

        Expr and() {
            Expr left = unary();
            while (keyword("and")) {
                left = new And(left, unary());
            }
            return left;
        }

        Expr unary() {
            if (keyword("not")) {
                return new Not(unary());
            }
            Expr left = primary();
            for (String op : new String[] {"eq", "ne", "gt", "ge", "lt", "le"}) {
                if (keyword(op)) {
                    return new Compare(op, left, primary());
                }
            }
            return left;
        }

        Expr primary() {
            skipSpace();
            if (pos >= s.length()) {
                throw ApiError.badRequest("Syntax error: unexpected end of the $filter expression '" + s + "'.");
            }
            if (symbol('(')) {
                Expr e = or();
                if (!symbol(')')) {
                    throw ApiError.badRequest("Syntax error: ')' expected at position " + pos + " in '" + s + "'.");
                }
                return e;
            }
            char c = s.charAt(pos);
            if (c == '\'') {
                return new Literal(string(), "Edm.String");
            }
            Matcher guid = GUID.matcher(s).region(pos, s.length());
            if (guid.lookingAt() && (guid.end() == s.length() || !Character.isLetterOrDigit(s.charAt(guid.end())))) {
                pos = guid.end();
                return new Literal(UUID.fromString(guid.group()), "Edm.Guid");
            }
            Matcher date = DATE_TIME.matcher(s).region(pos, s.length());
            if (Character.isDigit(c) && date.lookingAt() && date.group().length() >= 10) {
                String t = date.group();
                pos = date.end();
                if (t.length() == 10) {
                    return new Literal(LocalDate.parse(t), "Edm.Date");
                }
                String withZone = t.endsWith("Z") || t.matches(".*[+-]\\d{2}:\\d{2}$") ? t : t + "Z";
                if (withZone.length() == 17) { // yyyy-MM-ddTHH:mmZ
                    withZone = withZone.substring(0, 16) + ":00Z";
                }
                return new Literal(OffsetDateTime.parse(withZone).toInstant(), "Edm.DateTimeOffset");
            }
            Matcher number = NUMBER.matcher(s).region(pos, s.length());
            if ((Character.isDigit(c) || c == '-') && number.lookingAt()) {
                String t = number.group();
                pos = number.end();
                String digits = t.replaceAll("[mMdDfFlL]$", "");
                if (digits.contains(".") || digits.contains("e") || digits.contains("E")) {
                    return new Literal(new BigDecimal(digits), "Edm.Decimal");
                }
                return new Literal(new BigDecimal(digits), new BigDecimal(digits).abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0
                        ? "Edm.Int64" : "Edm.Int32");
            }
            Matcher name = NAME.matcher(s).region(pos, s.length());
            if (name.lookingAt()) {
                String n = name.group();
                pos = name.end();
                if (n.equalsIgnoreCase("null")) {
                    return new Literal(null, null);
                }
                if (n.equalsIgnoreCase("true") || n.equalsIgnoreCase("false")) {
                    return new Literal(Boolean.parseBoolean(n.toLowerCase(Locale.ROOT)), "Edm.Boolean");
                }
                if (pos < s.length() && s.charAt(pos) == '\'') {
                    // an enum member: Namespace.Type'Member'
                    return new Literal(string(), "Enum:" + n);
                }
                if (n.startsWith("Microsoft.Dynamics.CRM.") && symbol('(')) {
                    return queryFunction(n);
                }
                if (symbol('(')) {
                    List<Expr> args = new ArrayList<>();
                    if (!symbol(')')) {
                        do {
                            args.add(or());
                        } while (symbol(','));
                        if (!symbol(')')) {
                            throw ApiError.badRequest("Syntax error: ')' expected at position " + pos + " in '" + s + "'.");
                        }
                    }
                    return new Call(n, args);
                }
                return new Property(n);
            }
            throw ApiError.badRequest("Syntax error at position " + pos + " in '" + s + "'.");
        }

        /** Named parameters up to the closing parenthesis: {@code Name=literal} or {@code Name=[v1,v2]}. */
        QueryFunction queryFunction(String function) {
            java.util.Map<String, Object> parameters = new java.util.LinkedHashMap<>();
            if (!symbol(')')) {
                do {
                    skipSpace();
                    Matcher name = NAME.matcher(s).region(pos, s.length());
                    boolean named = name.lookingAt();
                    if (named) {
                        pos = name.end();
                    }
                    if (!named || !symbol('=')) {
                        throw ApiError.badRequest("Syntax error: a parameter 'Name=value' expected at position " + pos
                                + " in '" + s + "'.");
                    }
                    parameters.put(name.group(), symbol('[') ? list() : literal());
                } while (symbol(','));
                if (!symbol(')')) {
                    throw ApiError.badRequest("Syntax error: ')' expected at position " + pos + " in '" + s + "'.");
                }
            }
            return new QueryFunction(function, parameters);
        }

        List<Object> list() {
            List<Object> values = new ArrayList<>();
            if (symbol(']')) {
                return values;
            }
            do {
                values.add(literal());
            } while (symbol(','));
            if (!symbol(']')) {
                throw ApiError.badRequest("Syntax error: ']' expected at position " + pos + " in '" + s + "'.");
            }
            return values;
        }

        /** A literal: 'single' or "double" quoted string (JSON style in query function arrays), or any other literal. */
        Object literal() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '"') {
                int end = s.indexOf('"', pos + 1);
                if (end < 0) {
                    throw ApiError.badRequest("Syntax error: unterminated string literal in '" + s + "'.");
                }
                String value = s.substring(pos + 1, end);
                pos = end + 1;
                return value;
            }
            Expr e = primary();
            if (!(e instanceof Literal l)) {
                throw ApiError.badRequest("Syntax error: a literal expected before position " + pos + " in '" + s + "'.");
            }
            return l.value();
        }

        String string() {
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char ch = s.charAt(pos++);
                if (ch == '\'') {
                    if (pos < s.length() && s.charAt(pos) == '\'') {
                        b.append('\'');
                        pos++;
                    } else {
                        return b.toString();
                    }
                } else {
                    b.append(ch);
                }
            }
            throw ApiError.badRequest("Syntax error: unterminated string literal in '" + s + "'.");
        }
    }

    // ------------------------------------------------------------------ evaluation

    static boolean test(Expr e, Resolver r) {
        Object v = eval(e, r);
        return Boolean.TRUE.equals(v);
    }

    private static Object eval(Expr e, Resolver r) {
        if (e instanceof And a) {
            return test(a.left(), r) && test(a.right(), r);
        }
        if (e instanceof Or o) {
            return test(o.left(), r) || test(o.right(), r);
        }
        if (e instanceof Not n) {
            return !test(n.inner(), r);
        }
        if (e instanceof Literal l) {
            return l.value();
        }
        if (e instanceof Property p) {
            return r.get(p.path());
        }
        if (e instanceof Compare c) {
            Object left = eval(c.left(), r);
            Object right = eval(c.right(), r);
            if (left == null || right == null) {
                boolean bothNull = left == null && right == null;
                return switch (c.op()) {
                    case "eq" -> bothNull;
                    case "ne" -> !bothNull && (isNullLiteral(c.left()) || isNullLiteral(c.right()));
                    default -> false;
                };
            }
            int cmp = compare(left, right);
            return switch (c.op()) {
                case "eq" -> cmp == 0;
                case "ne" -> cmp != 0;
                case "gt" -> cmp > 0;
                case "ge" -> cmp >= 0;
                case "lt" -> cmp < 0;
                default -> cmp <= 0;
            };
        }
        if (e instanceof QueryFunction f) {
            return queryFunction(f, r);
        }
        if (e instanceof Call call) {
            String fn = call.function().toLowerCase(Locale.ROOT);
            Object a = eval(call.args().get(0), r);
            Object b = eval(call.args().get(1), r);
            if (!(a instanceof String) || !(b instanceof String)) {
                return false;
            }
            String x = ((String) a).toLowerCase(Locale.ROOT);
            String y = ((String) b).toLowerCase(Locale.ROOT);
            return switch (fn) {
                case "contains" -> x.contains(y);
                case "startswith" -> x.startsWith(y);
                default -> x.endsWith(y);
            };
        }
        throw ApiError.badRequest("Unsupported expression " + e);
    }

    /**
     * The primary keys a filter restricts the rows to ({@code pk eq <guid>}, or-chains of those,
     * {@code Microsoft.Dynamics.CRM.In} on the key, or an {@code and} with such a side), so that
     * rows can be looked up by key instead of scanning the table; null when the filter does not
     * restrict the key. The whole filter is still applied to the rows found.
     */
    static java.util.Set<UUID> keyIds(Expr e, String primaryKey) {
        if (e instanceof Compare c && c.op().equals("eq")) {
            Expr other = c.left() instanceof Property p && p.path().equals(primaryKey) ? c.right()
                    : c.right() instanceof Property p && p.path().equals(primaryKey) ? c.left() : null;
            return other instanceof Literal l && l.value() instanceof UUID id ? java.util.Set.of(id) : null;
        }
        if (e instanceof Or o) {
            java.util.Set<UUID> left = keyIds(o.left(), primaryKey);
            java.util.Set<UUID> right = left == null ? null : keyIds(o.right(), primaryKey);
            if (right == null) {
                return null;
            }
            java.util.Set<UUID> both = new java.util.HashSet<>(left);
            both.addAll(right);
            return both;
        }
        if (e instanceof And a) {
            java.util.Set<UUID> left = keyIds(a.left(), primaryKey);
            return left != null ? left : keyIds(a.right(), primaryKey);
        }
        if (e instanceof QueryFunction f && f.name().equals("Microsoft.Dynamics.CRM.In")
                && primaryKey.equals(f.parameters().get("PropertyName")) && f.parameters().get("PropertyValues") instanceof List<?> values) {
            java.util.Set<UUID> ids = new java.util.HashSet<>();
            for (Object value : values) {
                try {
                    ids.add(value instanceof UUID id ? id : UUID.fromString(String.valueOf(value)));
                } catch (IllegalArgumentException notAGuid) {
                    return null;
                }
            }
            return ids;
        }
        return null;
    }

    private static boolean queryFunction(QueryFunction f, Resolver r) {
        String function = f.name().substring("Microsoft.Dynamics.CRM.".length());
        if (!function.equals("In") && !function.equals("NotIn")) {
            throw ApiError.badRequest("The query function " + f.name() + " is not supported by the emulator.");
        }
        Object property = f.parameters().get("PropertyName");
        Object values = f.parameters().get("PropertyValues");
        if (!(property instanceof String name) || !(values instanceof List<?> list)) {
            throw ApiError.badRequest(f.name() + " needs PropertyName='name' and PropertyValues=[...].");
        }
        Object actual = r.get(name);
        boolean found = false;
        for (Object value : list) {
            if (actual != null && value != null && compare(actual, coerce(value, actual)) == 0) {
                found = true;
                break;
            }
        }
        return function.equals("In") == found;
    }

    /** A query function's value (given as a string) as the type of the column it is compared with. */
    private static Object coerce(Object value, Object like) {
        if (!(value instanceof String text)) {
            return value;
        }
        try {
            if (like instanceof UUID || like instanceof Ref) {
                return UUID.fromString(text);
            }
            if (like instanceof Number) {
                return new BigDecimal(text);
            }
        } catch (IllegalArgumentException notThatType) {
            return text;
        }
        return text;
    }

    private static boolean isNullLiteral(Expr e) {
        return e instanceof Literal l && l.value() == null;
    }

    /** Compares two non-null values of compatible types. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a instanceof Ref r) {
            a = r.id();
        }
        if (b instanceof Ref r) {
            b = r.id();
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareToIgnoreCase(y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return toDecimal(x).compareTo(toDecimal(y));
        }
        if (a instanceof UUID x && b instanceof UUID y) {
            return Guids.compare(x, y);
        }
        if (a instanceof LocalDate x && b instanceof Instant) {
            a = x.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (a instanceof Instant && b instanceof LocalDate y) {
            b = y.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (a instanceof Comparable x && a.getClass() == b.getClass()) {
            return x.compareTo(b);
        }
        return a.toString().compareToIgnoreCase(b.toString());
    }

    private static BigDecimal toDecimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    // ------------------------------------------------------------------ binding to a table

    /**
     * Checks the properties and literal types of a filter against a table, as the Web API does
     * before running it; throws 400 errors with OData's messages.
     */
    static void bind(Expr e, TableDef def) {
        if (e instanceof And a) {
            bind(a.left(), def);
            bind(a.right(), def);
        } else if (e instanceof Or o) {
            bind(o.left(), def);
            bind(o.right(), def);
        } else if (e instanceof Not n) {
            bind(n.inner(), def);
        } else if (e instanceof Property p) {
            column(p.path(), def);
        } else if (e instanceof Call c) {
            String fn = c.function().toLowerCase(Locale.ROOT);
            if (!fn.equals("contains") && !fn.equals("startswith") && !fn.equals("endswith")) {
                throw ApiError.badRequest("The function '" + c.function() + "' is not supported by the emulator's $filter.");
            }
            if (c.args().size() != 2) {
                throw ApiError.badRequest("No function signature for the function with name '" + c.function()
                        + "' matches the specified arguments.");
            }
            for (Expr arg : c.args()) {
                bind(arg, def);
                if (arg instanceof Property p && !"Edm.String".equals(column(p.path(), def).edmType())) {
                    throw ApiError.badRequest("No function signature for the function with name '" + c.function()
                            + "' matches the specified arguments.");
                }
            }
        } else if (e instanceof Compare c) {
            bind(c.left(), def);
            bind(c.right(), def);
            String left = edm(c.left(), def);
            String right = edm(c.right(), def);
            if (left != null && right != null && !compatible(left, right)) {
                throw new ApiError(400, "0x0", "A binary operator with incompatible types was detected. Found operand"
                        + " types '" + left + "' and '" + right + "' for operator kind '" + kind(c.op()) + "'.");
            }
        }
    }

    static ColumnDef column(String property, TableDef def) {
        ColumnDef c = def.byProperty.get(property);
        if (c == null) {
            throw ApiError.propertyNotFound(property, def.logicalName);
        }
        return c;
    }

    private static String edm(Expr e, TableDef def) {
        if (e instanceof Property p) {
            return column(p.path(), def).edmType();
        }
        if (e instanceof Literal l) {
            return l.edm();
        }
        return null;
    }

    private static boolean compatible(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        boolean numA = a.equals("Edm.Int32") || a.equals("Edm.Int64") || a.equals("Edm.Decimal") || a.equals("Edm.Double");
        boolean numB = b.equals("Edm.Int32") || b.equals("Edm.Int64") || b.equals("Edm.Decimal") || b.equals("Edm.Double");
        if (numA && numB) {
            return true;
        }
        boolean dateA = a.equals("Edm.Date") || a.equals("Edm.DateTimeOffset");
        boolean dateB = b.equals("Edm.Date") || b.equals("Edm.DateTimeOffset");
        return dateA && dateB;
    }

    private static String kind(String op) {
        return switch (op) {
            case "eq" -> "Equal";
            case "ne" -> "NotEqual";
            case "gt" -> "GreaterThan";
            case "ge" -> "GreaterThanOrEqual";
            case "lt" -> "LessThan";
            default -> "LessThanOrEqual";
        };
    }
}
