package org.dataversebackup.restore;

import org.dataversebackup.snapshot.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.text.Quantities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The steps of the restore routes that need Java. Every step finds the {@link RestoreRun} in the
 * exchange property {@value RestoreRun#PROPERTY} and the table in header {@value #TABLE_HEADER}.
 */
public class RestoreSteps {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreSteps.class);
    /** The logical name of the table a restore-table exchange works on. */
    public static final String TABLE_HEADER = "dvbRestoreTable";
    /** Whether the table's parts are verified and local (false: the table is reported and skipped). */
    public static final String READY_HEADER = "dvbRestoreTableReady";

    /** Checks and copies the table's parts; a missing, truncated or corrupt part stops the table. */
    public boolean openTable(@Header(TABLE_HEADER) String name, @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run,
            Message message) {
        TableState table = run.table(name);
        boolean ready = false;
        if (table.skipped() != null) {
            LOG.info("{}: skipped, {}", name, table.skipped());
        } else if (table.error() != null) {
            LOG.error("{}: not restored: {}", name, table.error());
        } else {
            try {
                table.parts(run.snapshot().verifiedParts(table.manifest(), run.journal().attemptDir()));
                ready = true;
                // an empty table needs no comparing: one request saves a read of live rows (or links) per chunk
                table.emptyAtStart(run.liveRows().empty(table.manifest().entitySetName(), table.schema().primaryIdAttribute()));
            } catch (SnapshotIntegrityException e) {
                table.error("not restored, the snapshot is damaged: " + e.getMessage());
                LOG.error("{}: not restored, the snapshot is damaged: {}", name, e.getMessage());
            } catch (org.dataversebackup.dataverse.DataverseException e) {
                LOG.debug("{}: whether it is empty is not known ({}): its live rows are read", name, e.getMessage());
            }
        }
        table.started();
        message.setHeader(READY_HEADER, ready);
        return ready;
    }

    /** The table's selected records in chunks of restore.batch-size, read lazily from the verified local parts. */
    public Iterator<List<JsonNode>> chunks(@Header(TABLE_HEADER) String name, @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return run.chunks(run.table(name));
    }

    /**
     * The waves of a table's rows, written one after the other: parents before their children when
     * the table's lookups point into itself, so those lookups are written with their rows.
     */
    public Iterator<Integer> waves(@Header(TABLE_HEADER) String name, @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return run.waves(run.table(name));
    }

    /** The records of the table's current wave in chunks of restore.batch-size. */
    public Iterator<List<JsonNode>> waveChunks(@Header(TABLE_HEADER) String name,
            @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return run.waveChunks(run.table(name));
    }

    /** First pass: writes a chunk of rows (created, updated or left alone). */
    public void writeRows(List<JsonNode> chunk, @Header(TABLE_HEADER) String name,
            @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        TableState table = run.table(name);
        new RowWriter(run, table).firstPass(chunk);
        table.progress(run.progressInterval()).ifPresent(LOG::info);
    }

    /** The rows of a table waiting for the second pass, in chunks. */
    public Iterator<List<JsonNode>> deferredChunks(@Header(TABLE_HEADER) String name,
            @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        TableState table = run.table(name);
        table.started();
        LOG.info("{}: second pass, {} rows with lookups ({}) or columns written once every row exists", name, table.deferredRows(),
                table.deferredLookups());
        return run.deferredChunks(table);
    }

    /** With deletes: the row tables whose live rows the snapshot does not hold are deleted, in reverse order. */
    public List<String> deleteTables(@ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return run.deleteTables().stream().map(TableState::name).toList();
    }

    /** With deletes: deletes (or lists, in a dry run) the live rows of a table that the snapshot does not hold. */
    public void deleteMissing(@Body String name, @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        new RowDeleter(run, run.table(name)).deleteMissing();
    }

    /** Second pass: self-referencing and cyclic lookups, columns valid only for update. */
    public void writeDeferred(List<JsonNode> chunk, @Header(TABLE_HEADER) String name,
            @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        new RowWriter(run, run.table(name)).secondPass(chunk);
    }

    /** N:N links of an intersect table. */
    public void writeLinks(List<JsonNode> chunk, @Header(TABLE_HEADER) String name,
            @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        new LinkWriter(run, run.table(name)).write(chunk);
    }

    /** The tables of rows, dependencies first. */
    public List<String> rowTables(@ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return run.rowTables().stream().map(TableState::name).toList();
    }

    /** The tables with rows waiting for the second pass (none in a dry run). */
    public List<String> secondPassTables(@ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return run.dryRun() ? List.of() : run.secondPassTables().stream().map(TableState::name).toList();
    }

    /** The N:N intersect tables. */
    public List<String> linkTables(@ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return run.linkTables().stream().map(TableState::name).toList();
    }

    /** The row tables whose selected rows have files of file or image columns in the snapshot. */
    public List<String> fileTables(@ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return run.rowTables().stream().filter(t -> t.hasFiles() && t.error() == null && t.skipped() == null)
                .map(TableState::name).toList();
    }

    /** The files of a table's selected rows (none in a dry run, which counts them in the report). */
    public List<org.dataversebackup.snapshot.SnapshotManifest.FileEntry> files(@Header(TABLE_HEADER) String name,
            @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        List<org.dataversebackup.snapshot.SnapshotManifest.FileEntry> files = run.table(name).selectedFiles();
        if (!files.isEmpty()) {
            LOG.info("{}: {} of file and image columns{}", name, Quantities.count(files.size(), "file"),
                    run.dryRun() ? " would be checked and uploaded where they differ" : "");
        }
        return run.dryRun() ? List.of() : files;
    }

    /** Restores one file of a file or image column (not uploaded again when the target holds the same). */
    public void restoreFile(org.dataversebackup.snapshot.SnapshotManifest.FileEntry file, @Header(TABLE_HEADER) String name,
            @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        new FileRestorer(run, run.table(name)).restore(file);
    }

    /** Whether the restore writes (not a dry run): the preflight check is about writing. */
    public boolean writes(@ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        return !run.dryRun();
    }

    /** The tables the preflight check looks at: every table restored, rows and links. */
    public String checkedTables(@ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        List<String> tables = new java.util.ArrayList<>(rowTables(run));
        tables.addAll(linkTables(run));
        return String.join(",", tables);
    }

    public void tableDone(@Header(TABLE_HEADER) String name, @ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run) {
        TableState table = run.table(name);
        table.finished();
        table.closeWaves();
        Map<String, Object> summary = table.summary(run.dryRun());
        LOG.info("{}: done in {}: {}{}", name, Quantities.duration(((Number) summary.get("seconds")).doubleValue()),
                Quantities.counts(summary, Set.of("inSnapshot"), Set.of("selected", "failed")),
                summary.containsKey("error") ? "; " + summary.get("error") : "");
    }

    /**
     * The restore is over: writes the report, answers with it (JSON) and sets the result headers.
     */
    public String complete(@ExchangeProperty(RestoreRun.PROPERTY) RestoreRun run, Message message) throws IOException {
        run.failures().close();
        run.deletions().close();
        run.plan().close();
        Map<String, Object> report = run.report();
        String json = SnapshotJson.MAPPER.writeValueAsString(report);
        Files.createDirectories(run.reportFile().toAbsolutePath().getParent());
        Files.writeString(run.reportFile(), json);
        OwnerOnly.file(run.reportFile());
        run.completed();
        message.setHeader(RestoreHeaders.OK, run.ok());
        message.setHeader(RestoreHeaders.FAILED, run.failedCount());
        message.setHeader(RestoreHeaders.RESTORE_ID, run.restoreId());
        message.setHeader(RestoreHeaders.REPORT_FILE, run.reportFile().toAbsolutePath().toString());
        if (run.failures().file() != null) {
            message.setHeader(RestoreHeaders.FAILURES_FILE, run.failures().file().toAbsolutePath().toString());
        } else {
            message.removeHeader(RestoreHeaders.FAILURES_FILE);
        }
        run.warnings().forEach(warning -> LOG.warn("Restore {}: {}", run.restoreId(), warning));
        run.limitedBy().ifPresent(limit -> LOG.info("Restore {}: {}", run.restoreId(), limit));
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) report.get("totals");
        LOG.info("Restore {}{} {}: {}{}", run.restoreId(), run.dryRun() ? " (dry run)" : "",
                run.ok() ? "complete" : "complete with failures", Quantities.counts(totals, Set.of(), Set.of("failed")),
                run.failures().file() == null ? "" : "; see " + run.failures().file().toAbsolutePath());
        return json;
    }
}
