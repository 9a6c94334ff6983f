package org.dataversebackup.restore;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What to restore, however it was asked for (command line, {@code direct:restore} headers or JSON
 * body, a request file in the inbox).
 *
 * @param snapshot              the snapshot: its folder or {@code s3://bucket/prefix/<environment>/<id>}
 * @param tables                logical names; empty = every table of the snapshot except {@code restore.exclude}
 * @param mode                  empty = {@code restore.mode}
 * @param ids                   primary keys to restore (lower case); empty = all rows
 * @param filter                a {@link RecordFilter} expression on saved fields, or empty
 * @param dryRun                read and plan, write nothing
 * @param allowOtherEnvironment allow a target whose organization differs from the snapshot's source
 * @param mapping               a reference mapping file (JSON), or empty
 * @param rerun                 inbox only: run even if the same request ran before
 * @param deletes               also delete the live rows of each restored table that the snapshot does not hold
 *                              (upsert mode, whole tables only): the table becomes the snapshot's
 */
public record RestoreRequest(String snapshot, List<String> tables, Optional<RestoreMode> mode, Set<String> ids,
        Optional<String> filter, boolean dryRun, boolean allowOtherEnvironment, Optional<String> mapping, boolean rerun,
        boolean deletes) {

    public RestoreRequest {
        tables = List.copyOf(tables);
        ids = Set.copyOf(ids);
    }

    public RestoreRequest(String snapshot, List<String> tables, Optional<RestoreMode> mode, Set<String> ids,
            Optional<String> filter, boolean dryRun, boolean allowOtherEnvironment, Optional<String> mapping, boolean rerun) {
        this(snapshot, tables, mode, ids, filter, dryRun, allowOtherEnvironment, mapping, rerun, false);
    }
}
