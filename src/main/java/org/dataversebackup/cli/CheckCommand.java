package org.dataversebackup.cli;

import org.dataversebackup.app.AppLocations;

import picocli.CommandLine.Command;

@Command(name = "check", description = "Check the connection account against the requirements for backup or restore.")
class CheckCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) {
        return NotAvailableYet.report("check", "issue #5");
    }
}
