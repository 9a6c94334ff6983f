package org.dataversebackup.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The row-by-row comparison over several spilled buckets, with the sides in different orders. */
class TableDiffTest {
    @TempDir
    Path dir;

    private static ObjectNode row(int i, String name) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("accountid", String.format("00000000-0000-0000-0000-%012d", i));
        row.put("name", name);
        row.put("@odata.etag", "W/\"" + name.hashCode() + "\"");
        return row;
    }

    @Test
    void findsAddedRemovedAndChangedRowsAcrossBucketsWhateverTheOrder() {
        int rows = TableDiff.ROWS_PER_BUCKET * 2 + 500; // three buckets
        List<ObjectNode> older = new ArrayList<>();
        IntStream.range(0, rows).forEach(i -> older.add(row(i, "Account " + i)));
        List<ObjectNode> newer = new ArrayList<>();
        IntStream.range(0, rows).map(i -> rows - 1 - i) // reversed: the sides are not in one order
                .filter(i -> i != 7 && i != 30_000)     // two removed
                .forEach(i -> newer.add(i == 11 || i == 25_000 ? row(i, "Renamed " + i) : row(i, "Account " + i)));
        ObjectNode withNull = row(40_000, "Account 40000");
        withNull.putNull("telephone1"); // a null and a column left out are the same empty value
        newer.set(newer.indexOf(row(40_000, "Account 40000")), withNull);
        newer.add(row(rows + 1, "New one"));

        List<TableDiff.RowChange> changes = new ArrayList<>();
        TableDiff.Counts counts = TableDiff.compare(older.iterator(), newer.iterator(), "accountid", rows, dir, changes::add);

        assertThat(counts).isEqualTo(new TableDiff.Counts(1, 2, 2, rows - 4));
        assertThat(changes).contains(new TableDiff.RowChange("00000000-0000-0000-0000-000000000007", TableDiff.Kind.REMOVED, List.of()),
                new TableDiff.RowChange("00000000-0000-0000-0000-000000030000", TableDiff.Kind.REMOVED, List.of()),
                new TableDiff.RowChange("00000000-0000-0000-0000-000000000011", TableDiff.Kind.CHANGED, List.of("name")),
                new TableDiff.RowChange("00000000-0000-0000-0000-000000025000", TableDiff.Kind.CHANGED, List.of("name")),
                new TableDiff.RowChange(String.format("00000000-0000-0000-0000-%012d", rows + 1), TableDiff.Kind.ADDED, List.of()));
        assertThat(dir.resolve("older").toFile().list()).hasSize(3);
    }
}
