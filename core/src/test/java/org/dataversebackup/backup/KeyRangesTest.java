package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.dataversebackup.dataverse.GuidOrder;
import org.junit.jupiter.api.Test;

class KeyRangesTest {
    private static final UUID LOWEST = new UUID(0, 0);
    private static final UUID HIGHEST = new UUID(-1L, -1L);

    private static List<UUID> randomKeys(int n, long seed) {
        Random random = new Random(seed);
        List<UUID> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(new UUID(random.nextLong(), random.nextLong()));
        }
        return keys;
    }

    /** Sequential GUIDs as SQL Server's NEWSEQUENTIALID makes them: only a narrow part of the most significant bytes changes. */
    private static List<UUID> sequentialKeys(int n) {
        List<UUID> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(UUID.fromString(String.format("%08x-a1b2-11ef-8000-00155d%06x", i * 7919, 0x100000 + i)));
        }
        return keys;
    }

    private static void assertEveryKeyInExactlyOneRangeAndBalanced(List<UUID> keys, int partitions) {
        List<UUID> sorted = new ArrayList<>(keys);
        sorted.sort(GuidOrder.SQL_SERVER);
        List<KeyRange> ranges = KeyRanges.between(sorted.get(0), sorted.get(sorted.size() - 1), partitions);
        assertThat(ranges).hasSize(partitions);
        int[] counts = new int[ranges.size()];
        for (UUID key : keys) {
            List<KeyRange> holding = ranges.stream().filter(r -> r.contains(key)).toList();
            assertThat(holding).as("ranges holding %s", key).hasSize(1);
            counts[holding.get(0).index()]++;
        }
        int expected = keys.size() / partitions;
        for (int count : counts) {
            assertThat(count).isBetween(expected * 8 / 10, expected * 12 / 10);
        }
    }

    @Test
    void rangesOfRandomKeysAreDisjointCompleteAndBalanced() {
        assertEveryKeyInExactlyOneRangeAndBalanced(randomKeys(20_000, 13), 8);
    }

    @Test
    void rangesOfSequentialKeysAreDisjointCompleteAndBalanced() {
        assertEveryKeyInExactlyOneRangeAndBalanced(sequentialKeys(20_000), 8);
    }

    @Test
    void theRangesCoverTheWholeKeySpaceBeyondTheExtremes() {
        List<UUID> keys = new ArrayList<>(randomKeys(100, 1));
        keys.sort(GuidOrder.SQL_SERVER);
        List<KeyRange> ranges = KeyRanges.between(keys.get(0), keys.get(keys.size() - 1), 4);
        assertThat(ranges).hasSize(4);
        assertThat(ranges.get(0).from()).isNull();
        assertThat(ranges.get(ranges.size() - 1).to()).isNull();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).from()).isEqualTo(ranges.get(i - 1).to());
            assertThat(GuidOrder.compare(ranges.get(i).from(), keys.get(0))).as("boundary above the smallest key").isPositive();
            assertThat(GuidOrder.compare(ranges.get(i).from(), keys.get(keys.size() - 1))).isLessThanOrEqualTo(0);
        }
        for (UUID extreme : List.of(LOWEST, HIGHEST)) {
            assertThat(ranges.stream().filter(r -> r.contains(extreme))).hasSize(1);
        }
    }

    @Test
    void aNarrowSpanGivesFewerRangesAndOneKeyOne() {
        UUID only = UUID.fromString("00000000-0000-0000-0000-000000000001");
        assertThat(KeyRanges.between(only, only, 4)).containsExactly(new KeyRange(0, null, null));
        assertThat(KeyRanges.whole()).containsExactly(new KeyRange(0, null, null));
        UUID low = GuidOrder.fromNumber(java.math.BigInteger.valueOf(10));
        UUID high = GuidOrder.fromNumber(java.math.BigInteger.valueOf(12));
        UUID eleven = GuidOrder.fromNumber(java.math.BigInteger.valueOf(11));
        assertThat(KeyRanges.between(low, high, 4)).containsExactly(new KeyRange(0, null, eleven), new KeyRange(1, eleven, null));
    }

    @Test
    void filtersAreHalfOpenOnThePrimaryKey() {
        UUID a = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID b = UUID.fromString("00000000-0000-0000-0000-000000000002");
        assertThat(new KeyRange(0, null, a).filter("accountid")).isEqualTo("accountid lt " + a);
        assertThat(new KeyRange(1, a, b).filter("accountid")).isEqualTo("accountid ge " + a + " and accountid lt " + b);
        assertThat(new KeyRange(2, b, null).filter("accountid")).isEqualTo("accountid ge " + b);
        assertThat(new KeyRange(0, null, null).filter("accountid")).isNull();
    }

    @Test
    void extremesOutOfDataverseOrderAreRefused() {
        UUID a = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID b = UUID.fromString("ffffffff-ffff-ffff-ffff-000000000000");
        assertThatThrownBy(() -> KeyRanges.between(a, b, 2)).hasMessageContaining("comes before the smallest");
    }
}
