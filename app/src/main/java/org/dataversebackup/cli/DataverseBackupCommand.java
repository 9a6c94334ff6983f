package org.dataversebackup.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import org.dataversebackup.config.ApplicationVersion;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The command line: {@code java -jar dataverse-backup.jar [options] [command]}; one process per command. */
@Command(name = "dataverse-backup",
        mixinStandardHelpOptions = true,
        versionProvider = DataverseBackupCommand.Version.class,
        description = "Backup and restore of Microsoft Dataverse tables, as Apache Camel routes.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  java -jar dataverse-backup.jar backup --profile demo",
                "  java -jar dataverse-backup.jar backup --help",
                "",
                "Without a command, 'run' is started. 'COMMAND --help' describes a command.",
                "Configuration, lowest first: the defaults bundled in the jar, config/application.properties, the"
                        + " file or folder of --config, environment variables (BACKUP_TABLES for backup.tables),"
                        + " -Dkey=value (before -jar), command-line options. 'config show' prints the result.",
                "Exit codes: 0 success, 1 the job failed, 2 bad usage or configuration, 3 the connection account"
                        + " does not meet the requirements."},
        subcommands = {
                RunCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                CheckCommand.class,
                LoginCommand.class,
                VerifyCommand.class,
                SnapshotsCommand.class,
                PruneCommand.class,
                ConfigCommand.class,
                HistoryCommand.class,
                ShowCommand.class,
                DiffCommand.class,
                AlertsCommand.class,
                DrillCommand.class,
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
        return commandLine(System.getenv()).execute(args);
    }

    /** The command line, its help as wide as {@code COLUMNS} in {@code environment} or the terminal. */
    static CommandLine commandLine(Map<String, String> environment) {
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
        HelpWidth.apply(commandLine, environment);
        return commandLine;
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
