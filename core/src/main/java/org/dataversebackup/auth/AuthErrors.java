package org.dataversebackup.auth;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.dataversebackup.auth.AuthenticationException.Problem;

import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;

/**
 * Turns what Entra ID and msal4j report into {@link AuthenticationException}s whose message says
 * what to do. The AADSTS codes are the ones connection accounts meet; anything else keeps Entra's
 * own description.
 */
final class AuthErrors {
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    private static final String CONSENT_SCOPES = "Dynamics CRM user_impersonation, Microsoft Graph User.Read"
            + " and offline_access";

    private final AuthSettings settings;

    AuthErrors(AuthSettings settings) {
        this.settings = settings;
    }

    AuthenticationException translate(Throwable failure) {
        Throwable unwrapped = unwrap(failure);
        if (unwrapped instanceof AuthenticationException ae) {
            return ae;
        }
        Optional<Throwable> network = networkCause(unwrapped);
        if (network.isPresent()) {
            return unreachable(network.get(), unwrapped);
        }
        String message = String.valueOf(unwrapped.getMessage());
        String errorCode = unwrapped instanceof MsalException me ? me.errorCode() : null;
        String aadsts = aadsts(message);
        if (aadsts != null) {
            AuthenticationException known = known(aadsts, message, unwrapped);
            if (known != null) {
                return known;
            }
        }
        if ("authorization_declined".equals(errorCode)) {
            return new AuthenticationException(Problem.SIGN_IN_REQUIRED, errorCode, "The sign-in with the device code"
                    + " was declined. Run 'dataverse-backup login' again and accept the sign-in" + forAccount() + ".",
                    unwrapped);
        }
        if ("expired_token".equals(errorCode) || "code_expired".equals(errorCode)) {
            return new AuthenticationException(Problem.SIGN_IN_REQUIRED, errorCode, "The device code expired before"
                    + " the sign-in was completed. Run 'dataverse-backup login' again and enter the code within its"
                    + " lifetime.", unwrapped);
        }
        String code = aadsts != null ? "AADSTS" + aadsts : errorCode;
        String what = unwrapped instanceof MsalServiceException ? "Entra ID refused the token request" :
                "The token request failed";
        return new AuthenticationException(Problem.OTHER, code, what + " (" + settings.mode() + " mode, authority "
                + settings.authority() + ", client id " + settings.clientId() + "): " + firstLine(message), unwrapped);
    }

    private AuthenticationException known(String aadsts, String message, Throwable original) {
        String code = "AADSTS" + aadsts;
        String clientId = settings.clientId();
        Authority authority = settings.authority();
        switch (aadsts) {
            case "65001":
                return new AuthenticationException(Problem.CONSENT_REQUIRED, code, code + ": the application "
                        + clientId + " has not been granted consent in tenant " + authority.tenant() + ". A Global"
                        + " Administrator (or Privileged Role Administrator) must grant admin consent once: open "
                        + authority.adminConsentUrl(clientId) + " and accept (or in the Entra admin center: App"
                        + " registrations > the application > API permissions > Grant admin consent), for "
                        + CONSENT_SCOPES + ". Then run the command again.", original);
            case "7000215":
                return new AuthenticationException(Problem.INVALID_CLIENT_SECRET, code, code + ": the client secret"
                        + " is not valid for application " + clientId + ". Set '" + settings.keyName(AuthSettings.CLIENT_SECRET)
                        + "' to the secret's Value (not its Secret ID) from the Entra admin center: App registrations"
                        + " > the application > Certificates & secrets; create a new secret if it was lost.", original);
            case "7000222":
                return new AuthenticationException(Problem.INVALID_CLIENT_SECRET, code, code + ": the client secret"
                        + " of application " + clientId + " has expired. Create a new secret in the Entra admin center"
                        + " (App registrations > the application > Certificates & secrets) and set '"
                        + settings.keyName(AuthSettings.CLIENT_SECRET) + "' to its Value.", original);
            case "700027":
            case "700023":
            case "700024":
                return new AuthenticationException(Problem.INVALID_CLIENT_CERTIFICATE, code, code + ": Entra ID does"
                        + " not accept the certificate of '" + settings.keyName(AuthSettings.CERTIFICATE_PATH) + "' for application "
                        + clientId + ". Upload the certificate (public part, .cer/.pem) in the Entra admin center: App"
                        + " registrations > the application > Certificates & secrets > Certificates, and check that"
                        + " it has not expired.", original);
            case "50126":
                return new AuthenticationException(Problem.INVALID_USER_CREDENTIALS, code, code + ": wrong user name"
                        + " or password for '" + settings.username().orElse("(none)") + "'. Check '"
                        + settings.keyName(AuthSettings.USERNAME) + "' and '" + settings.keyName(AuthSettings.PASSWORD) + "' (a changed or expired"
                        + " password must be updated here too).", original);
            case "50076":
            case "50079":
                return new AuthenticationException(Problem.MFA_REQUIRED, code, code + ": the account '"
                        + settings.username().orElse("(none)") + "' must use multi-factor authentication, which the"
                        + " password mode (ROPC) cannot do. Use " + settings.keyName(AuthSettings.MODE) + "=device-code (sign in once"
                        + " with 'dataverse-backup login') or an application user (" + settings.keyName(AuthSettings.MODE)
                        + "=client-secret or certificate).", original);
            case "50057":
                return new AuthenticationException(Problem.INVALID_USER_CREDENTIALS, code, code + ": the account '"
                        + settings.username().orElse("(the signed-in user)") + "' is disabled in Entra ID. Enable it"
                        + " (Entra admin center: Users > the account > Account status) or configure another"
                        + " connection account.", original);
            case "700016":
                return new AuthenticationException(Problem.APPLICATION_NOT_FOUND, code, code + ": application "
                        + clientId + " was not found in tenant " + authority.tenant() + ". Check '"
                        + settings.keyName(AuthSettings.CLIENT_ID) + "' (the Application (client) id, not the Object id) and '"
                        + settings.keyName(AuthSettings.TENANT_ID) + "'/'" + settings.keyName(AuthSettings.AUTHORITY) + "'; an application registered in"
                        + " another tenant needs admin consent here first: " + authority.adminConsentUrl(clientId),
                        original);
            case "90002":
            case "900023":
            case "90072":
                return new AuthenticationException(Problem.TENANT_NOT_FOUND, code, code + ": tenant '"
                        + authority.tenant() + "' was not found at " + authority + " (or the account is not in it)."
                        + " Check '" + settings.keyName(AuthSettings.TENANT_ID) + "' or '" + settings.keyName(AuthSettings.AUTHORITY) + "' (sovereign"
                        + " clouds have their own host, e.g. https://login.microsoftonline.us/<tenant>).", original);
            case "7000218":
                return new AuthenticationException(Problem.PUBLIC_CLIENT_NOT_ALLOWED, code, code + ": application "
                        + clientId + " does not allow the " + settings.mode() + " sign-in. In the Entra admin center:"
                        + " App registrations > the application > Authentication > Advanced settings, set 'Allow"
                        + " public client flows' to Yes (or use an application user).", original);
            case "70000":
            case "70008":
            case "700082":
            case "50173":
                return new AuthenticationException(Problem.SIGN_IN_REQUIRED, code, code + ": the saved sign-in is no"
                        + " longer valid (refresh token expired or revoked). Run 'dataverse-backup login' to sign in"
                        + " again.", original);
            default:
                return null;
        }
    }

    private AuthenticationException unreachable(Throwable network, Throwable original) {
        Authority authority = settings.authority();
        String target = authority.host() + ":" + (authority.port() == -1 ? 443 : authority.port());
        String reason;
        if (network instanceof UnknownHostException) {
            reason = "the host name " + authority.host() + " cannot be resolved";
        } else if (network instanceof SSLException) {
            reason = "TLS failed (" + firstLine(network.getMessage()) + "); if the authority uses a private CA,"
                    + " set dataverse.tls.trust-store to a trust store holding its certificate";
        } else if (network instanceof SocketTimeoutException || network instanceof InterruptedIOException) {
            reason = "it did not answer in time";
        } else {
            reason = firstLine(network.getMessage());
        }
        return new AuthenticationException(Problem.AUTHORITY_UNREACHABLE, null, "The authority " + authority
                + " cannot be reached at " + target + ": " + reason + ". Check '" + settings.keyName(AuthSettings.AUTHORITY)
                + "', the network and the proxy (-Dhttps.proxyHost/-Dhttps.proxyPort).", original);
    }

    private static Optional<Throwable> networkCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof SSLException
                    || t instanceof java.net.http.HttpConnectTimeoutException) {
                return Optional.of(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String aadsts(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = AADSTS.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    private String forAccount() {
        return settings.username().map(u -> " as " + u).orElse("");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        String line = message.strip().lines().findFirst().orElse("");
        return LogMasking.mask(line);
    }
}
