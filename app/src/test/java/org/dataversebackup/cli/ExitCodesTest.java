package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;


import org.dataversebackup.auth.AuthenticationException.Problem;
import org.junit.jupiter.api.Test;

/**
 * The library reports outcomes; the command line maps them to the README's exit codes (check
 * reports: CheckCommandIT).
 */
class ExitCodesTest {

    @Test
    void signInProblemsTheAccountMustFixAreRequirementsSettingsAreUsageTheRestFailures() {
        assertThat(ExitCodes.of(Problem.CONSENT_REQUIRED)).isEqualTo(3);
        assertThat(ExitCodes.of(Problem.MFA_REQUIRED)).isEqualTo(3);
        assertThat(ExitCodes.of(Problem.SIGN_IN_REQUIRED)).isEqualTo(3);
        assertThat(ExitCodes.of(Problem.INVALID_CLIENT_SECRET)).isEqualTo(2);
        assertThat(ExitCodes.of(Problem.TENANT_NOT_FOUND)).isEqualTo(2);
        assertThat(ExitCodes.of(Problem.AUTHORITY_UNREACHABLE)).isEqualTo(1);
        assertThat(ExitCodes.of(Problem.OTHER)).isEqualTo(1);
        assertThat(ExitCodes.of(new org.dataversebackup.auth.AuthenticationException(Problem.OTHER, "AADSTS500011",
                "The resource principal named https://contoso.crm.dynamics.com was not found", null)))
                .as("no environment at dataverse.url: a setting").isEqualTo(2);
    }
}
