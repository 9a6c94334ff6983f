package org.dataversebackup.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Options every command takes: where configuration and routes come from, profile, verbosity, stack traces. */
public class ApplicationOptions {
    @Option(names = "--config", paramLabel = "FILE|DIR",
            description = "A properties file, or a folder with application.properties (and application-PROFILE.properties),"
                    + " whose keys win over config/ of the working folder and the defaults bundled in the jar.")
    Path configDir;

    @Option(names = "--routes", paramLabel = "DIR",
            description = "Folder with the Camel YAML routes (default: ./routes, else the copy bundled in the jar).")
    Path routesDir;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Also read application-NAME.properties beside each application.properties; its keys win"
                    + " over that file's (e.g. demo).")
    String profile;

    @Option(names = {"-v", "--verbose"}, description = "Log debug output.")
    boolean verbose;

    @Option(names = "--debug", description = "Log debug output and print the stack trace of a failure (for a bug report).")
    boolean debug;

    /** Values given after the subcommand win; the rest come from those given before it. */
    ApplicationOptions mergedWith(ApplicationOptions beforeSubcommand) {
        ApplicationOptions merged = new ApplicationOptions();
        merged.configDir = configDir != null ? configDir : beforeSubcommand.configDir;
        merged.routesDir = routesDir != null ? routesDir : beforeSubcommand.routesDir;
        merged.profile = profile != null ? profile : beforeSubcommand.profile;
        merged.verbose = verbose || beforeSubcommand.verbose;
        merged.debug = debug || beforeSubcommand.debug;
        return merged;
    }
}
