package org.dataversebackup.check;

/**
 * {@code systemuser.accessmode} (Microsoft's "User (SystemUser) table" reference: 0 Read-Write,
 * 1 Administrative, 2 Read, 3 Support User, 4 Non-interactive, 5 Delegated Admin) and what each
 * means for a connection account.
 *
 * <p>Read-Write and Non-interactive pass. Administrative users reach the Settings area only, not
 * business data; Read users cannot create or update a row (they fail backup too: the issue's
 * requirement is Read-Write or Non-interactive, and a backup account must be able to restore);
 * Support User is the restricted account of Microsoft support;
 * Delegated Admin is the system user Microsoft provisions for partners' delegated administrators
 * ("System and application users": a system user that is not to be deleted or modified), not a
 * dedicated account of the customer, so it fails too (the issue asks for Read-Write or
 * Non-interactive).
 */
public enum AccessMode {
    READ_WRITE(0, "Read-Write"),
    ADMINISTRATIVE(1, "Administrative"),
    READ(2, "Read"),
    SUPPORT_USER(3, "Support User"),
    NON_INTERACTIVE(4, "Non-interactive"),
    DELEGATED_ADMIN(5, "Delegated Admin");

    static final String WHERE = "Power Platform admin center > Environments > the environment > Settings > Users +"
            + " permissions > Users > the user > Manage user in Dynamics 365 > Administration > Client Access License"
            + " (CAL) Information > Access Mode";
    static final String USE_APPLICATION_USER = "or connect with an application user (auth.mode=client-secret or"
            + " certificate), whose access mode is Non-interactive";

    private final int code;
    private final String label;

    AccessMode(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** The mode of a code, or null for a code Microsoft does not document. */
    public static AccessMode of(int code) {
        for (AccessMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        return null;
    }

    /** The step of the report for an account with this access mode code. */
    static CheckStep step(int code, Purpose purpose) {
        AccessMode mode = of(code);
        String name = (mode == null ? "unknown" : mode.label) + " (" + code + ")";
        if (mode == null) {
            return CheckStep.of("access-mode", StepResult.WARN, name + ": not an access mode Microsoft documents;"
                    + " Read-Write (0) and Non-interactive (4) are the supported ones.", "Set Access Mode to Read-Write ("
                    + WHERE + "), " + USE_APPLICATION_USER + ".");
        }
        return switch (mode) {
            case READ_WRITE -> CheckStep.of("access-mode", StepResult.PASS, name + ": reads and writes through the Web"
                    + " API.", null);
            case NON_INTERACTIVE -> CheckStep.of("access-mode", StepResult.PASS, name + ": an API-only account (the"
                    + " access mode of application users).", null);
            case READ -> CheckStep.of("access-mode", StepResult.FAIL, name + ": the account can read but never create or"
                    + " update a row" + (purpose == Purpose.RESTORE ? ", so a restore fails on its first write."
                            : "; the connection account must be Read-Write or Non-interactive (the same account"
                                    + " restores what it backs up)."),
                    "Set Access Mode to Read-Write (" + WHERE + "), " + USE_APPLICATION_USER + ".");
            case ADMINISTRATIVE -> CheckStep.of("access-mode", StepResult.FAIL, name + ": the account reaches the"
                    + " Settings area only, not business data, whatever its security roles.", "Set Access Mode to"
                    + " Read-Write (" + WHERE + "; it needs a license), " + USE_APPLICATION_USER + ".");
            case SUPPORT_USER -> CheckStep.of("access-mode", StepResult.FAIL, name + ": the restricted account of"
                    + " Microsoft support, without access to customer data.", "Configure one of your own accounts:"
                    + " a Read-Write user, " + USE_APPLICATION_USER + ".");
            case DELEGATED_ADMIN -> CheckStep.of("access-mode", StepResult.FAIL, name + ": the system user Microsoft"
                    + " provisions for a partner's delegated administrators, not an account of this organization"
                    + " (Microsoft: system users are not to be modified); its access ends with the partner"
                    + " relationship.", "Configure an account of this organization: a Read-Write user, "
                    + USE_APPLICATION_USER + ".");
        };
    }
}
