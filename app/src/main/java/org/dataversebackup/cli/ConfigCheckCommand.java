package org.dataversebackup.cli;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.app.ConfigurationCheck;
import org.dataversebackup.app.EffectiveConfiguration;

import picocli.CommandLine.Command;

/** Validates the configuration offline: exit 0 when usable, 2 with one line per problem. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check the effective configuration without connecting to anything.",
                "Required settings, numbers, switches, choices, the schedule, the target, files that must exist, and"
                        + " keys that are no setting (typos). Exit code 0 usable, 2 with one line per problem. The"
                        + " 'check' command (not 'config check') then tests the connection account."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar config check",
                "  java -jar dataverse-backup.jar config check --config /etc/dataverse-backup/prod.properties"})
class ConfigCheckCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) throws Exception {
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            ConfigurationCheck.Result result = ConfigurationCheck.run(context, EffectiveConfiguration.of(context, Map.of()),
                    AppLocations.bundledKeys());
            result.warnings().forEach(warning -> Console.error("warning: " + warning, null));
            result.problems().forEach(problem -> Console.error(problem, null));
            if (!result.ok()) {
                return ExitCodes.USAGE;
            }
            Console.out().println("The configuration is usable (" + (result.warnings().isEmpty() ? "no warnings"
                    : result.warnings().size() + (result.warnings().size() == 1 ? " warning" : " warnings"))
                    + "); 'check' tests the connection account against Dataverse.");
            return ExitCodes.SUCCESS;
        }
    }
}
