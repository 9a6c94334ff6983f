package org.dataversebackup.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to check.
 *
 * @param purpose     backup or restore
 * @param tables      logical names or {@code *}; empty: the configured backup scope
 * @param lookups     restore: lookups are restored, so Append (and AppendTo on their targets) are needed
 * @param incremental backup: an incremental (change tracking) backup, which needs Global read depth
 */
public record CheckRequest(Purpose purpose, List<String> tables, boolean lookups, boolean incremental) {

    public CheckRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public static CheckRequest backup(List<String> tables) {
        return new CheckRequest(Purpose.BACKUP, tables, false, false);
    }

    public static CheckRequest restore(List<String> tables, boolean lookups) {
        return new CheckRequest(Purpose.RESTORE, tables, lookups, false);
    }

    /** The tables come from configuration ({@code backup.tables}, {@code backup.exclude}). */
    public boolean configuredScope() {
        return tables.isEmpty();
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("for", purpose.value());
        json.put("tables", configuredScope() ? "(backup.tables)" : String.join(",", tables));
        if (purpose == Purpose.RESTORE) {
            json.put("lookups", lookups);
        } else {
            json.put("incremental", incremental);
        }
        return json;
    }
}
