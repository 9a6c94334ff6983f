package org.dataversebackup.check;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A privilege's depth ({@code PrivilegeDepth}: Basic 0, Local 1, Deep 2, Global 3, RecordFilter 4),
 * ordered from the narrowest to the widest: the Web API serializes it by name ({@code "Global"}).
 */
public enum Depth {
    /** Rows matching a record filter only. */
    RECORD_FILTER("RecordFilter", 4, "RecordFilter (rows matching a record filter)"),
    /** The user's own rows, and rows shared with it or its teams. */
    BASIC("Basic", 0, "Basic (own rows)"),
    /** Rows of the user's business unit. */
    LOCAL("Local", 1, "Local (its business unit)"),
    /** Rows of the user's business unit and its child units. */
    DEEP("Deep", 2, "Deep (its business unit and child units)"),
    /** Every row of the organization. */
    GLOBAL("Global", 3, "Global (organization)");

    private final String webName;
    private final int code;
    private final String description;

    Depth(String webName, int code, String description) {
        this.webName = webName;
        this.code = code;
        this.description = description;
    }

    public String webName() {
        return webName;
    }

    /** e.g. "Basic (own rows)". */
    public String description() {
        return description;
    }

    /** The depth the Web API wrote (name or number); unknown values count as Basic. */
    static Depth parse(JsonNode node) {
        for (Depth depth : values()) {
            if (node.isNumber() ? node.asInt() == depth.code : depth.webName.equalsIgnoreCase(node.asText())) {
                return depth;
            }
        }
        return BASIC;
    }

    Depth widest(Depth other) {
        return other == null || compareTo(other) >= 0 ? this : other;
    }
}
