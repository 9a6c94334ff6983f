package org.dataversebackup.cli;

import java.util.List;

import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.config.Settings;
import org.dataversebackup.operations.JobHistory;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"List the last backups and restores (the job history, history.file), newest last.",
                "With --json, their history lines as they are stored (one JSON object per line)."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar history",
                "  java -jar dataverse-backup.jar history --last 5 --json"})
class HistoryCommand extends ApplicationCommand {
    @Option(names = "--last", paramLabel = "N", defaultValue = "20", description = "How many runs to list (default: ${DEFAULT-VALUE}).")
    int last;

    @Option(names = "--json", description = "Print the history lines (NDJSON) instead of the table.")
    boolean json;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        try (CamelApplication app = startCamel(locations)) {
            JobHistory history = JobHistory.of(Settings.of(app.context()));
            List<JsonNode> lines = history.read();
            List<JsonNode> shown = lines.subList(Math.max(0, lines.size() - Math.max(0, last)), lines.size());
            if (json) {
                shown.forEach(line -> Console.out().println(line.toString()));
                return ExitCodes.SUCCESS;
            }
            Console.out().printf("%-24s %-8s %-12s %-8s %9s %12s  %s%n", "FINISHED", "TYPE", "ENVIRONMENT", "OUTCOME", "SECONDS",
                    "RECORDS", "SNAPSHOT");
            for (JsonNode line : shown) {
                Console.out().printf("%-24s %-8s %-12s %-8s %9.1f %12d  %s%n", line.path("finishedAt").asText(),
                        line.path("type").asText(), line.path("environment").asText(), line.path("outcome").asText(),
                        line.path("seconds").asDouble(), line.path("records").asLong(), line.path("snapshotId").asText(""));
                if (line.hasNonNull("error")) {
                    Console.out().println("    " + line.path("error").asText());
                }
            }
            Console.out().println(lines.size() + (lines.size() == 1 ? " run" : " runs") + " in " + history.file().toAbsolutePath()
                    + (shown.size() < lines.size() ? " (the last " + shown.size() + " shown; --last N for more)" : ""));
            return ExitCodes.SUCCESS;
        }
    }
}
