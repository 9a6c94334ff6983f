package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLHandshakeException;

import org.dataversebackup.auth.AuthenticationException.Problem;
import org.junit.jupiter.api.Test;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;

/** Every AADSTS code users meet maps to a message that says what to do. */
class AuthErrorsTest {
    private final AuthSettings settings = AuthSettings.builder().mode(AuthMode.PASSWORD)
            .dataverseUrl("https://contoso.crm.dynamics.com").authority("https://login.microsoftonline.com/contoso-tenant")
            .clientId("app-123").username("backup@contoso.com").password("pw-value-1").build();
    private final AuthErrors errors = new AuthErrors(settings);

    private AuthenticationException service(String error, String description) {
        return errors.translate(new ExecutionException(new MsalServiceException(description, error)));
    }

    @Test
    void consentRequiredGivesTheAdminConsentUrl() {
        AuthenticationException e = service("invalid_grant", "AADSTS65001: The user or administrator has not consented"
                + " to use the application with ID 'app-123'.");
        assertThat(e.problem()).isEqualTo(Problem.CONSENT_REQUIRED);
        assertThat(e.errorCode()).isEqualTo("AADSTS65001");
        assertThat(e.getMessage()).contains("Global Administrator",
                "https://login.microsoftonline.com/contoso-tenant/adminconsent?client_id=app-123");
    }

    @Test
    void badClientSecret() {
        AuthenticationException e = service("invalid_client", "AADSTS7000215: Invalid client secret provided.");
        assertThat(e.problem()).isEqualTo(Problem.INVALID_CLIENT_SECRET);
        assertThat(e.getMessage()).contains("'auth.client-secret'", "Value (not its Secret ID)");
        assertThat(service("invalid_client", "AADSTS7000222: The provided client secret keys are expired.").getMessage())
                .contains("expired");
    }

    @Test
    void badUserNameOrPassword() {
        AuthenticationException e = service("invalid_grant", "AADSTS50126: Error validating credentials due to invalid"
                + " username or password.");
        assertThat(e.problem()).isEqualTo(Problem.INVALID_USER_CREDENTIALS);
        assertThat(e.getMessage()).contains("backup@contoso.com", "'auth.username'", "'auth.password'")
                .doesNotContain("pw-value-1");
    }

    @Test
    void mfaRequiredPointsToDeviceCodeOrAnApplicationUser() {
        for (String code : new String[] {"50076", "50079"}) {
            AuthenticationException e = service("invalid_grant", "AADSTS" + code + ": Due to a configuration change"
                    + " made by your administrator, you must use multi-factor authentication.");
            assertThat(e.problem()).isEqualTo(Problem.MFA_REQUIRED);
            assertThat(e.getMessage()).contains("auth.mode=device-code", "dataverse-backup login", "application user");
        }
    }

    @Test
    void applicationNotFound() {
        AuthenticationException e = service("unauthorized_client", "AADSTS700016: Application with identifier 'app-123'"
                + " was not found in the directory 'contoso-tenant'.");
        assertThat(e.problem()).isEqualTo(Problem.APPLICATION_NOT_FOUND);
        assertThat(e.getMessage()).contains("'auth.client-id'", "contoso-tenant", "adminconsent?client_id=app-123");
    }

    @Test
    void otherCodesKeepEntrasDescription() {
        AuthenticationException e = service("invalid_request", "AADSTS90014: The required field 'scope' is missing.");
        assertThat(e.problem()).isEqualTo(Problem.OTHER);
        assertThat(e.getMessage()).contains("AADSTS90014", "scope");
        assertThat(service("invalid_client", "AADSTS700027: Client assertion contains an invalid signature.").problem())
                .isEqualTo(Problem.INVALID_CLIENT_CERTIFICATE);
        assertThat(service("invalid_client", "AADSTS7000218: The request body must contain client_assertion.")
                .getMessage()).contains("Allow public client flows");
    }

    @Test
    void unreachableAuthorityNamesHostAndPort() {
        AuthenticationException refused = errors.translate(new ExecutionException(new MsalClientException(
                new ConnectException("Connection refused"))));
        assertThat(refused.problem()).isEqualTo(Problem.AUTHORITY_UNREACHABLE);
        assertThat(refused.getMessage()).contains("login.microsoftonline.com:443", "Connection refused", "'auth.authority'");
        AuthenticationException dns = errors.translate(new MsalClientException(new UnknownHostException("x")));
        assertThat(dns.getMessage()).contains("cannot be resolved");
        AuthenticationException tls = errors.translate(new MsalClientException(new SSLHandshakeException("PKIX path")));
        assertThat(tls.getMessage()).contains("dataverse.tls.trust-store");
    }

    @Test
    void theOriginalIsKeptAsSuppressedNotAsCauseSoTheCliShowsOurMessage() {
        AuthenticationException e = service("invalid_client", "AADSTS7000215: Invalid client secret provided.");
        assertThat(e.getCause()).isNull();
        assertThat(e.getSuppressed()).hasSize(1);
    }
}
