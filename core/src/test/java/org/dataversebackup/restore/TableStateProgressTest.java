package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.dataversebackup.snapshot.SnapshotManifest;
import org.junit.jupiter.api.Test;

class TableStateProgressTest {

    private static TableState table(SnapshotManifest.Table manifest) throws Exception {
        TableSchema schema = TableSchema.parse(RestoreJson.MAPPER.readTree("{\"LogicalName\":\"account\"}"), "accounts", "accountid");
        TableState state = new TableState(manifest, schema, TableState.Kind.ROWS);
        state.started();
        Thread.sleep(20); // some time has passed, so there is a rate
        return state;
    }

    @Test
    void progressSaysHowManyOfTheSnapshotsRowsAreDoneAndAboutHowLongIsLeft() throws Exception {
        TableState state = table(new SnapshotManifest.Table("account", "accounts", "accountid", 1_000_000, null, null, List.of()));
        state.created.addAndGet(100);
        assertThat(state.progress(Duration.ZERO)).get().asString().startsWith("account: 100 of 1,000,000 records done (0 failed)")
                .contains(" left");
    }

    @Test
    void anIncrementalsTableHasNoTotalToCountTo() throws Exception {
        TableState state = table(new SnapshotManifest.Table("account", "accounts", "accountid", 3, null, null, List.of(), null,
                SnapshotManifest.Table.CHANGES, null, 0L, List.of(), "t1", "t2"));
        state.created.addAndGet(100);
        assertThat(state.progress(Duration.ZERO)).get().asString().startsWith("account: 100 records done").doesNotContain("left");
    }
}
