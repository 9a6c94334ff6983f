package org.dataversebackup.cli;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;

import picocli.CommandLine.Command;

@Command(name = "run", description = "Run as a service: scheduled backups and the restore inbox, until stopped.")
class RunCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) throws Exception {
        CamelApplication.create(locations, java.util.Map.of()).runUntilStopped();
        return ExitCodes.SUCCESS;
    }
}
