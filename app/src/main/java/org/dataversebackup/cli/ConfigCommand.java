package org.dataversebackup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code config show} and {@code config check}: the configuration itself, without connecting anywhere. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show or check the effective configuration, without connecting to anything.",
        subcommands = {ConfigShowCommand.class, ConfigCheckCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar config show",
                "  java -jar dataverse-backup.jar config check --profile demo"})
class ConfigCommand {
    /** Options given between 'config' and its subcommand (config --profile demo show). */
    @Mixin
    ApplicationOptions options;
}
