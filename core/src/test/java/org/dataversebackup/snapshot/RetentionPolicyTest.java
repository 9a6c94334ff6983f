package org.dataversebackup.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static SnapshotCatalog.Entry full(String id, String startedAt) {
        return new SnapshotCatalog.Entry("env/" + id, new SnapshotManifest(1, null, id, "full", null, null, null, startedAt,
                startedAt, null, List.of()));
    }

    private static SnapshotCatalog.Entry incremental(String id, String startedAt, String parent, String chainFull) {
        return new SnapshotCatalog.Entry("env/" + id, new SnapshotManifest(2, null, id, "incremental", parent, chainFull, null,
                startedAt, startedAt, null, List.of()));
    }

    private static List<String> kept(List<RetentionPolicy.Decision> decisions) {
        return decisions.stream().filter(RetentionPolicy.Decision::keep).map(d -> d.snapshot().manifest().snapshotId()).toList();
    }

    @Test
    void keepLastKeepsTheNewest() {
        List<SnapshotCatalog.Entry> snapshots = new ArrayList<>();
        for (int day = 1; day <= 5; day++) {
            snapshots.add(full("f" + day, "2026-11-0" + day + "T02:00:00Z"));
        }
        assertThat(kept(new RetentionPolicy(2, 0, 0, 0, 0).apply(snapshots))).containsExactly("f5", "f4");
    }

    @Test
    void grandfatherFatherSonKeepsTheNewestOfEachPeriod() {
        List<SnapshotCatalog.Entry> snapshots = new ArrayList<>();
        Instant start = Instant.parse("2026-09-25T02:00:00Z");
        for (int day = 0; day < 70; day++) { // two a day: the later one of each day is the day's
            snapshots.add(full("a" + day, start.plusSeconds(day * 86_400L).toString()));
            snapshots.add(full("b" + day, start.plusSeconds(day * 86_400L + 3_600).toString()));
        }
        List<RetentionPolicy.Decision> decisions = new RetentionPolicy(0, 3, 2, 3, 0).apply(snapshots);
        // days: Dec 3, 2, 1; ISO weeks 49 (Dec 3) and 48 (its newest: Nov 29); months: Dec, Nov (Nov 30), Oct (Oct 31)
        assertThat(kept(decisions)).containsExactly("b69", "b68", "b67", "b66", "b65", "b36");
        assertThat(decisions.get(0).reasons()).containsExactly("daily 2026-12-03", "weekly 2026-W49", "monthly 2026-12");
        assertThat(decisions).filteredOn(d -> d.snapshot().manifest().snapshotId().equals("a69")).singleElement()
                .satisfies(d -> assertThat(d.keep()).isFalse());
    }

    @Test
    void aKeptIncrementalKeepsItsWholeChainAndNothingElseIsKeptForIt() {
        List<SnapshotCatalog.Entry> snapshots = List.of(
                full("f1", "2026-11-01T02:00:00Z"),
                incremental("i1", "2026-11-01T03:00:00Z", "f1", "f1"),
                full("f2", "2026-11-02T02:00:00Z"),
                incremental("i2", "2026-11-02T03:00:00Z", "f2", "f2"),
                incremental("i3", "2026-11-02T04:00:00Z", "i2", "f2"));
        List<RetentionPolicy.Decision> decisions = new RetentionPolicy(1, 0, 0, 0, 0).apply(snapshots);
        assertThat(kept(decisions)).containsExactly("i3", "i2", "f2");
        assertThat(decisions.get(1).reasons()).containsExactly("needed by i3");
    }
}
