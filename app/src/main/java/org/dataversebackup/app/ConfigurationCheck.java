package org.dataversebackup.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;
import org.dataversebackup.restore.RestoreMode;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.quartz.CronExpression;

/**
 * Validates the effective configuration without calling anything (no sign-in, no Dataverse, no
 * S3): required settings, numbers, switches, choices, durations, the schedule, the target, files
 * that must exist, and keys that are no setting at all (a typo is otherwise silently ignored).
 * Each problem is one line naming the key, where its value came from and what to do.
 */
public final class ConfigurationCheck {
    /** Settings that are whole numbers, and the least value each may have. */
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(Map.entry("dataverse.max-attempts", 1),
            Map.entry("dataverse.timeout-seconds", 1), Map.entry("backup.page-size", 1),
            Map.entry("backup.chunk-records", 1), Map.entry("backup.parallelism", 1),
            Map.entry("backup.progress-seconds", 1), Map.entry("restore.batch-size", 1),
            Map.entry("restore.parallelism", 1), Map.entry("restore.progress-seconds", 1),
            Map.entry("restore.inbox-read-lock-interval", 0), Map.entry("restore.inbox-poll-delay", 1),
            Map.entry("restore.max-request-bytes", 1), Map.entry("s3.part-size", 5 * 1024 * 1024));
    private static final List<String> SWITCHES = List.of("dataverse.compression", "s3.path-style",
            "s3.flexible-checksums", "restore.use-batch", "restore.use-bulk", "restore.inbox-enabled", "backup.files",
            "preflight.enabled",
            "service.triggers", "demo.emulator");
    /** Files that must exist when set. */
    private static final List<String> FILES = List.of("dataverse.tls.trust-store", "auth.certificate-path",
            "auth.certificate-key-path", "snapshot.signing-key", "snapshot.verify-key");
    /** Keys users may set that the jar's defaults do not list. */
    private static final List<String> FREE_PREFIXES = List.of("camel.", "dataverse.environments.", "demo.", "alerts.tables.",
            "auth.connections.");

    private final Settings settings;
    private final EffectiveConfiguration effective;
    private final Set<String> knownKeys;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private ConfigurationCheck(CamelContext context, EffectiveConfiguration effective, Set<String> knownKeys) {
        this.settings = Settings.of(context);
        this.effective = effective;
        this.knownKeys = knownKeys;
    }

    public record Result(List<String> problems, List<String> warnings) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * @param knownKeys the keys of the jar's own application.properties: every setting there is
     */
    public static Result run(CamelContext context, EffectiveConfiguration effective, Set<String> knownKeys) {
        ConfigurationCheck check = new ConfigurationCheck(context, effective, knownKeys);
        check.connections();
        check.values();
        check.unknownKeys();
        return new Result(List.copyOf(check.problems), List.copyOf(check.warnings));
    }

    /** Each environment's URL and connection account (the demo profile's emulator brings its own). */
    private void connections() {
        if (settings.booleanValue("demo.emulator", false)) {
            return;
        }
        for (String environment : settings.environments()) {
            Settings env = settings.forEnvironment(environment);
            boolean complete = require(env, "dataverse.url") & require(env, "auth.client-id");
            if (complete) {
                attempt(env.keyName("auth.mode"), () -> AuthSettings.from(env));
                // the extra application users (auth.connections): their own credentials, other client ids
                attempt(env.keyName("auth.connections"), () -> AuthSettings.connections(env));
            }
        }
    }

    private void values() {
        NUMBERS.forEach((key, least) -> attempt(key, () -> settings.optionalInt(key).filter(v -> v < least)
                .ifPresent(v -> problem(key, "must be at least " + least + ", not " + v + "."))));
        SWITCHES.forEach(key -> attempt(key, () -> settings.booleanValue(key, false)));
        attempt("retry.max-throttle-wait", () -> settings.durationValue("retry.max-throttle-wait", null));
        attempt("restore.mode", () -> settings.optional("restore.mode").ifPresent(RestoreMode::parse));
        oneOf("backup.concurrent", "wait", "fail");
        attempt("backup.partitions", () -> org.dataversebackup.backup.Partitioning.parse(settings.get("backup.partitions",
                org.dataversebackup.backup.Partitioning.AUTO)));
        oneOf("dataverse.tls.trust-store-type", "PKCS12", "JKS");
        oneOf("s3.sse", "AES256", "aws:kms");
        attempt("backup.target", () -> settings.optional("backup.target").ifPresent(SnapshotTarget::parse));
        settings.optional("backup.schedule").filter(cron -> !CronExpression.isValidExpression(cron))
                .ifPresent(cron -> problem("backup.schedule", "'" + cron + "' is not a Quartz cron expression (seconds"
                        + " minutes hours day-of-month month day-of-week, e.g. 0 0 2 * * ?)."));
        for (String key : FILES) {
            settings.optional(key).filter(file -> !Files.isRegularFile(Path.of(file)))
                    .ifPresent(file -> problem(key, "the file " + file + " does not exist."));
        }
    }

    /** Keys set by the user's files, -D or the command line that are no setting: most likely typos. */
    private void unknownKeys() {
        for (EffectiveConfiguration.Setting setting : effective.settings()) {
            String key = setting.key();
            if (!knownKeys.contains(key) && FREE_PREFIXES.stream().noneMatch(key::startsWith)) {
                String similar = knownKeys.stream().filter(k -> looksLike(k, key)).sorted()
                        .collect(Collectors.joining(" or "));
                warnings.add(key + " (" + setting.origin() + ") is not a setting of dataverse-backup"
                        + (similar.isEmpty() ? "; 'config show' lists them." : "; did you mean " + similar + "?"));
            }
        }
    }

    private boolean require(Settings env, String key) {
        if (env.optional(key).isPresent()) {
            return true;
        }
        String name = env.keyName(key);
        problems.add(name + " is not set: set it in config/application.properties, as -D" + name
                + "=... or as the environment variable " + Settings.environmentVariable(name) + ".");
        return false;
    }

    private void oneOf(String key, String... choices) {
        settings.optional(key).filter(v -> List.of(choices).stream().noneMatch(c -> c.equalsIgnoreCase(v)))
                .ifPresent(v -> problem(key, "must be " + String.join(" or ", choices) + ", not '" + v + "'."));
    }

    private void attempt(String key, Runnable read) {
        try {
            read.run();
        } catch (ConfigurationException | IllegalArgumentException e) {
            problem(key, e.getMessage());
        }
    }

    /** A problem with a key's value: names the key and the layer its value came from. */
    private void problem(String key, String message) {
        String origin = effective.settings().stream().filter(s -> s.key().equals(key)).map(EffectiveConfiguration.Setting::origin)
                .findFirst().orElse("not set");
        String text = message.toLowerCase(Locale.ROOT).contains(key) ? message
                : key + (Character.isUpperCase(message.charAt(0)) ? ": " : " ") + message;
        problems.add(text + " (from " + origin + ")");
    }

    /** The same last part (backup.tables for restor.tables), or at most two letters apart (a typo). */
    private static boolean looksLike(String known, String key) {
        return lastPart(known).equals(lastPart(key)) || editDistance(known, key) <= 2;
    }

    private static String lastPart(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance: letters inserted, removed or replaced. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
