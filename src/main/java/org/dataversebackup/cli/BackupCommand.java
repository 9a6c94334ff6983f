package org.dataversebackup.cli;

import org.dataversebackup.app.AppLocations;

import picocli.CommandLine.Command;

@Command(name = "backup", description = "Take one snapshot of the tables in scope, then exit; prints the snapshot location last.")
class BackupCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) {
        return NotAvailableYet.report("backup", "issue #6");
    }
}
