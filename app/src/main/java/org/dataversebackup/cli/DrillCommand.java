package org.dataversebackup.cli;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.config.Settings;
import org.dataversebackup.operations.DrillJob;
import org.dataversebackup.operations.RestoreDrill;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Prove that a snapshot restores: restore it into a scratch environment, back it up and compare.",
                "Restores into drill.environment, backs that environment up again and compares the records with the snapshot's",
                "(the columns a restore writes).",
                "Prints the measured restore time (RTO); records the outcome in the job history; a failed drill is an alert",
                "event (events.uri). Exit 0 passed, 1 failed."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar drill --snapshot backups/contoso/20261129T020000Z-3f2a-full",
                "  java -jar dataverse-backup.jar drill --snapshot backups/contoso/20261129T020000Z-3f2a-full --environment sandbox"})
class DrillCommand extends ApplicationCommand {
    @Option(names = "--snapshot", required = true, paramLabel = "LOCATION",
            description = "The snapshot to restore: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String snapshot;

    @Option(names = "--environment", paramLabel = "NAME",
            description = "The scratch environment (under dataverse.environments) to restore into; default: drill.environment.")
    String environment;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        try (CamelApplication app = startCamel(locations)) {
            Settings settings = Settings.of(app.context());
            String scratch = DrillJob.scratchEnvironment(settings, environment);
            RestoreDrill.Outcome outcome = DrillJob.run(app.context(), app.template(), snapshot, scratch);
            double rto = outcome.restoreTime().toMillis() / 1000.0;
            if (outcome.passed()) {
                Console.out().printf("Drill passed: %s restored into %s in %.1f s (RTO), %d tables match record for record.%n",
                        snapshot, scratch, rto, outcome.tables().size());
                return ExitCodes.SUCCESS;
            }
            Console.out().printf("Drill FAILED: %s into %s: %s%n", snapshot, scratch, outcome.error());
            return ExitCodes.JOB_FAILED;
        }
    }
}
