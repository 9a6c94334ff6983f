package org.dataversebackup.cli;

import java.util.concurrent.Callable;

import org.dataversebackup.config.ApplicationVersion;
import org.dataversebackup.cli.ExitCodes;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The command line: {@code java -jar dataverse-backup.jar [options] [command]}; one process per command. */
@Command(name = "dataverse-backup",
        mixinStandardHelpOptions = true,
        versionProvider = DataverseBackupCommand.Version.class,
        description = "Backup and restore of Microsoft Dataverse tables, as Apache Camel routes.",
        footer = {"",
                "Without a command, 'run' is started.",
                "Exit codes: 0 success, 1 the job failed, 2 bad usage or configuration, 3 preflight requirements not met.",
                "Any configuration key can be set with -Dkey=value (before -jar) or as an environment variable",
                "(BACKUP_TABLES for backup.tables)."},
        subcommands = {
                RunCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                CheckCommand.class,
                LoginCommand.class,
                VerifyCommand.class,
                SnapshotsCommand.class,
                HistoryCommand.class,
                EmulatorCommand.class,
        })
public class DataverseBackupCommand implements Callable<Integer> {
    @Mixin
    ApplicationOptions options;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (the tests call this, not main). */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new DataverseBackupCommand());
        // @file is ours: --ids @file reads primary keys from the file (picocli would splice its lines in as arguments)
        commandLine.setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            Console.error(ex.getMessage() + " (see --help)", null);
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Console.error(Console.describe(ex), null);
            return ExitCodes.JOB_FAILED;
        });
        return commandLine.execute(args);
    }

    /** No command given: run the service. */
    @Override
    public Integer call() {
        RunCommand run = new RunCommand();
        run.options = options;
        return run.call();
    }

    static class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dataverse-backup " + ApplicationVersion.get()};
        }
    }
}
