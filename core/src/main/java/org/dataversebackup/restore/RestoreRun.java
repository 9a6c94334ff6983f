package org.dataversebackup.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

import org.dataversebackup.dataverse.DataverseWriter;
import org.dataversebackup.dataverse.EnvironmentInfo;
import org.dataversebackup.dataverse.WriteOperation;
import org.dataversebackup.dataverse.WriteResult;
import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One restore in progress: what was asked, the snapshot, the target, the tables in order and
 * their counts, the failures file. Travels with the exchange (property {@value #PROPERTY}); chunks
 * of a table are written in parallel, so what they update is thread-safe.
 */
public final class RestoreRun implements AutoCloseable {
    public static final String PROPERTY = "dvbRestore";
    private volatile ActivityParties activityParties = ActivityParties.none();

    private final String restoreId;
    private final RestoreRequest request;
    private final RestoreMode mode;
    private final SnapshotReader snapshot;
    private final EnvironmentInfo target;
    private final String targetUrl;
    private final boolean otherEnvironment;
    private final Map<String, TableState> tables;
    private final List<String> order;
    private final Set<String> ids;
    /** The ids found in the snapshot (as a row's primary key), to say which were not. */
    private final Set<String> idsFound = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Optional<RecordFilter> filter;
    private final DataverseWriter writer;
    private final LiveRows liveRows;
    private final EntitySets entitySets;
    private final TargetReferences references;
    private final FailureLog failures;
    /** A dry run's plan: every row it would create or update, with its primary name. */
    private final FailureLog plan;
    /** With deletes: every live row deleted (or, in a dry run, to delete), one JSON line each. */
    private final FailureLog deletions;
    private final Path reportFile;
    private final RestoreJournal journal;
    private final int batchSize;
    private final boolean useBatch;
    /** With restore.use-bulk: which tables support CreateMultiple and UpsertMultiple. */
    private final Optional<org.dataversebackup.dataverse.BulkMessages> bulkMessages;
    private final int parallelism;
    private final Duration progressInterval;
    private final Instant startedAt = Instant.now();
    /** The target user's throttling pauses when this run began: the report names what bounded this run alone. */
    private final Map<String, Integer> pausesAtStart;
    /** Set when the last step ran: a run closed without it stopped half-way (an exception, a shutdown). */
    private volatile boolean completed;

    RestoreRun(String restoreId, RestoreRequest request, RestoreMode mode, SnapshotReader snapshot, EnvironmentInfo target,
            String targetUrl, boolean otherEnvironment, Map<String, TableState> tables, List<String> order,
            Optional<RecordFilter> filter, DataverseWriter writer, LiveRows liveRows, EntitySets entitySets,
            TargetReferences references, Path reportDir, RestoreJournal journal, int batchSize, boolean useBatch,
            Optional<org.dataversebackup.dataverse.BulkMessages> bulkMessages, int parallelism,
            Duration progressInterval) {
        this.restoreId = restoreId;
        this.request = request;
        this.mode = mode;
        this.snapshot = snapshot;
        this.target = target;
        this.targetUrl = targetUrl;
        this.otherEnvironment = otherEnvironment;
        this.tables = tables;
        this.order = order;
        this.ids = request.ids();
        this.filter = filter;
        this.writer = writer;
        this.liveRows = liveRows;
        this.entitySets = entitySets;
        this.references = references;
        this.failures = new FailureLog(reportDir.resolve("restore-" + restoreId + "-failures.ndjson"));
        this.deletions = new FailureLog(reportDir.resolve("restore-" + restoreId + "-deletions.ndjson"));
        this.plan = new FailureLog(reportDir.resolve("restore-" + restoreId + "-plan.ndjson"));
        this.reportFile = reportDir.resolve("restore-" + restoreId + ".json");
        this.journal = journal;
        tables.values().forEach(t -> t.deferredIn(journal.attemptDir()));
        if (request.deletes()) {
            tables.values().forEach(t -> t.keepIdsIn(journal.attemptDir()));
        }
        this.batchSize = batchSize;
        this.useBatch = useBatch;
        this.bulkMessages = bulkMessages;
        this.parallelism = parallelism;
        this.progressInterval = progressInterval;
        this.pausesAtStart = writer.client().pausesByLimit();
    }

    /**
     * The service protection limit that held this run's requests back, e.g. "limited by
     * https://contoso.crm.dynamics.com as application &lt;id&gt;'s number of requests (3 pauses)";
     * empty when Dataverse did not throttle them.
     */
    public Optional<String> limitedBy() {
        return writer.client().limitedBySince(pausesAtStart);
    }

    /** How often a long table logs its progress. */
    public Duration progressInterval() {
        return progressInterval;
    }

    public String restoreId() {
        return restoreId;
    }

    public RestoreMode mode() {
        return mode;
    }

    public boolean dryRun() {
        return request.dryRun();
    }

    /** The target's Web API client (file uploads go around the batch writer). */
    org.dataversebackup.dataverse.DataverseClient client() {
        return writer.client();
    }

    public SnapshotReader snapshot() {
        return snapshot;
    }

    /** A dry run's plan: the rows it would create or update. */
    FailureLog plan() {
        return plan;
    }

    /** With deletes: the rows deleted, or to delete in a dry run. */
    FailureLog deletions() {
        return deletions;
    }

    int batchSize() {
        return batchSize;
    }

    /** With deletes, the tables whose live rows the snapshot does not hold are deleted: rows that point to others first. */
    List<TableState> deleteTables() {
        if (!request.deletes()) {
            return List.of();
        }
        List<TableState> reversed = new ArrayList<>(rowTables().stream().filter(t -> t.error() == null && t.skipped() == null).toList());
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    public FailureLog failures() {
        return failures;
    }

    /** What this restore sent and what the answers said; what earlier attempts of the same request did. */
    RestoreJournal journal() {
        return journal;
    }

    /** The restore ran to its end (the report is written): closing it then may remove its journal. */
    void completed() {
        completed = true;
    }

    DataverseWriter writer() {
        return writer;
    }

    LiveRows liveRows() {
        return liveRows;
    }

    EntitySets entitySets() {
        return entitySets;
    }

    TargetReferences references() {
        return references;
    }

    /** The snapshot's activity parties, written with their activities. */
    ActivityParties activityParties() {
        return activityParties;
    }

    void activityParties(ActivityParties parties) {
        this.activityParties = parties;
    }

    public TableState table(String name) {
        TableState table = tables.get(name);
        if (table == null) {
            throw new IllegalArgumentException("Table " + name + " is not in restore " + restoreId);
        }
        return table;
    }

    /** Tables of rows, dependencies first. */
    public List<TableState> rowTables() {
        return order.stream().map(tables::get).toList();
    }

    /** Tables of rows with rows waiting for the second pass. */
    public List<TableState> secondPassTables() {
        return rowTables().stream().filter(t -> t.deferredRows() > 0).toList();
    }

    /** N:N intersect tables, restored last. */
    public List<TableState> linkTables() {
        return tables.values().stream().filter(t -> t.kind() == TableState.Kind.LINKS).toList();
    }

    /**
     * The bulk message rows to create in this table are sent with ({@code CreateMultiple} for creates
     * that are POSTs with the primary key, {@code UpsertMultiple} for upserts), or empty: restore.use-bulk
     * is off, or the table does not support the message (then $batch).
     */
    Optional<String> bulkMessage(TableState table, boolean post) {
        String message = post ? org.dataversebackup.dataverse.BulkMessages.CREATE_MULTIPLE
                : org.dataversebackup.dataverse.BulkMessages.UPSERT_MULTIPLE;
        return bulkMessages.filter(b -> b.supports(table.name(), message)).map(b -> message);
    }

    /** Sends writes as one $batch per chunk, or one request each. */
    List<WriteResult> write(List<WriteOperation> operations) {
        if (operations.isEmpty()) {
            return List.of();
        }
        if (useBatch && operations.size() > 1) {
            return writer.batch(operations);
        }
        List<WriteResult> results = new ArrayList<>(operations.size());
        operations.forEach(o -> results.add(writer.single(o)));
        return results;
    }

    /** The selected records of a table in chunks of restore.batch-size, read lazily from its local parts. */
    Iterator<List<JsonNode>> chunks(TableState table) {
        return chunked(selectedRecords(table, true));
    }

    /**
     * The waves in which a table's rows are written, one after the other: when lookups of the table
     * point into the table itself, parents come in earlier waves than their children
     * ({@link RowWaves}); otherwise one wave holds every row. A dry run writes nothing: one wave.
     */
    Iterator<Integer> waves(TableState table) {
        RecordMapper mapper = table.mapper();
        if (dryRun() || table.kind() != TableState.Kind.ROWS || !mapper.hasSelfLookups()) {
            return List.of(0).iterator();
        }
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        RowWaves waves = RowWaves.of(journal.attemptDir().resolve("waves-" + table.name()),
                () -> selectedRecords(table, first.getAndSet(false)), mapper::selfReferences, mapper::id);
        table.waves(waves);
        Iterator<Integer> numbers = waves.waves();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return numbers.hasNext();
            }

            @Override
            public Integer next() {
                Integer wave = numbers.next();
                mapper.selfPending(waves.pending());
                return wave;
            }
        };
    }

    /** The records of the table's current wave, in chunks of restore.batch-size. */
    Iterator<List<JsonNode>> waveChunks(TableState table) {
        RowWaves waves = table.waves();
        return waves == null ? chunks(table) : chunked(waves.records());
    }

    /**
     * The selected records of a table, read lazily from its local parts.
     *
     * @param count counts them for the report (and keeps their ids, with deletes): once per table
     */
    private Iterator<JsonNode> selectedRecords(TableState table, boolean count) {
        Iterator<? extends JsonNode> records = snapshot().records(table.parts(), table.schema().primaryIdAttribute());
        TableSchema schema = table.schema();
        TableSchema.ManyToMany relationship = table.relationship();
        return new Iterator<>() {
            private JsonNode next;

            @Override
            public boolean hasNext() {
                while (next == null && records.hasNext()) {
                    JsonNode record = records.next();
                    if (count) {
                        table.read.incrementAndGet();
                    }
                    if (selected(record, schema, relationship)) {
                        if (count) {
                            table.selected.incrementAndGet();
                            table.keep(record.path(schema.primaryIdAttribute()).asText());
                            table.selectedForFiles(record.path(schema.primaryIdAttribute()).asText(), record);
                        }
                        next = record;
                    }
                }
                return next != null;
            }

            @Override
            public JsonNode next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                JsonNode record = next;
                next = null;
                return record;
            }
        };
    }

    /** The rows of a table waiting for the second pass, in chunks. */
    Iterator<List<JsonNode>> deferredChunks(TableState table) {
        Path file = table.deferredFile();
        if (file == null) {
            return Collections.emptyIterator();
        }
        BufferedReader reader;
        try {
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chunked(new Iterator<>() {
            private String line = readLine();

            private String readLine() {
                try {
                    String text = reader.readLine();
                    if (text == null) {
                        reader.close();
                    }
                    return text;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return line != null;
            }

            @Override
            public JsonNode next() {
                if (line == null) {
                    throw new NoSuchElementException();
                }
                try {
                    return RestoreJson.MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    line = readLine();
                }
            }
        });
    }

    private boolean selected(JsonNode record, TableSchema schema, TableSchema.ManyToMany relationship) {
        if (!ids.isEmpty()) {
            String id = lower(record.get(schema.primaryIdAttribute()));
            boolean chosen = ids.contains(id);
            if (chosen) {
                idsFound.add(id);
            }
            if (!chosen && relationship != null) {
                chosen = ids.contains(lower(record.get(relationship.entity1Attribute())))
                        || ids.contains(lower(record.get(relationship.entity2Attribute())));
            }
            if (!chosen) {
                return false;
            }
        }
        return filter.map(f -> f.matches(record)).orElse(true);
    }

    private static String lower(JsonNode value) {
        return value == null || value.isNull() ? "" : value.asText().toLowerCase(java.util.Locale.ROOT);
    }

    private Iterator<List<JsonNode>> chunked(Iterator<JsonNode> records) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public List<JsonNode> next() {
                if (!records.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<JsonNode> chunk = new ArrayList<>(batchSize);
                while (chunk.size() < batchSize && records.hasNext()) {
                    chunk.add(records.next());
                }
                return chunk;
            }
        };
    }

    /** Records, links and tables that failed, and links not known to be written (unverified). */
    public long failedCount() {
        long tableErrors = tables.values().stream().filter(t -> t.error() != null).count();
        return tables.values().stream().mapToLong(t -> t.failed() + t.unverified()).sum() + tableErrors;
    }

    public boolean ok() {
        return failedCount() == 0;
    }

    public Path reportFile() {
        return reportFile;
    }

    /**
     * What the user must not miss although nothing failed: a table whose selected rows were all
     * left as they are (a restore that writes nothing is never a silent success), and ids that are
     * in no restored table of the snapshot.
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        for (TableState table : tables.values()) {
            long selected = table.selected.get();
            if (table.error() != null || table.skipped() != null || selected == 0
                    || table.created.get() + table.updated.get() > 0) {
                continue;
            }
            warnings.add(String.format(java.util.Locale.ROOT, "%s: %,d selected %s in the snapshot, none %s (%s)",
                    table.name(), selected, selected == 1 ? "row" : "rows", dryRun() ? "would be written" : "written",
                    outcomes(table)));
        }
        if (!ids.isEmpty() && idsFound.size() < ids.size() && tables.values().stream().allMatch(t -> t.error() == null)) {
            List<String> notFound = ids.stream().filter(id -> !idsFound.contains(id)).sorted().toList();
            warnings.add(String.format(java.util.Locale.ROOT, "%,d of the %,d ids asked for %s in no restored table of the"
                    + " snapshot: %s", notFound.size(), ids.size(), notFound.size() == 1 ? "is" : "are",
                    String.join(", ", notFound.subList(0, Math.min(10, notFound.size()))) + (notFound.size() > 10 ? ", ..." : "")));
        }
        return warnings;
    }

    private static String outcomes(TableState table) {
        List<String> parts = new ArrayList<>();
        addOutcome(parts, table.unchanged.get(), "already as in the snapshot");
        addOutcome(parts, table.existing.get(), "exist and create mode does not overwrite");
        addOutcome(parts, table.missing.get(), "missing and update mode does not create");
        addOutcome(parts, table.failed(), "failed");
        addOutcome(parts, table.unverified(), "unverified");
        long accounted = table.unchanged.get() + table.existing.get() + table.missing.get() + table.failed.get()
                + table.unverified();
        addOutcome(parts, table.selected.get() - accounted, "not accounted for");
        return String.join(", ", parts);
    }

    private static void addOutcome(List<String> parts, long count, String what) {
        if (count > 0) {
            parts.add(String.format(java.util.Locale.ROOT, "%,d %s", count, what));
        }
    }

    /** The report (also written to {@link #reportFile()}). */
    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        SnapshotManifest manifest = snapshot.manifest();
        report.put("restoreId", restoreId);
        report.put("ok", ok());
        report.put("dryRun", dryRun());
        report.put("mode", mode.label());
        report.put("snapshot", snapshot.location());
        report.put("snapshotId", manifest.snapshotId());
        report.put("source", manifest.source());
        Map<String, Object> targetInfo = new LinkedHashMap<>();
        targetInfo.put("dataverseUrl", targetUrl);
        targetInfo.put("organizationId", target.organizationId());
        targetInfo.put("otherEnvironment", otherEnvironment);
        report.put("target", targetInfo);
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("tables", request.tables().isEmpty() ? "all" : request.tables());
        if (!ids.isEmpty()) {
            selection.put("ids", ids.size());
        }
        filter.ifPresent(f -> selection.put("filter", f.expression()));
        request.mapping().ifPresent(m -> selection.put("mapping", m));
        report.put("selection", selection);
        report.put("startedAt", startedAt.toString());
        report.put("completedAt", Instant.now().toString());
        report.put("seconds", Duration.between(startedAt, Instant.now()).toMillis() / 1000.0);
        report.put("parallelism", parallelism);
        report.put("batchSize", useBatch ? batchSize : 1);
        Map<String, Object> requests = new LinkedHashMap<>();
        requests.put("reads", liveRows.requests());
        requests.put("writes", writer.requests());
        report.put("requests", requests);
        limitedBy().ifPresent(limit -> report.put("limitedBy", limit));
        List<Map<String, Object>> rows = new ArrayList<>();
        rowTables().forEach(t -> rows.add(t.summary(dryRun())));
        tables.values().stream().filter(t -> t.kind() == TableState.Kind.ROWS && !order.contains(t.name()))
                .forEach(t -> rows.add(t.summary(dryRun())));
        linkTables().forEach(t -> rows.add(t.summary(dryRun())));
        report.put("tables", rows);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put(dryRun() ? "toCreate" : "created", sum(t -> t.created.get()));
        totals.put(dryRun() ? "toUpdate" : "updated", sum(t -> t.updated.get()));
        totals.put("unchanged", sum(t -> t.unchanged.get()));
        totals.put("exists", sum(t -> t.existing.get()));
        totals.put("missing", sum(t -> t.missing.get()));
        totals.put("failed", sum(TableState::failed));
        totals.put("unverified", sum(TableState::unverified));
        report.put("totals", totals);
        resumed().ifPresent(resumed -> report.put("resumed", resumed));
        Map<String, Long> fallbacks = references.fallbacks();
        if (!fallbacks.isEmpty()) {
            Map<String, Object> fallback = new LinkedHashMap<>();
            fallback.put("connectionUserId", references.connectionUserId());
            fallback.put("references", fallbacks.values().stream().mapToLong(Long::longValue).sum());
            fallback.put("missingInTarget", fallbacks);
            report.put("referencesReplacedByConnectionUser", fallback);
        }
        report.put("warnings", warnings());
        // said once per report: users compare dates after a restore and ask why these moved
        report.put("notes", List.of("modifiedon cannot be set through the Web API: restored rows show when they were written"));
        if (!dryRun() && !ok()) {
            report.put("journal", journal.folder().toString()); // kept: the same request resumes the restore
        }
        report.put("failuresFile", failures.file() == null ? null : failures.file().toAbsolutePath().toString());
        if (dryRun()) {
            report.put("planFile", plan.file() == null ? null : plan.file().toAbsolutePath().toString());
        }
        if (request.deletes()) {
            totals.put(dryRun() ? "toDelete" : "deleted", sum(t -> t.deleted.get()));
            report.put("deletionsFile", deletions.file() == null ? null : deletions.file().toAbsolutePath().toString());
        }
        report.put("reportFile", reportFile.toAbsolutePath().toString());
        return report;
    }

    /**
     * What this attempt resumed, when the same request ran before without finishing cleanly: the
     * attempt before, what it created (counted as created), and what this attempt wrote for it.
     */
    private Optional<Map<String, Object>> resumed() {
        Optional<RestoreJournal.Attempt> previous = journal.previousAttempt();
        if (previous.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> resumed = new LinkedHashMap<>();
        resumed.put("journal", journal.folder().toString());
        Map<String, Object> attempt = new LinkedHashMap<>();
        attempt.put("restoreId", previous.get().restoreId());
        attempt.put("startedAt", previous.get().startedAt());
        resumed.put("previousAttempt", attempt);
        resumed.put("earlierAttempts", journal.earlierAttempts());
        List<TableState> rows = tables.values().stream().filter(t -> t.kind() == TableState.Kind.ROWS).toList();
        List<TableState> links = linkTables();
        resumed.put("rowsCreatedBefore", rows.stream().mapToLong(t -> t.createdBefore.get()).sum());
        resumed.put("linksCreatedBefore", links.stream().mapToLong(t -> t.createdBefore.get()).sum());
        resumed.put("lookupsWritten", rows.stream().mapToLong(t -> t.lookupsWrittenOnResume.get()).sum());
        resumed.put("stateChangesWritten", rows.stream().mapToLong(t -> t.stateChangesWrittenOnResume.get()).sum());
        resumed.put("linksWritten", links.stream().mapToLong(t -> t.created.get() - t.createdBefore.get()).sum());
        return Optional.of(resumed);
    }

    private long sum(java.util.function.ToLongFunction<TableState> count) {
        return tables.values().stream().mapToLong(count).sum();
    }

    /**
     * Ends the run (its exchange is done, however it ended): the failures file and deferred rows are
     * closed, the attempt's work folder deleted; the journal is deleted when the restore finished
     * cleanly, else kept for the same request to resume it.
     */
    @Override
    public void close() {
        failures.close();
        rowTables().forEach(TableState::deferredFile); // closes the writers
        rowTables().forEach(TableState::closeWaves);
        journal.close(completed && ok());
    }
}
