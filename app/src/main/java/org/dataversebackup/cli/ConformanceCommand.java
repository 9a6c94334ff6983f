package org.dataversebackup.cli;

import java.util.List;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.BeanNames;
import org.dataversebackup.config.Settings;
import org.dataversebackup.conformance.ConformanceProbes;
import org.dataversebackup.dataverse.DataverseClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code emulator conformance}: the Web API behaviour this project relies on, probed read-only on
 * the configured environment, so a real environment and the emulator can be compared line by line.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Probe the configured environment for the documented Web API behaviour the emulator follows.",
                "Read-only: run it against a real environment and against the emulator and compare the lines. Exit"
                        + " code 1 when a probe fails."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar emulator conformance --profile demo",
                "  java -jar dataverse-backup.jar emulator conformance --config my-environment/"})
class ConformanceCommand extends ApplicationCommand {
    @Mixin
    EnvironmentOption environment = new EnvironmentOption();

    @Override
    protected int execute(AppLocations locations) {
        try (CamelApplication app = startCamel(locations)) {
            String name = Settings.checkEnvironmentName(environment.environment);
            DataverseClient client = app.context().getRegistry().lookupByNameAndType(
                    BeanNames.of(name, BeanNames.DATAVERSE_CLIENT), DataverseClient.class);
            Console.out().println("Web API conformance of " + client.environmentUrl());
            List<ConformanceProbes.Result> results = ConformanceProbes.run(client);
            for (ConformanceProbes.Result result : results) {
                Console.out().printf("%-4s %s%s%n", result.outcome(), result.probe(),
                        result.detail().isEmpty() ? "" : ": " + result.detail());
            }
            long failed = results.stream().filter(r -> r.outcome() == ConformanceProbes.Outcome.FAIL).count();
            long skipped = results.stream().filter(r -> r.outcome() == ConformanceProbes.Outcome.SKIP).count();
            Console.out().printf("%d probes: %d passed, %d failed, %d skipped%n", results.size(),
                    results.size() - failed - skipped, failed, skipped);
            return failed == 0 ? ExitCodes.SUCCESS : ExitCodes.JOB_FAILED;
        }
    }
}
