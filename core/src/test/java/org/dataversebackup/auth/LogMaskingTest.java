package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogMaskingTest {

    @Test
    void registeredSecretsAndTokensAreMasked() {
        LogMasking.registerSecret("my-client-secret-1");
        LogMasking.registerToken("opaque-token-abcdef");
        assertThat(LogMasking.mask("secret my-client-secret-1 and token opaque-token-abcdef"))
                .isEqualTo("secret **** and token ****");
    }

    @Test
    void shortValuesAreNotRegistered() {
        LogMasking.registerSecret("abc");
        assertThat(LogMasking.mask("abcdef")).isEqualTo("abcdef");
    }

    @Test
    void tokenShapedValuesAreMaskedEvenWhenUnknown() {
        assertThat(LogMasking.mask("Authorization: Bearer abc.def-ghi_jkl")).isEqualTo("Authorization: Bearer ****");
        assertThat(LogMasking.mask("jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl end"))
                .isEqualTo("jwt **** end");
        assertThat(LogMasking.mask("grant_type=password&username=u&password=p4ss&client_secret=xyz"))
                .isEqualTo("grant_type=password&username=u&password=****&client_secret=****");
        assertThat(LogMasking.mask("{\"access_token\":\"abc\",\"refresh_token\": \"def\",\"expires_in\":5}"))
                .isEqualTo("{\"access_token\":\"****\",\"refresh_token\": \"****\",\"expires_in\":5}");
        assertThat(LogMasking.mask("exit code=2, status 401")).isEqualTo("exit code=2, status 401");
    }
}
