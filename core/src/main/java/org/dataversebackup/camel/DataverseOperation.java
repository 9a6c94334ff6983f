package org.dataversebackup.camel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a {@code dataverse:} endpoint does: the path of its URI. */
public enum DataverseOperation {
    /** Producer: one snapshot of the environment (the reply is the summary). */
    BACKUP,
    /** Producer: restores a snapshot (the body or headers are the request; the reply is the report). */
    RESTORE,
    /** Producer: the preflight check (the reply is the report). */
    CHECK,
    /** Producer: compares two snapshots, or a snapshot with the live rows (the reply is the report). */
    DIFF,
    /** Consumer: the rows of a table, one exchange per row. */
    RECORDS,
    /** Producer: creates or updates the row in the body. */
    WRITE;

    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DataverseOperation parse(String path) {
        return Arrays.stream(values()).filter(o -> o.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("dataverse:" + path + " is not an operation: use one of "
                        + Arrays.stream(values()).map(o -> "dataverse:" + o.path()).collect(Collectors.joining(", ")) + "."));
    }
}
