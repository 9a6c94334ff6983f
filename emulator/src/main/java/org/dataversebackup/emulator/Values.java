package org.dataversebackup.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** Converting JSON values of the Web API into stored values, with OData's type checks. */
final class Values {
    private Values() {
    }

    /** A JSON value for a column; the exception message is the OData error text. */
    static Object fromJson(ColumnDef c, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        switch (c.type) {
            case STRING:
            case MEMO:
            case ENTITYNAME:
            case IMAGE: // the thumbnail, base64 (state files; writes refuse image columns before this)
                if (!node.isTextual()) {
                    throw mismatch(node, c);
                }
                return node.textValue();
            case INTEGER:
            case PICKLIST:
            case STATE:
            case STATUS:
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw mismatch(node, c);
                }
                return node.intValue();
            case BIGINT:
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw mismatch(node, c);
                }
                return node.longValue();
            case DECIMAL:
                if (!node.isNumber()) {
                    throw mismatch(node, c);
                }
                return node.decimalValue().setScale(c.precision, RoundingMode.HALF_UP);
            case MONEY:
                if (!node.isNumber()) {
                    throw mismatch(node, c);
                }
                return node.decimalValue().setScale(4, RoundingMode.HALF_UP);
            case DOUBLE:
                if (!node.isNumber()) {
                    throw mismatch(node, c);
                }
                return node.doubleValue();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw mismatch(node, c);
                }
                return node.booleanValue();
            case UNIQUEIDENTIFIER:
            case LOOKUP:
            case FILE: // the file id (state files; writes refuse file columns before this)
                if (!node.isTextual()) {
                    throw mismatch(node, c);
                }
                try {
                    return Guids.parse(node.textValue());
                } catch (IllegalArgumentException e) {
                    throw mismatch(node, c);
                }
            case DATETIME:
                if (!node.isTextual()) {
                    throw mismatch(node, c);
                }
                return c.isDateOnly() ? parseDate(node.textValue(), c) : parseDateTime(node.textValue(), c);
            default:
                throw new IllegalArgumentException("The property '" + c.logicalName + "' cannot be written.");
        }
    }

    static Instant parseDateTime(String text, ColumnDef c) {
        try {
            return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("Cannot convert the literal '" + text
                        + "' to the expected type 'Edm.DateTimeOffset'.");
            }
        }
    }

    static LocalDate parseDate(String text, ColumnDef c) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Cannot convert the literal '" + text + "' to the expected type 'Edm.Date'.");
        }
    }

    private static IllegalArgumentException mismatch(JsonNode node, ColumnDef c) {
        return new IllegalArgumentException("Cannot convert the literal '" + (node.isTextual() ? node.textValue() : node.toString())
                + "' to the expected type '" + c.edmType() + "'.");
    }

    /** Checks a value against the column's limits; returns an error message or null. */
    static String validate(ColumnDef c, Object v, String table) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s && c.maxLength > 0 && s.length() > c.maxLength) {
            return "A validation error occurred.  The length of the '" + c.logicalName + "' attribute of the '" + table
                    + "' entity exceeded the maximum allowed length of '" + c.maxLength + "'.";
        }
        if ((c.type == AttrType.PICKLIST || c.type == AttrType.STATUS || c.type == AttrType.STATE)
                && !c.options.containsKey((Integer) v)) {
            return "A validation error occurred. The value " + v + " of '" + c.logicalName
                    + "' on record of type '" + table + "' is outside the valid range. Accepted Values: "
                    + String.join(",", c.options.keySet().stream().map(String::valueOf).toList());
        }
        if (c.minValue != null && c.maxValue != null && v instanceof Number n && !(v instanceof Long && "versionnumber".equals(c.logicalName))) {
            BigDecimal value = v instanceof BigDecimal d ? d : new BigDecimal(n.toString());
            if (value.compareTo(new BigDecimal(c.minValue.toString())) < 0 || value.compareTo(new BigDecimal(c.maxValue.toString())) > 0) {
                return "A validation error occurred. The value " + value.toPlainString() + " of '" + c.logicalName
                        + "' on record of type '" + table + "' is outside the valid range.";
            }
        }
        return null;
    }

    static UUID uuidOrNull(Object v) {
        if (v instanceof UUID u) {
            return u;
        }
        if (v instanceof Ref r) {
            return r.id();
        }
        return null;
    }
}
