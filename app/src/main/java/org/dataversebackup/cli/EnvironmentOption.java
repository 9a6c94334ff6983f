package org.dataversebackup.cli;

import org.dataversebackup.config.Settings;

import picocli.CommandLine.Option;

/** The {@code --environment} option of the commands that run a job against Dataverse. */
public class EnvironmentOption {
    @Option(names = {"-e", "--environment"}, paramLabel = "NAME", defaultValue = Settings.DEFAULT_ENVIRONMENT,
            description = "The Dataverse environment: default (dataverse.url, auth.*) or a name configured with"
                    + " dataverse.environments.NAME.url and .auth.* (default: ${DEFAULT-VALUE}).")
    String environment;

    /** The {@code dataverse:} endpoint of a job ({@code backup}, {@code restore}, {@code check}) in this environment. */
    String endpoint(String job) {
        return "dataverse:" + job + "?environment=" + Settings.checkEnvironmentName(environment);
    }
}
