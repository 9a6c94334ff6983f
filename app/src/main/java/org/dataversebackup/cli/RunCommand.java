package org.dataversebackup.cli;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;

import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run as a service until stopped (Ctrl+C, SIGTERM): the scheduled backup (backup.schedule) and the"
                + " restore inbox (restore.inbox). Prints what it serves when it starts and a line when it stops.",
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar run",
                "  java -Dbackup.schedule='0 30 1 * * ?' -jar dataverse-backup.jar run --config /etc/dataverse-backup"})
class RunCommand extends ApplicationCommand {
    @Override
    protected int execute(AppLocations locations) throws Exception {
        ServiceBanner banner = new ServiceBanner();
        CamelApplication.create(locations, java.util.Map.of()).runUntilStopped(
                context -> banner.started(context).forEach(Console.out()::println),
                () -> Console.out().println(banner.stopped()));
        return ExitCodes.SUCCESS;
    }
}
