package org.dataversebackup.emulator;

/** Depth of a privilege in a security role, as Dataverse's PrivilegeDepth enum (serialized by name). */
public enum PrivilegeDepth {
    /** Own records and records shared with the user (and owned by the user's teams). */
    BASIC("Basic"),
    /** Records of the user's business unit. */
    LOCAL("Local"),
    /** Records of the user's business unit and its child units. */
    DEEP("Deep"),
    /** Every record of the organization. */
    GLOBAL("Global");

    private final String webApiName;

    PrivilegeDepth(String webApiName) {
        this.webApiName = webApiName;
    }

    /** The name the Web API uses ({@code "Global"}). */
    public String webApiName() {
        return webApiName;
    }

    public static PrivilegeDepth fromWebApiName(String name) {
        for (PrivilegeDepth d : values()) {
            if (d.webApiName.equalsIgnoreCase(name) || d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("Unknown privilege depth " + name);
    }
}
