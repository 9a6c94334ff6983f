package org.dataversebackup.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.app.LogLevels;
import org.dataversebackup.auth.AuthenticationException;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that run the Camel application. Maps failures to exit codes: bad
 * configuration 2, a connection account that cannot sign in as its exception says (missing
 * consent 3, bad configuration 2, ...), anything else that stops the job 1. Messages name the problem; stack traces
 * only with {@code --debug}.
 */
abstract class ApplicationCommand implements Callable<Integer> {
    @Mixin
    ApplicationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        ApplicationOptions effective = effectiveOptions();
        LogLevels.apply(effective.verbose || effective.debug);
        try {
            AppLocations locations = AppLocations.resolve(effective.configDir, effective.routesDir,
                    effective.profile, Path.of("").toAbsolutePath());
            return execute(locations);
        } catch (ConfigurationException e) {
            Console.error(e.getMessage(), effective.debug ? e : null);
            return ExitCodes.USAGE;
        } catch (Exception e) {
            AuthenticationException signInFailed = Console.find(e, AuthenticationException.class);
            if (signInFailed != null) {
                Console.error(signInFailed.getMessage(), effective.debug ? e : null);
                return ExitCodes.of(signInFailed);
            }
            ConfigurationException badConfiguration = Console.find(e, ConfigurationException.class);
            if (badConfiguration != null) {
                Console.error(badConfiguration.getMessage(), effective.debug ? e : null);
                return ExitCodes.USAGE;
            }
            Console.error(Console.describe(e), effective.debug ? e : null);
            return ExitCodes.JOB_FAILED;
        }
    }

    /** The options given after this command win over those given before it (after its parent commands). */
    private ApplicationOptions effectiveOptions() {
        ApplicationOptions merged = options;
        for (CommandSpec parent = spec == null ? null : spec.parent(); parent != null; parent = parent.parent()) {
            CommandSpec mixin = parent.mixins().get("options");
            if (mixin != null && mixin.userObject() instanceof ApplicationOptions before) {
                merged = merged.mergedWith(before);
            }
        }
        return merged;
    }

    /** Runs the command; returns its exit code. */
    protected abstract int execute(AppLocations locations) throws Exception;

    /** Starts Camel for a one-shot command: the service's triggers (schedule, inbox) stay off. */
    protected CamelApplication startCamel(AppLocations locations) {
        // the command reports a failed job itself: the routes' own "... failed" log line would repeat it
        LogLevels.quietRouteFailures();
        return CamelApplication.create(locations, Map.of("service.triggers", "false",
                "backup.incremental-schedule-enabled", "false")).start();
    }

    /** The snapshots of a target: the one given (--target), else {@code backup.target}. */
    protected static org.dataversebackup.snapshot.SnapshotStore targetStore(org.apache.camel.CamelContext context, String target) {
        org.dataversebackup.config.Settings settings = org.dataversebackup.config.Settings.of(context);
        String location = target != null ? target : settings.get("backup.target", "file:backups");
        return org.dataversebackup.snapshot.SnapshotStore.of(org.dataversebackup.snapshot.SnapshotTarget.parse(location),
                () -> org.dataversebackup.camel.DataverseBackupConfiguration.s3Client(settings));
    }
}
