package org.dataversebackup.app;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The beans the routes refer to ({@code #name} in the YAML files), created from configuration.
 * Environment choices (file or S3 target, emulator or real Dataverse) are made here, never in
 * routes.
 */
public class ApplicationBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        // beans are added here as the flows that need them land
    }
}
