package org.dataversebackup.restore;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The value restore wants a column of a row to have: a plain value, or a lookup bound through its
 * navigation property. Knows how to write itself into a request body and whether a live row
 * already holds it.
 */
public sealed interface ColumnValue {
    String LOOKUP_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname";

    /** The column's logical name. */
    String column();

    /** The property holding it in Web API rows ({@code name}, {@code _parentaccountid_value}). */
    String property();

    boolean isNull();

    /** Whether the live row (read with the lookuplogicalname annotation) holds this value. */
    boolean heldBy(JsonNode live);

    /** Adds the value to a create or update body; {@code live} is the current row or null. */
    void writeTo(ObjectNode body, JsonNode live);

    ObjectNode toJson();

    static ColumnValue fromJson(JsonNode json) {
        if (json.has("nav")) {
            List<String> navigations = new ArrayList<>();
            json.path("navs").forEach(n -> navigations.add(n.asText()));
            return new Lookup(json.path("c").asText(), json.path("nav").isNull() ? null : json.path("nav").asText(),
                    json.path("t").isNull() ? null : json.path("t").asText(),
                    json.path("set").isNull() ? null : json.path("set").asText(),
                    json.path("id").isNull() ? null : json.path("id").asText(), List.copyOf(navigations));
        }
        if (json.path("createdOn").asBoolean()) {
            return new CreatedOn(json.path("v"));
        }
        return new Plain(json.path("c").asText(), json.path("v"));
    }

    /**
     * The saved createdon, sent as {@code overriddencreatedon} when the row is created: Dataverse
     * makes it the row's {@code createdon} (and sets {@code overriddencreatedon} to the moment of
     * the create), so a live row holds it when its createdon is this value.
     */
    record CreatedOn(JsonNode value) implements ColumnValue {
        public static final String SENT_AS = "overriddencreatedon";
        public static final String HELD_IN = "createdon";

        @Override
        public String column() {
            return SENT_AS;
        }

        @Override
        public String property() {
            return SENT_AS;
        }

        @Override
        public boolean isNull() {
            return value == null || value.isNull() || value.isMissingNode();
        }

        @Override
        public boolean heldBy(JsonNode live) {
            return Plain.same(value, live == null ? null : live.get(HELD_IN));
        }

        @Override
        public void writeTo(ObjectNode body, JsonNode live) {
            body.set(SENT_AS, value);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = new Plain(SENT_AS, value).toJson();
            json.put("createdOn", true);
            return json;
        }
    }

    /** A column written as is. */
    record Plain(String column, JsonNode value) implements ColumnValue {
        @Override
        public String property() {
            return column;
        }

        @Override
        public boolean isNull() {
            return value == null || value.isNull() || value.isMissingNode();
        }

        @Override
        public boolean heldBy(JsonNode live) {
            return same(value, live == null ? null : live.get(column));
        }

        @Override
        public void writeTo(ObjectNode body, JsonNode live) {
            body.set(column, isNull() ? RestoreJson.MAPPER.getNodeFactory().nullNode() : value);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = RestoreJson.MAPPER.getNodeFactory().objectNode();
            json.put("c", column);
            json.set("v", isNull() ? RestoreJson.MAPPER.getNodeFactory().nullNode() : value);
            return json;
        }

        static boolean same(JsonNode a, JsonNode b) {
            boolean aNull = a == null || a.isNull() || a.isMissingNode();
            boolean bNull = b == null || b.isNull() || b.isMissingNode();
            if (aNull || bNull) {
                return aNull == bNull;
            }
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue()) == 0;
            }
            if (a.isNumber() || b.isNumber()) {
                try {
                    return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
                } catch (NumberFormatException notNumbers) {
                    return false;
                }
            }
            if (a.isTextual() && b.isTextual()) {
                String x = a.asText();
                String y = b.asText();
                if (x.equals(y)) {
                    return true;
                }
                return sameInstant(x, y);
            }
            return a.equals(b);
        }

        private static boolean sameInstant(String x, String y) {
            if (x.length() < 20 || y.length() < 20 || x.charAt(10) != 'T' || y.charAt(10) != 'T') {
                return false;
            }
            try {
                return OffsetDateTime.parse(x).toInstant().equals(OffsetDateTime.parse(y).toInstant());
            } catch (DateTimeParseException notDates) {
                return false;
            }
        }
    }

    /**
     * A lookup: {@code <navigation property>@odata.bind: "/<entity set>(<id>)"}, or null to clear it.
     *
     * @param navigation  the navigation property chosen for the target table; null when clearing
     * @param table       the target table (logical name); null when clearing
     * @param navigations every navigation property of the column as {@code <referenced table>:<navigation>}
     *                    (to clear the one in use)
     */
    record Lookup(String column, String navigation, String table, String entitySet, String id, List<String> navigations)
            implements ColumnValue {

        @Override
        public String property() {
            return "_" + column + "_value";
        }

        @Override
        public boolean isNull() {
            return id == null;
        }

        @Override
        public boolean heldBy(JsonNode live) {
            JsonNode value = live == null ? null : live.get(property());
            String liveId = value == null || value.isNull() ? null : value.asText();
            if (id == null || liveId == null) {
                return id == null && liveId == null;
            }
            if (!id.equalsIgnoreCase(liveId)) {
                return false;
            }
            JsonNode liveTable = live.get(property() + LOOKUP_TABLE);
            return liveTable == null || liveTable.isNull() || liveTable.asText().equalsIgnoreCase(table);
        }

        @Override
        public void writeTo(ObjectNode body, JsonNode live) {
            if (id != null) {
                body.put(navigation + "@odata.bind", "/" + entitySet + "(" + id + ")");
                return;
            }
            body.putNull(navigationToClear(live) + "@odata.bind");
        }

        /** The navigation property of the target the live row points to (polymorphic lookups have several). */
        String navigationToClear(JsonNode live) {
            JsonNode liveTable = live == null ? null : live.get(property() + LOOKUP_TABLE);
            if (liveTable != null && !liveTable.isNull()) {
                for (String candidate : navigations) {
                    int colon = candidate.indexOf(':');
                    if (candidate.substring(0, colon).equalsIgnoreCase(liveTable.asText())) {
                        return candidate.substring(colon + 1);
                    }
                }
            }
            if (navigations.isEmpty()) {
                return column;
            }
            String first = navigations.get(0);
            return first.substring(first.indexOf(':') + 1);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = RestoreJson.MAPPER.getNodeFactory().objectNode();
            json.put("c", column);
            json.put("nav", navigation);
            json.put("t", table);
            json.put("set", entitySet);
            json.put("id", id);
            navigations.forEach(json.putArray("navs")::add);
            return json;
        }
    }
}
