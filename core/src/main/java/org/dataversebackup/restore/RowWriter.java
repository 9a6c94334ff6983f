package org.dataversebackup.restore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 * Then the writes go out as one {@code $batch} (or one request each). Lookups that must wait
 * (into the same table or a table restored later) and columns only valid for update are kept for
 * the {@linkplain #secondPass second pass}.
 *
 * <p>Retries never create duplicates: every write addresses the row by its original id. In create
 * mode, a POST answered "duplicate key" for a row that was missing when read (a retry after a
 * dropped connection, whose first attempt was applied) is read back: it counts as created when
 * it holds what was sent, else as "exists".
 */
final class RowWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RowWriter.class);

    private enum Action { CREATE, UPDATE }

    private record Planned(RecordMapper.Mapped record, Action action, WriteOperation operation, List<ColumnValue> later) {
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
            live = readLive(mapped.stream().map(RecordMapper.Mapped::id).toList(), mapper.selectProperties());
        } catch (DataverseException e) {
            mapped.forEach(m -> failed(m.id(), WriteResult.failed(e), "first"));
            return;
        }
        String set = table.schema().entitySetName();
        List<Planned> planned = new ArrayList<>();
        for (RecordMapper.Mapped record : mapped) {
            ObjectNode row = live.get(record.id());
            RestoreMode mode = run.mode();
            if (row == null && mode == RestoreMode.UPDATE) {
                table.missing.incrementAndGet();
                run.failures().add(name, record.id(), "missing", 0, "",
                        "not in the target; update mode does not create rows", "first");
            } else if (row != null && mode == RestoreMode.CREATE) {
                table.existing.incrementAndGet();
                run.failures().add(name, record.id(), "exists", 0, "",
                        "already in the target; create mode does not overwrite rows", "first");
            } else if (row == null) {
                ObjectNode body = mapper.createBody(record, mode == RestoreMode.CREATE);
                WriteOperation operation = mode == RestoreMode.CREATE
                        ? new WriteOperation("POST", set, Map.of(), bytes(body))
                        : new WriteOperation("PATCH", set + "(" + record.id() + ")", Map.of(), bytes(body));
                planned.add(new Planned(record, Action.CREATE, operation, mapper.afterCreate(record)));
            } else {
                List<ColumnValue> changed = mapper.differences(record, row);
                if (changed.isEmpty()) {
                    table.unchanged.incrementAndGet();
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
                planned.add(new Planned(record, Action.UPDATE, operation, later));
            }
        }
        if (run.dryRun()) {
            planned.forEach(p -> (p.action() == Action.CREATE ? table.created : table.updated).incrementAndGet());
            return;
        }
        List<Planned> writes = planned.stream().filter(p -> p.operation() != null).toList();
        List<WriteResult> results = run.write(writes.stream().map(Planned::operation).toList());
        for (Planned p : planned) {
            if (p.operation() == null) {
                done(p); // only deferred lookups differ
            }
        }
        for (int i = 0; i < writes.size(); i++) {
            Planned p = writes.get(i);
            WriteResult result = results.get(i);
            if (result.succeeded()) {
                done(p);
            } else if (p.action() == Action.CREATE && run.mode() == RestoreMode.CREATE && result.duplicateKey()) {
                if (createdByUs(p)) {
                    LOG.info("{} {}: found present after the create was retried, holding what was sent: counted as created",
                            name, p.record().id());
                    done(p);
                } else {
                    table.existing.incrementAndGet();
                    run.failures().add(name, p.record().id(), "exists", result.status(), result.code(),
                            "created by someone else meanwhile; create mode does not overwrite rows (" + result.message() + ")", "first");
                }
            } else if (run.mode() == RestoreMode.UPDATE && result.notFound()) {
                table.missing.incrementAndGet();
                run.failures().add(name, p.record().id(), "missing", result.status(), result.code(), result.message(), "first");
            } else {
                failed(p.record().id(), result, "first");
            }
        }
    }

    /** Writes what rows still need once every row of the run exists: deferred lookups, update-only columns. */
    void secondPass(List<JsonNode> entries) {
        List<String> ids = new ArrayList<>();
        Map<String, List<ColumnValue>> pending = new HashMap<>();
        List<String> select = new ArrayList<>();
        select.add(table.schema().primaryIdAttribute());
        for (JsonNode entry : entries) {
            String id = entry.path("id").asText();
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
        Map<String, ObjectNode> live;
        try {
            live = readLive(ids, select);
        } catch (DataverseException e) {
            ids.forEach(id -> failedSecond(id, WriteResult.failed(e)));
            return;
        }
        String set = table.schema().entitySetName();
        List<String> written = new ArrayList<>();
        List<WriteOperation> operations = new ArrayList<>();
        for (String id : ids) {
            ObjectNode row = live.get(id);
            if (row == null) {
                failedSecond(id, new WriteResult(404, "", "the row is not in the target any more"));
                continue;
            }
            ObjectNode body = RestoreJson.MAPPER.getNodeFactory().objectNode();
            pending.get(id).stream().filter(v -> !v.heldBy(row)).forEach(v -> v.writeTo(body, row));
            if (!body.isEmpty()) {
                written.add(id);
                operations.add(new WriteOperation("PATCH", set + "(" + id + ")", Map.of("If-Match", "*"), bytes(body)));
            }
        }
        List<WriteResult> results = run.write(operations);
        for (int i = 0; i < operations.size(); i++) {
            if (!results.get(i).succeeded()) {
                failedSecond(written.get(i), results.get(i));
            }
        }
    }

    private void done(Planned p) {
        (p.action() == Action.CREATE ? table.created : table.updated).incrementAndGet();
        if (!p.later().isEmpty()) {
            table.defer(p.record().id(), p.later());
        }
    }

    /** Reads the row back: created by this restore when it holds every value the create sent. */
    private boolean createdByUs(Planned p) {
        try {
            Map<String, ObjectNode> live = readLive(List.of(p.record().id()), mapper.selectProperties());
            ObjectNode row = live.get(p.record().id());
            if (row == null) {
                return false;
            }
            return p.record().values().stream()
                    .filter(v -> !v.isNull() && mapper.writtenOnCreate(v) && !mapper.deferred(v))
                    .allMatch(v -> v.heldBy(row));
        } catch (DataverseException e) {
            return false;
        }
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
