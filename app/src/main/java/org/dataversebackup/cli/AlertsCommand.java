package org.dataversebackup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code alerts show} and {@code alerts ack}: the mass-delete and mass-change alerts standing on a snapshot. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Show or acknowledge the alerts standing on a snapshot (an alerted snapshot is kept out of pruning).",
        subcommands = {AlertsShowCommand.class, AlertsAckCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar alerts show backups/contoso/20261205T020000Z-a881-full",
                "  java -jar dataverse-backup.jar alerts ack backups/contoso/20261205T020000Z-a881-full"})
class AlertsCommand {
    /** Options given between 'alerts' and its subcommand. */
    @Mixin
    ApplicationOptions options;
}
