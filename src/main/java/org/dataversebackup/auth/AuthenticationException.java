package org.dataversebackup.auth;

import org.dataversebackup.app.ExitCodes;

/**
 * Signing in failed for a reason the user can act on; the message says what to do (and never
 * contains a secret or a token). The original msal4j exception is attached as a suppressed
 * exception (shown with {@code --verbose}), not as the cause, so that tools showing the innermost
 * message of a chain show this one.
 */
public class AuthenticationException extends RuntimeException {

    /** What went wrong, for callers that map failures (exit codes, retries). */
    public enum Problem {
        /** AADSTS65001: the tenant has not consented to the application's permissions. */
        CONSENT_REQUIRED(ExitCodes.PREFLIGHT_FAILED),
        /** AADSTS7000215/7000222: the client secret is wrong or expired. */
        INVALID_CLIENT_SECRET(ExitCodes.USAGE),
        /** AADSTS700027 and relatives: the certificate is not registered on the application, or is invalid. */
        INVALID_CLIENT_CERTIFICATE(ExitCodes.USAGE),
        /** AADSTS50126: wrong user name or password. */
        INVALID_USER_CREDENTIALS(ExitCodes.USAGE),
        /** AADSTS50076/50079: the account requires MFA, which the password mode cannot do. */
        MFA_REQUIRED(ExitCodes.PREFLIGHT_FAILED),
        /** AADSTS700016: no such application in the tenant. */
        APPLICATION_NOT_FOUND(ExitCodes.USAGE),
        /** AADSTS90002 and relatives: no such tenant. */
        TENANT_NOT_FOUND(ExitCodes.USAGE),
        /** AADSTS7000218: the app registration does not allow public client flows (device code, password). */
        PUBLIC_CLIENT_NOT_ALLOWED(ExitCodes.PREFLIGHT_FAILED),
        /** The user must sign in again (device code declined or expired, refresh token revoked). */
        SIGN_IN_REQUIRED(ExitCodes.PREFLIGHT_FAILED),
        /** The authority cannot be reached (DNS, connection refused, timeout, TLS). */
        AUTHORITY_UNREACHABLE(ExitCodes.JOB_FAILED),
        /** Anything else Entra ID or msal4j reported. */
        OTHER(ExitCodes.JOB_FAILED);

        private final int exitCode;

        Problem(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The exit code a command should end with (see {@link ExitCodes}). */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Problem problem;
    private final String errorCode;

    public AuthenticationException(Problem problem, String errorCode, String message, Throwable original) {
        super(message);
        this.problem = problem;
        this.errorCode = errorCode;
        if (original != null) {
            addSuppressed(original);
        }
    }

    public Problem problem() {
        return problem;
    }

    /** The Entra ID error code (e.g. {@code AADSTS65001}), or the OAuth error, or null. */
    public String errorCode() {
        return errorCode;
    }

    /** The exit code a command should end with. */
    public int exitCode() {
        return problem.exitCode();
    }
}
