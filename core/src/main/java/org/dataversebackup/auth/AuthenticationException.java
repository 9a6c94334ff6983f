package org.dataversebackup.auth;

/**
 * Signing in failed for a reason the user can act on; the message says what to do (and never
 * contains a secret or a token). The original msal4j exception is attached as a suppressed
 * exception (shown with {@code --verbose}), not as the cause, so that tools showing the innermost
 * message of a chain show this one.
 */
public class AuthenticationException extends RuntimeException {

    /** What went wrong, for callers that map failures (the command line to exit codes, flows to retries). */
    public enum Problem {
        /** AADSTS65001: the tenant has not consented to the application's permissions. */
        CONSENT_REQUIRED,
        /** AADSTS7000215/7000222: the client secret is wrong or expired. */
        INVALID_CLIENT_SECRET,
        /** AADSTS700027 and relatives: the certificate is not registered on the application, or is invalid. */
        INVALID_CLIENT_CERTIFICATE,
        /** AADSTS50126: wrong user name or password. */
        INVALID_USER_CREDENTIALS,
        /** AADSTS50076/50079: the account requires MFA, which the password mode cannot do. */
        MFA_REQUIRED,
        /** AADSTS700016: no such application in the tenant. */
        APPLICATION_NOT_FOUND,
        /** AADSTS90002 and relatives: no such tenant. */
        TENANT_NOT_FOUND,
        /** AADSTS7000218: the app registration does not allow public client flows (device code, password). */
        PUBLIC_CLIENT_NOT_ALLOWED,
        /** The user must sign in again (device code declined or expired, refresh token revoked). */
        SIGN_IN_REQUIRED,
        /** The authority cannot be reached (DNS, connection refused, timeout, TLS). */
        AUTHORITY_UNREACHABLE,
        /** Anything else Entra ID or msal4j reported. */
        OTHER
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
}
