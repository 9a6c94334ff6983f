package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class GuidOrderTest {
    /** Each GUID has one byte set; SQL Server sorts them in this order (least significant byte first). */
    private static final List<UUID> SQL_SERVER_ORDER = List.of(
            UUID.fromString("01000000-0000-0000-0000-000000000000"),
            UUID.fromString("00010000-0000-0000-0000-000000000000"),
            UUID.fromString("00000100-0000-0000-0000-000000000000"),
            UUID.fromString("00000001-0000-0000-0000-000000000000"),
            UUID.fromString("00000000-0100-0000-0000-000000000000"),
            UUID.fromString("00000000-0001-0000-0000-000000000000"),
            UUID.fromString("00000000-0000-0100-0000-000000000000"),
            UUID.fromString("00000000-0000-0001-0000-000000000000"),
            UUID.fromString("00000000-0000-0000-0001-000000000000"),
            UUID.fromString("00000000-0000-0000-0100-000000000000"),
            UUID.fromString("00000000-0000-0000-0000-000000000001"),
            UUID.fromString("00000000-0000-0000-0000-000000000100"),
            UUID.fromString("00000000-0000-0000-0000-000000010000"),
            UUID.fromString("00000000-0000-0000-0000-000001000000"),
            UUID.fromString("00000000-0000-0000-0000-000100000000"),
            UUID.fromString("00000000-0000-0000-0000-010000000000"));

    @Test
    void sortsAsSqlServerSortsUniqueidentifiers() {
        List<UUID> shuffled = new ArrayList<>(SQL_SERVER_ORDER);
        Collections.shuffle(shuffled, new Random(13));
        shuffled.sort(GuidOrder.SQL_SERVER);
        assertThat(shuffled).containsExactlyElementsOf(SQL_SERVER_ORDER);
    }

    /** The example of "How are GUIDs compared in SQL Server 2005?" (SQL Server programmability blog, 2006). */
    @Test
    void theSqlServerTeamsExampleComparesAsDocumented() {
        UUID g1 = UUID.fromString("55666BEE-B3A0-4BF5-81A7-86FF976E763F");
        UUID g2 = UUID.fromString("8DD5BCA5-6ABE-4F73-B4B7-393AE6BBB849");
        assertThat(GuidOrder.compare(g1, g2)).isPositive();
        assertThat(GuidOrder.compare(g2, g1)).isNegative();
    }

    @Test
    void theLastSixBytesWeighMostAndEqualGuidsCompareEqual() {
        UUID a = UUID.fromString("ffffffff-ffff-ffff-ffff-000000000000");
        UUID b = UUID.fromString("00000000-0000-0000-0000-000000000001");
        assertThat(GuidOrder.compare(a, b)).isNegative();
        assertThat(a.toString().compareTo(b.toString())).as("text order").isPositive();
        assertThat(GuidOrder.compare(b, UUID.fromString(b.toString()))).isZero();
    }

    @Test
    void numbersFollowTheOrderAndConvertBack() {
        Random random = new Random(3);
        List<UUID> keys = new ArrayList<>(SQL_SERVER_ORDER);
        for (int i = 0; i < 1_000; i++) {
            keys.add(new UUID(random.nextLong(), random.nextLong()));
        }
        keys.add(new UUID(0, 0));
        keys.add(new UUID(-1L, -1L));
        for (UUID key : keys) {
            assertThat(GuidOrder.fromNumber(GuidOrder.toNumber(key))).isEqualTo(key);
        }
        List<UUID> byNumber = new ArrayList<>(keys);
        byNumber.sort(java.util.Comparator.comparing(GuidOrder::toNumber));
        List<UUID> sqlServer = new ArrayList<>(keys);
        sqlServer.sort(GuidOrder.SQL_SERVER);
        assertThat(byNumber).containsExactlyElementsOf(sqlServer);
        assertThat(GuidOrder.toNumber(UUID.fromString("00000000-0000-0000-0000-010000000000")))
                .isEqualTo(java.math.BigInteger.ONE.shiftLeft(127 - 7));
        assertThat(GuidOrder.toNumber(UUID.fromString("01000000-0000-0000-0000-000000000000")))
                .isEqualTo(java.math.BigInteger.ONE);
    }
}
