package org.dataversebackup.restore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.WriteOperation;
import org.dataversebackup.dataverse.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Restores a chunk of rows of one table. First the live rows with the same ids are read (one
 * request), so every row is planned against what the target holds: created when missing (upsert,
 * create), updated with only the columns that differ (upsert, update), left alone when equal.
 * Then the writes go out: the rows to create as one CreateMultiple or UpsertMultiple request where
 * the table supports it (split in halves until the rows it refuses are alone), the others as one
 * {@code $batch} (or one request each). Lookups that must wait (into a table restored later, or
 * into the same table to a row not written yet) and columns only valid for update are kept for
 * the {@linkplain #secondPass second pass}.
 *
 * <p>Retries never create duplicates: every write addresses the row by its original id. In create
 * mode, a POST answered "duplicate key" for a row that was missing when read (a retry after a
 * dropped connection, whose first attempt was applied) is read back: it counts as created when
 * it holds what was sent, else as "exists". When the read-back fails too, the {@link RestoreJournal}
 * decides: it says this restore sent the create (the entry is written before the request leaves),
 * so the row counts as created, never as someone else's.
 *
 * <p>Every create is journaled, "sent" before the request and its answer after, so that the same
 * request run again (after a crash or a failure) counts the rows it created as created and still
 * writes their deferred lookups and states.
 */
final class RowWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RowWriter.class);

    private enum Action { CREATE, UPDATE }

    /**
     * @param resumed an earlier attempt of this restore created the row (its journal says so): counted as
     *                created, and what it still needs is written
     */
    private record Planned(RecordMapper.Mapped record, Action action, WriteOperation operation, List<ColumnValue> later,
            boolean resumed, ObjectNode createBody) {

        Planned(RecordMapper.Mapped record, Action action, WriteOperation operation, List<ColumnValue> later, boolean resumed) {
            this(record, action, operation, later, resumed, null);
        }

        /** Creates the row now (journaled). */
        boolean creates() {
            return action == Action.CREATE && !resumed && operation != null;
        }
    }

    /** A create answered "duplicate key": its answer may have been lost before the client sent it again. */
    private record Duplicate(Planned planned, WriteResult result) {
    }

    private final RestoreRun run;
    private final TableState table;
    private final RecordMapper mapper;

    RowWriter(RestoreRun run, TableState table) {
        this.run = run;
        this.table = table;
        this.mapper = table.mapper();
    }

    void firstPass(List<JsonNode> records) {
        String name = table.name();
        List<RecordMapper.Mapped> mapped = new ArrayList<>(records.size());
        try {
            mapper.prefetchReferences(records);
        } catch (DataverseException e) {
            records.forEach(r -> failed(idOf(r), WriteResult.failed(e), "first"));
            return;
        }
        for (JsonNode record : records) {
            try {
                mapped.add(mapper.map(record));
            } catch (RecordMapper.RecordException e) {
                failed(idOf(record), new WriteResult(0, "", e.getMessage()), "first");
            }
        }
        Map<String, ObjectNode> live;
        try {
            // a table empty when the restore began holds no row of the snapshot but what this restore wrote: ids differ per chunk
            live = table.emptyAtStart() ? new HashMap<>()
                    : readLive(mapped.stream().map(RecordMapper.Mapped::id).toList(), mapper.selectProperties());
        } catch (DataverseException e) {
            mapped.forEach(m -> failed(m.id(), WriteResult.failed(e), "first"));
            return;
        }
        String set = table.schema().entitySetName();
        List<Planned> planned = new ArrayList<>();
        for (RecordMapper.Mapped record : mapped) {
            ObjectNode row = live.get(record.id());
            RestoreMode mode = run.mode();
            boolean createdBefore = row != null && createdBefore(record, row);
            if (row == null && mode == RestoreMode.UPDATE) {
                table.missing.incrementAndGet();
                run.failures().add(name, record.id(), "missing", 0, "",
                        "not in the target; update mode does not create rows", "first");
            } else if (row != null && mode == RestoreMode.CREATE && createdBefore) {
                planned.add(new Planned(record, Action.CREATE, null, mapper.afterCreate(record, true), true));
            } else if (row != null && mode == RestoreMode.CREATE) {
                table.existing.incrementAndGet();
                table.written(record.id()); // someone else's, but there: lookups to it can be written
                run.failures().add(name, record.id(), "exists", 0, "",
                        "already in the target; create mode does not overwrite rows", "first");
            } else if (row == null) {
                // a create that keeps createdon is a POST with the primary key in upsert mode too: sent
                // again after a lost answer, a PATCH would become an update, which cannot carry
                // overriddencreatedon; a POST answers "duplicate key" and the row is read back
                java.util.Optional<com.fasterxml.jackson.databind.node.ArrayNode> parties;
                try {
                    parties = run.activityParties().of(name, record.id());
                } catch (RecordMapper.RecordException | DataverseException e) {
                    failed(record.id(), new WriteResult(0, "", "its activity parties: " + e.getMessage()), "first");
                    continue;
                }
                // parties are created only with their activity (deep insert), which is a POST
                boolean post = mode == RestoreMode.CREATE || mapper.preservesCreatedOn() || parties.isPresent();
                ObjectNode body = mapper.createBody(record, post);
                parties.ifPresent(items -> body.set(ActivityParties.collection(name), items));
                WriteOperation operation = post
                        ? new WriteOperation("POST", set, Map.of(), bytes(body))
                        : new WriteOperation("PATCH", set + "(" + record.id() + ")", Map.of(), bytes(body));
                planned.add(new Planned(record, Action.CREATE, operation, mapper.afterCreate(record), false, body));
            } else {
                List<ColumnValue> changed = mapper.differences(record, row);
                if (changed.isEmpty()) {
                    if (createdBefore) {
                        planned.add(new Planned(record, Action.CREATE, null, List.of(), true));
                    } else {
                        table.unchanged.incrementAndGet();
                        table.written(record.id());
                    }
                    continue;
                }
                ObjectNode body = RestoreJson.MAPPER.getNodeFactory().objectNode();
                List<ColumnValue> later = new ArrayList<>();
                for (ColumnValue value : changed) {
                    if (mapper.deferred(value)) {
                        later.add(value);
                    } else {
                        value.writeTo(body, row);
                    }
                }
                WriteOperation operation = body.isEmpty() ? null : new WriteOperation("PATCH", set + "(" + record.id() + ")",
                        mode == RestoreMode.UPDATE ? Map.of("If-Match", "*") : Map.of(), bytes(body));
                planned.add(new Planned(record, createdBefore ? Action.CREATE : Action.UPDATE, operation, later, createdBefore));
            }
        }
        if (run.dryRun()) {
            String nameColumn = table.schema().primaryNameAttribute();
            Map<String, String> names = new HashMap<>();
            if (!nameColumn.isEmpty()) {
                records.forEach(r -> names.put(idOf(r), r.path(nameColumn).asText("")));
            }
            for (Planned p : planned) {
                boolean create = p.action() == Action.CREATE;
                (create ? table.created : table.updated).incrementAndGet();
                run.plan().listed(table.name(), p.record().id(), create ? "to-create" : "to-update", names.get(p.record().id()));
            }
            return;
        }
        List<Planned> writes = planned.stream().filter(p -> p.operation() != null).toList();
        // journaled (and flushed) before the request leaves: a kill -9 never loses a create that was sent
        run.journal().sent(name, writes.stream().filter(Planned::creates).map(p -> p.record().id()).toList());
        List<WriteResult> results = write(writes);
        for (Planned p : planned) {
            if (p.operation() == null) {
                done(p); // only deferred lookups differ, or created by an earlier attempt
            }
        }
        List<String> created = new ArrayList<>();
        List<String> notCreated = new ArrayList<>();
        List<Duplicate> duplicates = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            Planned p = writes.get(i);
            WriteResult result = results.get(i);
            if (result.succeeded()) {
                done(p);
                if (p.creates()) {
                    created.add(p.record().id());
                }
            } else if (p.creates() && p.operation() != null && "POST".equals(p.operation().method()) && result.duplicateKey()) {
                duplicates.add(new Duplicate(p, result));
            } else if (run.mode() == RestoreMode.UPDATE && result.notFound()) {
                table.missing.incrementAndGet();
                run.failures().add(name, p.record().id(), "missing", result.status(), result.code(), result.message(), "first");
            } else {
                failed(p.record().id(), result, "first");
                if (p.creates() && result.status() / 100 == 4) {
                    notCreated.add(p.record().id()); // refused; a 5xx or no answer may have been applied: stays "sent"
                }
            }
        }
        resolve(duplicates, created, notCreated);
        run.journal().answered(name, created, notCreated);
    }

    /**
     * Sends a chunk's writes: the rows to create in one bulk request (CreateMultiple when creates are
     * POSTs with the primary key, UpsertMultiple when they are upserts) where the table supports it,
     * split in halves until the rows it refuses are alone; the rest (updates, or every write when no
     * bulk message applies) as one {@code $batch}, or one request each. One result per write, in order.
     */
    private List<WriteResult> write(List<Planned> writes) {
        List<Integer> creates = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            // a create with its activity parties (deep insert) goes alone: bulk messages take rows only
            if (writes.get(i).creates() && writes.get(i).createBody() != null
                    && !writes.get(i).createBody().has(ActivityParties.collection(table.name()))) {
                creates.add(i);
            }
        }
        boolean post = run.mode() == RestoreMode.CREATE || mapper.preservesCreatedOn();
        java.util.Optional<String> message = creates.size() < 2 ? java.util.Optional.empty() : run.bulkMessage(table, post);
        if (message.isEmpty()) {
            return run.write(writes.stream().map(Planned::operation).toList());
        }
        String set = table.schema().entitySetName();
        String type = "Microsoft.Dynamics.CRM." + table.schema().logicalName();
        List<org.dataversebackup.dataverse.DataverseWriter.BulkItem> items = new ArrayList<>();
        for (int i : creates) {
            Planned p = writes.get(i);
            ObjectNode target = RestoreJson.MAPPER.getNodeFactory().objectNode();
            target.put("@odata.type", type);
            if (!post) {
                target.put("@odata.id", set + "(" + p.record().id() + ")"); // the row to upsert, by its primary key
            }
            target.setAll(p.createBody());
            items.add(new org.dataversebackup.dataverse.DataverseWriter.BulkItem(target, p.operation()));
        }
        List<WriteResult> bulk = run.writer().bulk(set, message.get(), items);
        Set<Integer> inBulk = new HashSet<>(creates);
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            if (!inBulk.contains(i)) {
                others.add(i);
            }
        }
        List<WriteResult> rest = run.write(others.stream().map(i -> writes.get(i).operation()).toList());
        WriteResult[] results = new WriteResult[writes.size()];
        for (int k = 0; k < creates.size(); k++) {
            results[creates.get(k)] = bulk.get(k);
        }
        for (int k = 0; k < others.size(); k++) {
            results[others.get(k)] = rest.get(k);
        }
        return java.util.Arrays.asList(results);
    }

    /**
     * Creates answered "duplicate key" for rows that were missing when the chunk was read: either
     * the answer to this restore's create was lost and the client sent it again, or someone else
     * created the row in between. The rows are read back (one request): holding what was sent,
     * they are this restore's (created); holding something else, someone else's (exists). When
     * they cannot be read back, the journal decides: this restore sent their create (journaled
     * before it left), to rows missing moments before, so they count as created, and the report
     * says on which word ({@code createdPerJournal}).
     */
    private void resolve(List<Duplicate> duplicates, List<String> created, List<String> notCreated) {
        if (duplicates.isEmpty()) {
            return;
        }
        String name = table.name();
        Map<String, ObjectNode> live;
        try {
            live = readLive(duplicates.stream().map(d -> d.planned().record().id()).toList(), mapper.selectProperties());
        } catch (DataverseException e) {
            LOG.warn("{}: {} creates answered \"duplicate key\" (answers lost, the requests sent again) cannot be read back ({}):"
                    + " counted as created, as the restore journal says this restore sent them", name, duplicates.size(),
                    e.getMessage());
            for (Duplicate d : duplicates) {
                table.createdPerJournal.incrementAndGet();
                done(d.planned());
            }
            return;
        }
        for (Duplicate d : duplicates) {
            Planned p = d.planned();
            ObjectNode row = live.get(p.record().id());
            if (row != null && holdsWhatWasSent(p.record(), row)) {
                LOG.info("{} {}: found present after the create was sent again, holding what was sent: counted as created",
                        name, p.record().id());
                table.createdVerified.incrementAndGet();
                done(p);
                created.add(p.record().id());
            } else {
                WriteResult result = d.result();
                table.existing.incrementAndGet();
                run.failures().add(name, p.record().id(), "exists", result.status(), result.code(),
                        "created by someone else meanwhile; not overwritten (" + result.message() + ")", "first");
                notCreated.add(p.record().id());
            }
        }
    }

    /** Writes what rows still need once every row of the run exists: deferred lookups, update-only columns. */
    void secondPass(List<JsonNode> entries) {
        List<String> ids = new ArrayList<>();
        Map<String, List<ColumnValue>> pending = new HashMap<>();
        Set<String> resumed = new HashSet<>();
        List<String> select = new ArrayList<>();
        select.add(table.schema().primaryIdAttribute());
        for (JsonNode entry : entries) {
            String id = entry.path("id").asText();
            if (entry.path("resumed").asBoolean()) {
                resumed.add(id);
            }
            List<ColumnValue> values = new ArrayList<>();
            entry.path("values").forEach(v -> values.add(ColumnValue.fromJson(v)));
            ids.add(id);
            pending.put(id, values);
            values.forEach(v -> {
                if (!select.contains(v.property())) {
                    select.add(v.property());
                }
            });
        }
        // a table empty when the restore began holds only the rows this restore created, without these values
        boolean compare = !table.emptyAtStart();
        Map<String, ObjectNode> live;
        try {
            live = compare ? readLive(ids, select) : Map.of();
        } catch (DataverseException e) {
            ids.forEach(id -> failedSecond(id, WriteResult.failed(e)));
            return;
        }
        String set = table.schema().entitySetName();
        List<String> written = new ArrayList<>();
        List<List<ColumnValue>> writtenValues = new ArrayList<>();
        List<WriteOperation> operations = new ArrayList<>();
        for (String id : ids) {
            ObjectNode row = live.get(id);
            if (row == null && compare) {
                failedSecond(id, new WriteResult(404, "", "the row is not in the target any more"));
                continue;
            }
            ObjectNode body = RestoreJson.MAPPER.getNodeFactory().objectNode();
            List<ColumnValue> values = pending.get(id).stream().filter(v -> row == null || !v.heldBy(row)).toList();
            values.forEach(v -> v.writeTo(body, row));
            if (!body.isEmpty()) {
                written.add(id);
                writtenValues.add(values);
                operations.add(new WriteOperation("PATCH", set + "(" + id + ")", Map.of("If-Match", "*"), bytes(body)));
            }
        }
        List<WriteResult> results = run.write(operations);
        for (int i = 0; i < operations.size(); i++) {
            if (!results.get(i).succeeded()) {
                failedSecond(written.get(i), results.get(i));
            } else if (resumed.contains(written.get(i))) {
                countWrittenOnResume(writtenValues.get(i));
            }
        }
    }

    /** What the second pass wrote for a row an earlier attempt created: the report's "resumed" section. */
    private void countWrittenOnResume(List<ColumnValue> values) {
        for (ColumnValue value : values) {
            if (value instanceof ColumnValue.Lookup) {
                table.lookupsWrittenOnResume.incrementAndGet();
            } else if ("statecode".equals(value.column())) {
                table.stateChangesWrittenOnResume.incrementAndGet();
            }
        }
    }

    private void done(Planned p) {
        (p.action() == Action.CREATE ? table.created : table.updated).incrementAndGet();
        if (p.resumed()) {
            table.createdBefore.incrementAndGet();
        }
        if (!p.later().isEmpty()) {
            table.defer(p.record().id(), p.later(), p.resumed());
        }
        table.written(p.record().id());
    }

    /**
     * Whether a row the target holds was created by an earlier attempt of this restore, so it is
     * this restore's and not someone else's: its journal says the create was answered, or says it
     * was sent and never answered (the answer lost, or the attempt stopped) and the row holds what
     * the create sent (else someone else may have created it between the attempts).
     */
    private boolean createdBefore(RecordMapper.Mapped record, ObjectNode row) {
        return switch (run.journal().earlier(table.name(), record.id())) {
            case CREATED -> true;
            case SENT -> holdsWhatWasSent(record, row);
            case NOT_SENT, NOT_CREATED -> false;
        };
    }

    /** Created by this restore when the row holds every value the create sent. */
    private boolean holdsWhatWasSent(RecordMapper.Mapped record, ObjectNode row) {
        return record.values().stream()
                .filter(v -> !v.isNull() && mapper.writtenOnCreate(v, record) && !mapper.mayBeDeferred(v))
                .allMatch(v -> v.heldBy(row));
    }

    private Map<String, ObjectNode> readLive(List<String> ids, List<String> select) {
        Map<String, ObjectNode> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        String pk = table.schema().primaryIdAttribute();
        for (ObjectNode row : run.liveRows().byKey(table.schema().entitySetName(), pk, ids, select)) {
            JsonNode id = row.get(pk);
            if (id != null && !id.isNull()) {
                rows.put(id.asText().toLowerCase(Locale.ROOT), row);
            }
        }
        return rows;
    }

    private void failed(String id, WriteResult result, String pass) {
        table.failed.incrementAndGet();
        run.failures().add(table.name(), id, "failed", result.status(), result.code(), result.message(), pass);
    }

    private void failedSecond(String id, WriteResult result) {
        table.failedSecondPass.incrementAndGet();
        run.failures().add(table.name(), id, "failed", result.status(), result.code(), result.message(), "second");
    }

    private String idOf(JsonNode record) {
        String id = mapper.id(record);
        return id == null ? "" : id;
    }

    static byte[] bytes(JsonNode body) {
        try {
            return RestoreJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
