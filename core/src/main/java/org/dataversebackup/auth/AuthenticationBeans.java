package org.dataversebackup.auth;

import org.apache.camel.CamelContext;
import org.dataversebackup.config.Settings;
import org.dataversebackup.dataverse.AccessTokens;

/**
 * Registers the authentication beans in a Camel registry, built from the configuration on first
 * use: {@value #ACCESS_TOKENS} (the {@link AccessTokens} our Dataverse client uses) and
 * {@value DataverseTokenProcessor#BEAN_NAME} (the processor routes use to set the bearer header).
 */
public final class AuthenticationBeans {
    /** The bean name of the application's {@link AccessTokens}. */
    public static final String ACCESS_TOKENS = "dataverseAccessTokens";

    private AuthenticationBeans() {
    }

    public static void register(CamelContext context) {
        LazyAccessTokens tokens = new LazyAccessTokens(() -> DataverseTokenProvider.create(
                AuthSettings.from(Settings.of(context))));
        context.getRegistry().bind(ACCESS_TOKENS, AccessTokens.class, tokens);
        context.getRegistry().bind(DataverseTokenProcessor.BEAN_NAME, DataverseTokenProcessor.class,
                new DataverseTokenProcessor(tokens));
    }
}
