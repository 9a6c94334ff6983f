package org.dataversebackup.check;

import java.util.Locale;

/** The result of one step of the preflight check. */
public enum StepResult {
    /** The requirement is met. */
    PASS,
    /** Met, with something the user should know (e.g. a read depth that shows only part of the rows). */
    WARN,
    /** The requirement is not met: the detail says what is missing, the fix what to do. */
    FAIL,
    /** The step could not be checked (Dataverse or the authority unreachable, an unexpected answer). */
    ERROR,
    /** Not checked because an earlier step failed. */
    SKIP;

    /** Lower case, as in the JSON report. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of two results (FAIL and ERROR stop the check; FAIL is reported first). */
    StepResult worse(StepResult other) {
        return rank(other) > rank(this) ? other : this;
    }

    private static int rank(StepResult r) {
        return switch (r) {
            case SKIP -> 0;
            case PASS -> 1;
            case WARN -> 2;
            case ERROR -> 3;
            case FAIL -> 4;
        };
    }
}
