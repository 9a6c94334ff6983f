package org.dataversebackup.check;

/**
 * The verbs of table privileges ({@code PrivilegeType} in the Web API: None 0, Create 1, Read 2,
 * Write 3, Delete 4, Assign 5, Share 6, Append 7, AppendTo 8). A table's privilege is named
 * "prv" + verb + the table's SchemaName, e.g. {@code prvWriteAccount}.
 */
public enum PrivilegeVerb {
    CREATE("Create", 1),
    READ("Read", 2),
    WRITE("Write", 3),
    DELETE("Delete", 4),
    ASSIGN("Assign", 5),
    SHARE("Share", 6),
    APPEND("Append", 7),
    APPEND_TO("AppendTo", 8);

    private final String webName;
    private final int code;

    PrivilegeVerb(String webName, int code) {
        this.webName = webName;
        this.code = code;
    }

    /** {@code AppendTo}: the PrivilegeType name, and the verb in privilege names. */
    public String webName() {
        return webName;
    }

    /** A PrivilegeType as the Web API writes it (its name, or its number), or null (None, unknown). */
    static PrivilegeVerb fromPrivilegeType(com.fasterxml.jackson.databind.JsonNode type) {
        if (type == null || type.isNull() || type.isMissingNode()) {
            return null;
        }
        for (PrivilegeVerb verb : values()) {
            if (type.isNumber() ? type.asInt() == verb.code : verb.webName.equalsIgnoreCase(type.asText())) {
                return verb;
            }
        }
        return null;
    }
}
