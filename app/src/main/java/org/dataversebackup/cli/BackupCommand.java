package org.dataversebackup.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.app.PeakHeap;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.check.PreflightFailedException;
import org.dataversebackup.check.ReportTable;
import org.dataversebackup.config.Selection;
import org.dataversebackup.snapshot.SnapshotJson;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Take one snapshot of the tables in scope, then exit. Prints a summary per table; the last line"
                + " is the snapshot's location.",
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar backup --profile demo",
                "  java -jar dataverse-backup.jar backup --tables account,contact --target s3://my-bucket/dataverse"})
class BackupCommand extends ApplicationCommand {
    @Mixin
    EnvironmentOption environment = new EnvironmentOption();

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackupCommand.class);

    @Option(names = "--tables", paramLabel = "a,b", description = "Logical names of the tables to back up, or * (default: backup.tables).")
    String tables;

    @Option(names = "--target", paramLabel = "URI", description = "file:<folder> or s3://bucket/prefix (default: backup.target).")
    String target;

    @Option(names = "--json", description = "Print the summary as JSON (the dataverse:backup result) instead of a table.")
    boolean json;

    @ArgGroup(exclusive = true)
    Kind kind;

    static class Kind {
        @Option(names = "--full", description = "A full snapshot (the default).")
        boolean full;

        @Option(names = "--incremental", description = "Only the changes since the newest snapshot in the target (change"
                + " tracking); a full snapshot when there is none.")
        boolean incremental;
    }

    @Override
    protected int execute(AppLocations locations) {
        Map<String, Object> headers = new HashMap<>();
        if (kind != null && kind.incremental) {
            headers.put(BackupHeaders.KIND, "incremental");
        }
        if (tables != null) {
            List<String> selected = Selection.parse(tables, "--tables", "account,contact or *").orElseThrow();
            headers.put(BackupHeaders.TABLES, String.join(",", selected));
        }
        if (target != null) {
            headers.put(BackupHeaders.TARGET, target);
        }
        PeakHeap.watch();
        try (CamelApplication app = startCamel(locations)) {
            Exchange result = app.template().request(environment.endpoint("backup"), e -> e.getIn().setHeaders(headers));
            if (result.getException() != null) {
                PreflightFailedException preflight = Console.find(result.getException(), PreflightFailedException.class);
                if (preflight != null) {
                    // nothing was read: the report says what the connection account lacks
                    Console.out().print(json ? preflight.report().toJson() + System.lineSeparator()
                            : ReportTable.render(preflight.report()));
                    Console.error(preflight.getMessage(), null);
                    return ExitCodes.of(preflight.report());
                }
                throw result.getException();
            }
            String summary = result.getMessage().getBody(String.class);
            if (json) {
                Console.out().println(summary);
            } else {
                printSummary(summary);
            }
            LOG.info("Peak heap in use after garbage collection: {} MB (of at most {} MB)", PeakHeap.afterGcBytes() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
            Console.out().println(result.getMessage().getHeader(BackupHeaders.LOCATION, String.class));
            return ExitCodes.SUCCESS;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The route's JSON summary as a table: rows, bytes, time and result per table. */
    private static void printSummary(String summaryJson) throws java.io.IOException {
        JsonNode summary = SnapshotJson.MAPPER.readTree(summaryJson);
        SummaryTable table = new SummaryTable();
        for (JsonNode t : summary.path("tables")) {
            table.add(t.path("table").asText(), t.path("records").asLong(), t.path("bytes").asLong(), t.path("seconds").asDouble(),
                    t.has("skipped") ? "skipped: " + t.path("skipped").asText() : "ok");
        }
        table.print(Console.out(), summary.path("seconds").asDouble(), "complete");
        Console.out().println("Snapshot " + summary.path("snapshotId").asText() + " is complete:");
    }
}
