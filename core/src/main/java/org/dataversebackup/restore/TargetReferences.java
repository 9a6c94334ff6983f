package org.dataversebackup.restore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Where saved references point in the target: through the {@link ReferenceMapping} first, then,
 * for users that do not exist in the target, to the connection account (WhoAmI UserId). An owner
 * that is a team missing in the target also falls back to the connection account. Existence is
 * asked of the target in batches and remembered. Counts every fallback for the report.
 */
public final class TargetReferences {
    static final String USER = "systemuser";
    static final String TEAM = "team";

    /** A reference after mapping and fallback. */
    public record Target(String table, String id, boolean fallback) {
    }

    private final ReferenceMapping mapping;
    private final String connectionUserId;
    private final Set<String> restoredTables;
    private final BiFunction<String, Collection<String>, Set<String>> existing;
    private final Map<String, Boolean> exists = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> fallbacks = new ConcurrentHashMap<>();

    /**
     * @param restoredTables tables written by this run: their rows are not checked (they are being restored)
     * @param existing       (table, ids) to the ids among them that exist in the target
     */
    public TargetReferences(ReferenceMapping mapping, String connectionUserId, Set<String> restoredTables,
            BiFunction<String, Collection<String>, Set<String>> existing) {
        this.mapping = mapping;
        this.connectionUserId = connectionUserId == null ? null : connectionUserId.toLowerCase(Locale.ROOT);
        this.restoredTables = Set.copyOf(restoredTables);
        this.existing = existing;
    }

    /** Whether references to this table are checked (and can fall back). */
    boolean checked(String table, boolean owner) {
        return connectionUserId != null && !restoredTables.contains(table)
                && (USER.equals(table) || (owner && TEAM.equals(table)));
    }

    /** Asks the target, in one request per table, about the references not known yet. */
    public void prefetch(Map<String, Set<String>> idsByTable) {
        idsByTable.forEach((table, ids) -> {
            List<String> unknown = new ArrayList<>();
            for (String id : ids) {
                if (!exists.containsKey(key(table, id))) {
                    unknown.add(id);
                }
            }
            if (!unknown.isEmpty()) {
                Set<String> found = new HashSet<>();
                existing.apply(table, unknown).forEach(id -> found.add(id.toLowerCase(Locale.ROOT)));
                unknown.forEach(id -> exists.put(key(table, id), found.contains(id)));
            }
        });
    }

    /** The mapped id (before fallback), for prefetching. */
    public String mapped(String table, String id) {
        return mapping.map(table, id);
    }

    public ReferenceMapping mapping() {
        return mapping;
    }

    public Target resolve(String table, String id, boolean owner) {
        String mapped = mapping.map(table, id);
        if (mapped == null || !checked(table, owner)) {
            return new Target(table, mapped, false);
        }
        Boolean present = exists.get(key(table, mapped));
        if (present == null) {
            prefetch(Map.of(table, Set.of(mapped)));
            present = exists.get(key(table, mapped));
        }
        if (present) {
            return new Target(table, mapped, false);
        }
        fallbacks.computeIfAbsent(table + " " + mapped, k -> new AtomicLong()).incrementAndGet();
        return new Target(USER, connectionUserId, true);
    }

    /** References replaced by the connection account: "<table> <id>" to how many times. */
    public Map<String, Long> fallbacks() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        fallbacks.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    public String connectionUserId() {
        return connectionUserId;
    }

    private static String key(String table, String id) {
        return table + " " + id.toLowerCase(Locale.ROOT);
    }
}
