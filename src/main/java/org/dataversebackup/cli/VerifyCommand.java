package org.dataversebackup.cli;

import org.dataversebackup.app.AppLocations;

import picocli.CommandLine.Command;

@Command(name = "verify", description = "Verify a snapshot's parts against its manifest.")
class VerifyCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) {
        return NotAvailableYet.report("verify", "issue #7");
    }
}
