package org.dataversebackup.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.check.PreflightFailedException;
import org.dataversebackup.check.ReportTable;
import org.dataversebackup.restore.RestoreHeaders;
import org.dataversebackup.restore.RestoreMode;
import org.dataversebackup.restore.RestoreRequests;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.text.Quantities;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a snapshot into Dataverse (the environment of --environment).",
                "Prints the plan (--dry-run) or the result per table; the last line is the report file. Exit code 1"
                        + " when a record failed (the rest is restored)."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar restore --snapshot backups/contoso/20261129T020000Z-3f2a-full --dry-run",
                "  java -jar dataverse-backup.jar restore --snapshot backups/contoso/20261129T020000Z-3f2a-full"
                        + " --tables account --ids @ids.txt"})
class RestoreCommand extends ApplicationCommand {
    @Mixin
    EnvironmentOption environment = new EnvironmentOption();

    @Option(names = "--snapshot", required = true, paramLabel = "LOCATION",
            description = "The snapshot: its folder, or s3://bucket/prefix/<environment>/<snapshot id>.")
    String snapshot;

    @Option(names = "--tables", paramLabel = "a,b",
            description = "Logical names of the tables to restore (default: every table of the snapshot except restore.exclude).")
    String tables;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "upsert (create or update, the default: restore.mode), create (never overwrite), update (never create).")
    String mode;

    @Option(names = "--ids", paramLabel = "IDS|@FILE",
            description = "Only these primary keys: a list (commas or spaces), or @file (ids separated by commas, spaces or"
                    + " new lines; lines starting with # are comments).")
    String ids;

    @Option(names = "--filter", paramLabel = "EXPR",
            description = "Only records whose saved fields match, e.g. name=Contoso;statecode=0 (see docs/RESTORE.md).")
    String filter;

    @Option(names = "--dry-run", description = "Read the live rows and print the plan (create / update / unchanged); write nothing.")
    boolean dryRun;

    @Option(names = "--details", description = "With --dry-run: list the rows it would create and update (id and name),"
            + " the first " + DETAILS + " on the screen, all of them in the plan file.")
    boolean details;

    /** How many rows of the plan --details prints; the plan file lists them all. */
    static final int DETAILS = 50;

    @Option(names = "--deletes", description = "Also delete the live rows of each restored table that the snapshot does not"
            + " hold (upsert mode, whole tables only). Run it with --dry-run first: the deletions file lists them.")
    boolean deletes;

    @Option(names = "--allow-other-environment",
            description = "Allow a target whose organization differs from the snapshot's source.")
    boolean allowOtherEnvironment;

    @Option(names = "--mapping", paramLabel = "FILE",
            description = "JSON file remapping owner, business unit, currency (or any) references: {\"systemuser\": {\"<source id>\": \"<target id>\"}}.")
    String mapping;

    @Override
    protected int execute(AppLocations locations) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(RestoreHeaders.SNAPSHOT, snapshot);
        if (tables != null) {
            headers.put(RestoreHeaders.TABLES, String.join(",", RestoreRequests.tablesArgument(tables)));
        }
        if (mode != null) {
            headers.put(RestoreHeaders.MODE, RestoreMode.parse(mode).label());
        }
        if (ids != null) {
            Set<String> selected = RestoreRequests.idsArgument(ids);
            headers.put(RestoreHeaders.IDS, String.join(",", selected));
        }
        if (filter != null) {
            headers.put(RestoreHeaders.FILTER, RestoreRequests.filterArgument(filter));
        }
        headers.put(RestoreHeaders.DRY_RUN, dryRun);
        if (deletes) {
            headers.put(RestoreHeaders.DELETES, true);
        }
        headers.put(RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, allowOtherEnvironment);
        if (mapping != null) {
            headers.put(RestoreHeaders.MAPPING, mapping);
        }
        // a one-shot command: the inbox and the schedule stay off (service.triggers=false)
        try (CamelApplication app = startCamel(locations)) {
            Exchange result = app.template().request(environment.endpoint("restore"), e -> e.getIn().setHeaders(headers));
            if (result.getException() != null) {
                PreflightFailedException preflight = Console.find(result.getException(), PreflightFailedException.class);
                if (preflight != null) {
                    // nothing was written: the report says what the connection account lacks
                    Console.out().print(ReportTable.render(preflight.report()));
                    Console.error(preflight.getMessage(), null);
                    return ExitCodes.of(preflight.report());
                }
                throw result.getException();
            }
            String report = result.getMessage().getBody(String.class);
            printSummary(report);
            if (details) {
                printPlan(SnapshotJson.MAPPER.readTree(report));
            }
            Console.out().println(result.getMessage().getHeader(RestoreHeaders.REPORT_FILE, String.class));
            return Boolean.TRUE.equals(result.getMessage().getHeader(RestoreHeaders.OK, Boolean.class))
                    ? ExitCodes.SUCCESS : ExitCodes.JOB_FAILED;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** --details: the first rows of a dry run's plan, then where the rest is. */
    private static void printPlan(JsonNode report) throws java.io.IOException {
        String file = report.path("planFile").asText("");
        if (file.isEmpty() || "null".equals(file)) {
            Console.out().println("The plan lists no row to create or update.");
            return;
        }
        long rows;
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of(file))) {
            rows = lines.count();
        }
        Console.out().printf("%-10s %-32s %-36s %s%n", "ACTION", "TABLE", "ID", "NAME");
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of(file))) {
            for (String line : (Iterable<String>) lines.limit(DETAILS)::iterator) {
                JsonNode row = SnapshotJson.MAPPER.readTree(line);
                Console.out().printf("%-10s %-32s %-36s %s%n", "to-create".equals(row.path("outcome").asText()) ? "CREATE" : "UPDATE",
                        row.path("table").asText(), row.path("id").asText(), row.path("name").asText());
            }
        }
        Console.out().println(rows > DETAILS ? "... and " + (rows - DETAILS) + " more rows: every row is in " + file
                : "The plan: " + file);
    }

    /** One line per table: the plan (dry run) or what was done. */
    private static void printSummary(String reportJson) throws Exception {
        JsonNode report = SnapshotJson.MAPPER.readTree(reportJson);
        boolean dryRun = report.path("dryRun").asBoolean();
        String created = dryRun ? "toCreate" : "created";
        String updated = dryRun ? "toUpdate" : "updated";
        Console.out().printf("%s %s of %s into %s (mode %s)%n", dryRun ? "Plan (dry run) for restore" : "Restore",
                report.path("restoreId").asText(), report.path("snapshot").asText(),
                report.path("target").path("dataverseUrl").asText(), report.path("mode").asText());
        Console.out().printf("%-32s %10s %10s %10s %10s %10s %10s %10s %10s  %s%n", "TABLE", "SELECTED",
                dryRun ? "CREATE" : "CREATED", dryRun ? "UPDATE" : "UPDATED", "UNCHANGED", "EXISTS", "MISSING", "FAILED", "TIME",
                "RESULT");
        for (JsonNode table : report.path("tables")) {
            String name = table.path("table").asText() + ("links".equals(table.path("kind").asText()) ? " (N:N links)" : "");
            Console.out().printf("%-32s %10s %10s %10s %10s %10s %10s %10s %10s  %s%n", name, count(table, "selected"),
                    count(table, created), count(table, updated), count(table, "unchanged"), count(table, "exists"),
                    count(table, "missing"), count(table, "failed"), Quantities.duration(table.path("seconds").asDouble()),
                    result(table, dryRun));
        }
        JsonNode fallback = report.path("referencesReplacedByConnectionUser");
        if (!fallback.isMissingNode()) {
            Console.out().printf("%s to users or teams missing in the target were replaced by the connection account %s%n",
                    Quantities.count(fallback.path("references").asLong(), "reference"), fallback.path("connectionUserId").asText());
        }
        JsonNode resumed = report.path("resumed");
        if (!resumed.isMissingNode()) {
            Console.out().printf("Resumed restore %s (started %s): counted as created from its journal: %d rows, %d N:N links;"
                    + " written now for those rows: deferred lookups %d, state changes %d; N:N links written now: %d%n",
                    resumed.path("previousAttempt").path("restoreId").asText(),
                    resumed.path("previousAttempt").path("startedAt").asText(), resumed.path("rowsCreatedBefore").asLong(),
                    resumed.path("linksCreatedBefore").asLong(), resumed.path("lookupsWritten").asLong(),
                    resumed.path("stateChangesWritten").asLong(), resumed.path("linksWritten").asLong());
        }
        JsonNode deleted = report.path("totals").path(dryRun ? "toDelete" : "deleted");
        if (!deleted.isMissingNode()) {
            Console.out().printf("%,d live %s the snapshot does not hold %s; listed in %s%n", deleted.asLong(),
                    deleted.asLong() == 1 ? "row" : "rows", dryRun ? "would be deleted" : "deleted",
                    report.path("deletionsFile").asText("(none)"));
        }
        for (JsonNode warning : report.path("warnings")) {
            Console.out().println("Warning: " + warning.asText());
        }
        if (report.hasNonNull("journal")) {
            Console.out().println("Not finished cleanly: the journal stays in " + report.path("journal").asText()
                    + "; run the same command again to resume this restore.");
        }
        if (!report.path("failuresFile").isNull() && !report.path("failuresFile").isMissingNode()) {
            Console.out().println("Failures and rows not written: " + report.path("failuresFile").asText());
        }
    }

    /** A count with thousands separators, or - where it does not apply (updates of N:N links). */
    private static String count(JsonNode table, String field) {
        return table.has(field) ? Quantities.number(table.path(field).asLong()) : "-";
    }

    private static String result(JsonNode table, boolean dryRun) {
        if (table.has("error")) {
            return "error: " + table.path("error").asText();
        }
        if (table.has("skipped")) {
            return "skipped: " + table.path("skipped").asText();
        }
        long failed = table.path("failed").asLong();
        return failed > 0 ? Quantities.count(failed, "row") + " not written" : dryRun ? "planned" : "ok";
    }
}
