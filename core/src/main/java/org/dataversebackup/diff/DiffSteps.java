package org.dataversebackup.diff;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Selection;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.restore.SnapshotReader;
import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code diff} job of one environment ({@code dataverse:diff}): compares two snapshots, or a
 * snapshot with the environment's live rows, and answers the report as JSON. Rows that differ go to
 * a file when one is asked for, never into the message: a comparison of two big tables can list
 * millions.
 */
public class DiffSteps {
    private static final Logger LOG = LoggerFactory.getLogger(DiffSteps.class);
    /** One JSON object per line (the snapshot mapper indents). */
    static final ObjectWriter LINE = SnapshotJson.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Supplier<DataverseClient> client;
    private final Supplier<S3Client> s3;
    private final SnapshotKeys keys;
    private final String livePrefer;

    /** @param livePrefer the {@code Prefer} header of the backup's reads, so that live rows look like stored ones */
    public DiffSteps(Supplier<DataverseClient> client, Supplier<S3Client> s3, SnapshotKeys keys, String livePrefer) {
        this.client = client;
        this.s3 = s3;
        this.keys = keys;
        this.livePrefer = livePrefer;
    }

    public void compare(Exchange exchange) {
        Message in = exchange.getMessage();
        String olderLocation = required(in, DiffHeaders.OLDER);
        String newerLocation = required(in, DiffHeaders.NEWER);
        List<String> tables = Selection.parse(in.getHeader(DiffHeaders.TABLES, String.class), "header " + DiffHeaders.TABLES,
                "account,contact").orElse(List.of());
        String changesFile = in.getHeader(DiffHeaders.CHANGES_FILE, String.class);
        SnapshotSide older = new SnapshotSide(SnapshotReader.open(olderLocation, s3, keys));
        DiffSide newer = newerLocation.trim().equalsIgnoreCase(DiffHeaders.LIVE)
                ? new LiveSide(client.get(), older.tables(), livePrefer)
                : new SnapshotSide(SnapshotReader.open(newerLocation, s3, keys));
        SnapshotDiff.Report report;
        try (ChangesFile changes = ChangesFile.open(changesFile)) {
            report = SnapshotDiff.compare(older, newer, tables, changes, table -> LOG.info("diff {} {}: {}", older.label(),
                    newer.label(), describe(table)));
        }
        in.setHeader(DiffHeaders.SAME, report.same());
        in.setBody(json(report, changesFile));
    }

    /** The report as the JSON the README documents. */
    static String json(SnapshotDiff.Report report, String changesFile) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("older", report.older());
        json.put("newer", report.newer());
        json.put("same", report.same());
        json.put("tables", report.tables().stream().map(DiffSteps::json).toList());
        if (changesFile != null) {
            json.put("changesFile", changesFile);
        }
        try {
            return SnapshotJson.MAPPER.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One table as a JSON object: {@code {"table","added","removed","changed","unchanged"}} or {@code {"table","onlyIn"}}. */
    public static Map<String, Object> json(SnapshotDiff.TableResult table) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("table", table.table());
        if (table.onlyIn() != null) {
            json.put("onlyIn", table.onlyIn());
            return json;
        }
        json.put("added", table.counts().added());
        json.put("removed", table.counts().removed());
        json.put("changed", table.counts().changed());
        json.put("unchanged", table.counts().unchanged());
        return json;
    }

    /** One row that differs as a JSON object: {@code {"table","id","change","columns"}}. */
    public static Map<String, Object> json(String table, TableDiff.RowChange change) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("table", table);
        row.put("id", change.id());
        row.put("change", change.kind().name().toLowerCase(Locale.ROOT));
        if (!change.columns().isEmpty()) {
            row.put("columns", change.columns());
        }
        return row;
    }

    private static String describe(SnapshotDiff.TableResult table) {
        if (table.onlyIn() != null) {
            return table.table() + " only in the " + table.onlyIn() + " side";
        }
        TableDiff.Counts c = table.counts();
        return table.table() + " " + c.added() + " added, " + c.removed() + " removed, " + c.changed() + " changed, "
                + c.unchanged() + " unchanged";
    }

    private static String required(Message in, String header) {
        String value = in.getHeader(header, String.class);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("dataverse:diff needs the header " + header + " (or the endpoint's option): "
                    + (header.equals(DiffHeaders.NEWER) ? "a snapshot's folder or s3:// location, or live" : "a snapshot's folder or s3:// location") + ".");
        }
        return value.trim();
    }

    /** The rows that differ, one JSON line each, in a file (or nowhere). */
    private static final class ChangesFile implements SnapshotDiff.Changes, AutoCloseable {
        private final BufferedWriter writer;

        private ChangesFile(BufferedWriter writer) {
            this.writer = writer;
        }

        static ChangesFile open(String file) {
            if (file == null || file.isBlank()) {
                return new ChangesFile(null);
            }
            try {
                Path path = Path.of(file);
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                return new ChangesFile(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ConfigurationException("Cannot write the diff's changes to " + file + ": " + e.getMessage());
            }
        }

        @Override
        public void row(String table, TableDiff.RowChange change) {
            if (writer == null) {
                return;
            }
            try {
                writer.write(LINE.writeValueAsString(json(table, change)));
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the diff's changes: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot write the diff's changes: " + e.getMessage(), e);
                }
            }
        }
    }
}
