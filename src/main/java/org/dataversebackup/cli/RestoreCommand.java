package org.dataversebackup.cli;

import org.dataversebackup.app.AppLocations;

import picocli.CommandLine.Command;

@Command(name = "restore", description = "Restore a snapshot into Dataverse.")
class RestoreCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) {
        return NotAvailableYet.report("restore", "issue #7");
    }
}
