package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which snapshot an incremental continues from. Snapshot ids carry their start time to the second
 * and then a random part, so two backups started in the same second sort by chance; the parent
 * must be the one that completed last, or the chain skips a snapshot's changes.
 */
class IncrementalBaseTest {
    @TempDir
    Path dir;

    @Test
    void snapshotsOfTheSameSecondAreOrderedByTheirCompletionNotByTheirRandomPart() throws IOException {
        manifest("20261206T001444Z-ffff-full", "full", null, "2026-12-06T00:14:44.100Z", "2026-12-06T00:14:44.900Z", "t0");
        // Sorts after the incremental by name ("6e1f" > "2f43") but completed before it.
        manifest("20261206T001445Z-6e1f-full", "full", null, "2026-12-06T00:14:45.010Z", "2026-12-06T00:14:45.300Z", "t1");
        manifest("20261206T001445Z-2f43-incr", "incremental", "20261206T001445Z-6e1f-full",
                "2026-12-06T00:14:45.400Z", "2026-12-06T00:14:45.800Z", "t2");
        Files.createDirectories(dir.resolve("default/20261206T001445Z-ffff-full")); // a failed run: no manifest

        IncrementalBase base = IncrementalBase.latest(store(), "default").orElseThrow();

        assertThat(base.snapshotId()).isEqualTo("20261206T001445Z-2f43-incr");
        assertThat(base.chainFull()).isEqualTo("20261206T001445Z-6e1f-full");
        assertThat(base.token("account")).contains("t2");
    }

    @Test
    void theNewestSecondWithAManifestWinsOverOlderOnes() throws IOException {
        manifest("20261206T001444Z-ffff-full", "full", null, "2026-12-06T00:14:44.100Z", "2026-12-06T00:14:44.900Z", "t0");
        manifest("20261206T001446Z-0001-full", "full", null, "2026-12-06T00:14:46.000Z", "2026-12-06T00:14:46.500Z", "t3");

        assertThat(IncrementalBase.latest(store(), "default").orElseThrow().snapshotId()).isEqualTo("20261206T001446Z-0001-full");
    }

    @Test
    void anEnvironmentWithoutCompleteSnapshotsHasNoBase() throws IOException {
        Files.createDirectories(dir.resolve("default/20261206T001445Z-ffff-full"));

        assertThat(IncrementalBase.latest(store(), "default")).isEmpty();
    }

    private SnapshotStore store() {
        return SnapshotStore.of(new SnapshotTarget.Folder(dir), () -> null);
    }

    private void manifest(String id, String kind, String parent, String startedAt, String completedAt, String token)
            throws IOException {
        boolean incremental = "incremental".equals(kind);
        SnapshotManifest.Table account = SnapshotJson.MAPPER.convertValue(
                java.util.Map.of("logicalName", "account", "deltaToken", token), SnapshotManifest.Table.class);
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("formatVersion", 2);
        json.put("snapshotId", id);
        json.put("kind", kind);
        if (incremental) {
            json.put("parent", parent);
            json.put("chainFull", parent);
        }
        json.put("startedAt", startedAt);
        json.put("completedAt", completedAt);
        json.put("tables", List.of(account));
        Path folder = Files.createDirectories(dir.resolve("default").resolve(id));
        SnapshotJson.MAPPER.writeValue(folder.resolve(SnapshotManifest.FILE_NAME).toFile(), json);
    }
}
