package org.dataversebackup.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;

import org.apache.camel.CamelContext;
import org.dataversebackup.config.ApplicationVersion;
import org.dataversebackup.config.Settings;
import org.quartz.CronExpression;

/** What {@code run} prints when the service has started (what it serves, where) and when it stops. */
final class ServiceBanner {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z").withZone(ZoneId.systemDefault());

    private final Instant started = Instant.now();

    /** The lines of the start banner, read from the running context's settings. */
    List<String> started(CamelContext context) {
        Settings settings = Settings.of(context);
        String url = settings.get("dataverse.url", "(dataverse.url not set)");
        String schedule = settings.get("backup.schedule", "");
        String exclude = settings.optional("backup.exclude").map(e -> " except " + e).orElse("");
        boolean inbox = settings.booleanValue("restore.inbox-enabled", true);
        return List.of(
                "dataverse-backup " + ApplicationVersion.get() + " is running (Ctrl+C stops it)",
                "  environment  " + url + (settings.booleanValue("demo.emulator", false) ? " (the demo emulator)" : ""),
                "  tables       " + settings.get("backup.tables", "*") + exclude,
                "  target       " + settings.get("backup.target", "file:backups"),
                "  next backup  " + nextRun(schedule) + " (backup.schedule " + schedule + ")",
                "  inbox        " + (inbox ? Path.of(settings.get("restore.inbox", "restore-inbox")).toAbsolutePath()
                        + " (restore requests *.json)" : "off (restore.inbox-enabled=false)"));
    }

    String stopped() {
        Duration ran = Duration.between(started, Instant.now());
        return "dataverse-backup stopped after " + (ran.toHours() > 0 ? ran.toHours() + " h " : "") + ran.toMinutesPart()
                + " min " + ran.toSecondsPart() + " s.";
    }

    private static String nextRun(String cron) {
        try {
            Date next = new CronExpression(cron).getNextValidTimeAfter(new Date());
            return next == null ? "never" : TIME.format(next.toInstant());
        } catch (java.text.ParseException e) {
            return "unknown (not a Quartz cron expression)";
        }
    }
}
