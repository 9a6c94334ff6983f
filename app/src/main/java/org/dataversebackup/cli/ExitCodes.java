package org.dataversebackup.cli;

import org.dataversebackup.auth.AuthenticationException;
import org.dataversebackup.check.CheckReport;

/**
 * Process exit codes of every command, as documented in the README. The library reports outcomes
 * (a sign-in problem, a check report); only the command line turns them into exit codes.
 */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    /** The job ran and failed (a table could not be read, a record was rejected, ...). */
    public static final int JOB_FAILED = 1;
    /** Bad command line or configuration: nothing was attempted. */
    public static final int USAGE = 2;
    /** The connection account does not meet the requirements (preflight check failed). */
    public static final int PREFLIGHT_FAILED = 3;

    private ExitCodes() {
    }

    /**
     * A sign-in failure: 3 when the account or tenant must change (consent, MFA, public client
     * flows, a new sign-in), 2 when a setting is wrong, 1 otherwise.
     */
    public static int of(AuthenticationException.Problem problem) {
        return switch (problem) {
            case CONSENT_REQUIRED, MFA_REQUIRED, PUBLIC_CLIENT_NOT_ALLOWED, SIGN_IN_REQUIRED -> PREFLIGHT_FAILED;
            case INVALID_CLIENT_SECRET, INVALID_CLIENT_CERTIFICATE, INVALID_USER_CREDENTIALS, APPLICATION_NOT_FOUND,
                    TENANT_NOT_FOUND -> USAGE;
            case AUTHORITY_UNREACHABLE, OTHER -> JOB_FAILED;
        };
    }

    public static int of(AuthenticationException failure) {
        if ("AADSTS500011".equals(failure.errorCode())) {
            return USAGE; // Entra ID knows no resource at dataverse.url: the setting is wrong
        }
        return of(failure.problem());
    }

    /** 0 passed, 3 a requirement is not met, 1 a step could not be checked. */
    public static int of(CheckReport report) {
        return switch (report.outcome()) {
            case "passed" -> SUCCESS;
            case "failed" -> PREFLIGHT_FAILED;
            default -> JOB_FAILED;
        };
    }
}
