package org.dataversebackup.cli;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.app.EffectiveConfiguration;

import picocli.CommandLine.Command;

/** Prints every setting with its effective value and the layer it comes from; secrets masked. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print the effective configuration: every setting, its value and where the value comes from.",
                "Layers, lowest first: the defaults in the jar, config/application.properties, --config, environment"
                        + " variables, -D. Values of secrets, passwords and keys are masked."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar config show",
                "  BACKUP_TABLES=account java -jar dataverse-backup.jar config show --profile demo"})
class ConfigShowCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) throws Exception {
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            EffectiveConfiguration configuration = EffectiveConfiguration.of(context, Map.of());
            Console.out().println("# Configuration files, lowest first: " + locations.configFiles().stream()
                    .map(AppLocations::describe).collect(Collectors.joining(", ")));
            Console.out().println("# Environment variables and -D win over them. Secrets are masked.");
            int width = configuration.settings().stream().mapToInt(s -> line(s).length()).filter(n -> n <= 72)
                    .max().orElse(40);
            for (EffectiveConfiguration.Setting setting : configuration.settings()) {
                Console.out().printf("%-" + width + "s  # %s%n", line(setting), setting.origin());
            }
            return ExitCodes.SUCCESS;
        }
    }

    private static String line(EffectiveConfiguration.Setting setting) {
        return setting.key() + " = " + setting.shownValue();
    }
}
