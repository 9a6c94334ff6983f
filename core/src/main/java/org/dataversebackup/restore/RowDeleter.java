package org.dataversebackup.restore;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.dataversebackup.dataverse.WriteOperation;
import org.dataversebackup.dataverse.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore with {@code deletes}: the live rows of a restored table that the snapshot does not
 * hold (created since, or not there at the moment restored) are deleted, so the table becomes the
 * snapshot's. Runs after every row, lookup and link is written, tables in reverse restore order
 * (rows that point to others first). The snapshot's ids are looked up in an on-disk index, so
 * memory does not grow with the table. A dry run counts and lists them and deletes nothing; every
 * row deleted, or to delete, is listed in the deletions file.
 */
final class RowDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(RowDeleter.class);

    private final RestoreRun run;
    private final TableState table;

    RowDeleter(RestoreRun run, TableState table) {
        this.run = run;
        this.table = table;
    }

    void deleteMissing() {
        String set = table.manifest().entitySetName();
        try (JournalIndex kept = table.keptIds()) {
            Iterator<String> live = run.liveRows().allIds(set, table.schema().primaryIdAttribute());
            List<String> missing = new ArrayList<>();
            while (live.hasNext()) {
                String id = live.next();
                if (!kept.contains(id)) {
                    missing.add(id);
                    if (missing.size() == run.batchSize()) {
                        delete(set, missing);
                        missing.clear();
                    }
                }
            }
            delete(set, missing);
        }
        if (table.deleted.get() > 0) {
            LOG.info("{}: {} {} the snapshot does not hold {}", table.name(), table.deleted.get(),
                    table.deleted.get() == 1 ? "live row" : "live rows", run.dryRun() ? "would be deleted" : "deleted");
        }
    }

    private void delete(String set, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        ids.forEach(id -> run.deletions().add(table.name(), id, run.dryRun() ? "to-delete" : "deleted", 0, "", "", "deletes"));
        if (run.dryRun()) {
            table.deleted.addAndGet(ids.size());
            return;
        }
        List<WriteOperation> operations = ids.stream().map(id -> new WriteOperation("DELETE", set + "(" + id + ")", Map.of(),
                null)).toList();
        List<WriteResult> results = run.write(operations);
        for (int i = 0; i < ids.size(); i++) {
            WriteResult result = results.get(i);
            if (result.succeeded() || result.notFound()) {
                table.deleted.incrementAndGet(); // gone, whoever deleted it
            } else {
                table.failedDeletes.incrementAndGet();
                run.failures().add(table.name(), ids.get(i), "failed", result.status(), result.code(), result.message(), "deletes");
            }
        }
    }
}
