package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.junit.jupiter.api.Test;

/** Which failed tables fail the snapshot, and which found through * are recorded as skipped. */
class SkippedTablesTest {
    private final BackupSteps steps = new BackupSteps(null, new BackupProgress(java.time.Duration.ofSeconds(10)),
            org.dataversebackup.snapshot.SnapshotKeys.none());

    private static SnapshotRun run(boolean named) {
        Instant now = Instant.now();
        return new SnapshotRun(SnapshotRun.newId(now, "full"), now, SnapshotTarget.parse("file:/tmp/x"),
                new SnapshotManifest.Source("https://x", "org", "env"),
                List.of(new TableScope("msdyn_virtual", "msdyn_virtuals", "msdyn_virtualid", named)), java.nio.file.Path.of("/tmp/x"),
                null);
    }

    private static DataverseException answered(int status) {
        return new DataverseException("GET https://x/api/data/v9.2/msdyn_virtuals", status, "0x80060888", "not supported");
    }

    @Test
    void aTableFoundThroughStarThatCannotBeReadAsACollectionIsSkippedWithTheReason() {
        SnapshotRun run = run(false);
        steps.tableFailed("msdyn_virtual", run, new RuntimeException("wrapped", answered(400)));
        SnapshotManifest.Table table = run.manifest(Instant.now()).tables().get(0);
        assertThat(table.skipped()).contains("400", "not supported");
        assertThat(table.parts()).isEmpty();
        assertThat(table.schema()).isNull();
    }

    @Test
    void aTableAskedForByNameFailsTheSnapshot() {
        assertThatThrownBy(() -> steps.tableFailed("msdyn_virtual", run(true), answered(400)))
                .isInstanceOf(TableBackupException.class).hasMessageContaining("'msdyn_virtual'");
    }

    @Test
    void privilegeThrottlingAndServerErrorsAlwaysFailTheSnapshot() {
        for (int status : new int[] {401, 403, 429, 500, 503}) {
            SnapshotRun run = run(false);
            assertThatThrownBy(() -> steps.tableFailed("msdyn_virtual", run, answered(status)))
                    .isInstanceOf(TableBackupException.class);
            assertThatThrownBy(() -> run.manifest(Instant.now())).isInstanceOf(IllegalStateException.class);
        }
    }
}
