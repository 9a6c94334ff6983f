package org.dataversebackup.snapshot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;

/**
 * Which complete snapshots of an environment to keep ({@code retention.*}): the newest
 * {@code keep-last}, and grandfather-father-son, the newest snapshot of each of the newest
 * {@code keep-daily} days, {@code keep-weekly} ISO weeks, {@code keep-monthly} months and
 * {@code keep-yearly} years that have one (UTC), as restic's {@code forget --keep-*} does. A
 * snapshot is kept when any rule keeps it, and then so is every snapshot of its chain it needs (an
 * incremental's parent, down to the full snapshot): a kept incremental is always restorable.
 */
public record RetentionPolicy(int keepLast, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly) {

    public static final List<String> KEYS = List.of("retention.keep-last", "retention.keep-daily", "retention.keep-weekly",
            "retention.keep-monthly", "retention.keep-yearly");

    public RetentionPolicy {
        for (int count : new int[] {keepLast, keepDaily, keepWeekly, keepMonthly, keepYearly}) {
            if (count < 0) {
                throw new ConfigurationException("retention.keep-* counts are 0 or more.");
            }
        }
    }

    /** From the {@code retention.keep-*} keys; empty when none is set (then nothing is ever pruned). */
    public static Optional<RetentionPolicy> from(Settings settings) {
        if (KEYS.stream().allMatch(key -> settings.optional(key).filter(v -> !v.isBlank()).isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new RetentionPolicy(settings.intValue("retention.keep-last", 0),
                settings.intValue("retention.keep-daily", 0), settings.intValue("retention.keep-weekly", 0),
                settings.intValue("retention.keep-monthly", 0), settings.intValue("retention.keep-yearly", 0)));
    }

    /** What happens to one snapshot, and why. */
    public record Decision(SnapshotCatalog.Entry snapshot, boolean keep, List<String> reasons) {
    }

    /**
     * The decision for each snapshot, newest first.
     *
     * @param snapshots the complete snapshots of one environment
     */
    public List<Decision> apply(List<SnapshotCatalog.Entry> snapshots) {
        return apply(snapshots, entry -> false);
    }

    /**
     * As {@link #apply(List)}, keeping also the snapshots an alert stands on (and the chains they need).
     *
     * @param alerted whether an alert stands on a snapshot ({@link SnapshotAlerts#standing})
     */
    public List<Decision> apply(List<SnapshotCatalog.Entry> snapshots, java.util.function.Predicate<SnapshotCatalog.Entry> alerted) {
        List<SnapshotCatalog.Entry> newestFirst = new ArrayList<>(snapshots);
        newestFirst.sort(Comparator.comparing((SnapshotCatalog.Entry e) -> e.manifest().startedAt()).reversed());
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(keepLast, newestFirst.size()); i++) {
            keep(reasons, newestFirst.get(i), "last " + keepLast);
        }
        bucket(reasons, newestFirst, keepDaily, "daily", t -> DateTimeFormatter.ISO_LOCAL_DATE.format(t));
        bucket(reasons, newestFirst, keepWeekly, "weekly", t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        bucket(reasons, newestFirst, keepMonthly, "monthly", t -> t.getYear() + "-" + t.getMonthValue());
        bucket(reasons, newestFirst, keepYearly, "yearly", t -> Integer.toString(t.getYear()));
        newestFirst.stream().filter(alerted).forEach(entry -> keep(reasons, entry, "alert standing: 'alerts ack' clears it"));
        keepChains(reasons, newestFirst);
        List<Decision> decisions = new ArrayList<>();
        for (SnapshotCatalog.Entry entry : newestFirst) {
            List<String> why = reasons.get(entry.manifest().snapshotId());
            decisions.add(new Decision(entry, why != null, why == null ? List.of() : List.copyOf(why)));
        }
        return decisions;
    }

    /** Keeps the newest snapshot of each of the newest {@code count} periods that have one. */
    private static void bucket(Map<String, List<String>> reasons, List<SnapshotCatalog.Entry> newestFirst, int count,
            String rule, Function<ZonedDateTime, String> period) {
        Set<String> periods = new LinkedHashSet<>();
        for (SnapshotCatalog.Entry entry : newestFirst) {
            if (periods.size() == count) {
                return;
            }
            String key = period.apply(ZonedDateTime.ofInstant(Instant.parse(entry.manifest().startedAt()), ZoneOffset.UTC));
            if (periods.add(key)) {
                keep(reasons, entry, rule + " " + key);
            }
        }
    }

    /** Every snapshot a kept incremental needs: its parent, the parent's parent, ... the full snapshot. */
    private static void keepChains(Map<String, List<String>> reasons, List<SnapshotCatalog.Entry> snapshots) {
        Map<String, SnapshotCatalog.Entry> byId = new HashMap<>();
        snapshots.forEach(e -> byId.put(e.manifest().snapshotId(), e));
        for (SnapshotCatalog.Entry entry : snapshots) {
            if (!reasons.containsKey(entry.manifest().snapshotId())) {
                continue;
            }
            SnapshotManifest child = entry.manifest();
            while (child.incremental()) {
                SnapshotCatalog.Entry parent = byId.get(child.parent());
                if (parent == null) {
                    break; // already gone: the chain cannot be restored anyway (verify and restore say so)
                }
                keep(reasons, parent, "needed by " + entry.manifest().snapshotId());
                child = parent.manifest();
            }
        }
    }

    private static void keep(Map<String, List<String>> reasons, SnapshotCatalog.Entry entry, String reason) {
        List<String> why = reasons.computeIfAbsent(entry.manifest().snapshotId(), id -> new ArrayList<>());
        if (!why.contains(reason)) {
            why.add(reason);
        }
    }
}
