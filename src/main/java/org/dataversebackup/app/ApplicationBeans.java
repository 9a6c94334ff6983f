package org.dataversebackup.app;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.dataversebackup.auth.AuthenticationBeans;

/**
 * The beans the routes refer to ({@code #name} in the YAML files), created from configuration.
 * Environment choices (file or S3 target, emulator or real Dataverse) are made here, never in
 * routes.
 */
public class ApplicationBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        // beans are added here as the flows that need them land
        // #dataverseToken (bearer header processor) and #dataverseAccessTokens, built from auth.* at first use
        AuthenticationBeans.register(camelContext);
    }
}
