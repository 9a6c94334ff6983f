package org.dataversebackup.cli;

import org.dataversebackup.app.AppLocations;

import picocli.CommandLine.Command;

@Command(name = "snapshots", description = "List the complete snapshots in a target.")
class SnapshotsCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) {
        return NotAvailableYet.report("snapshots", "issue #6");
    }
}
