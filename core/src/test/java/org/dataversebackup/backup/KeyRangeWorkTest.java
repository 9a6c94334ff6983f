package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.dataversebackup.dataverse.GuidOrder;
import org.junit.jupiter.api.Test;

/** Dynamic re-splitting of key ranges, with keys given as their numbers in SQL Server's order. */
class KeyRangeWorkTest {
    private static final int PAGE = 10;

    private static UUID key(long number) {
        return GuidOrder.fromNumber(BigInteger.valueOf(number));
    }

    private static KeyRangeWork work() {
        return new KeyRangeWork(KeyRanges.between(key(0), key(1000), 2), key(1000), PAGE);
    }

    private static void admit(KeyRangeWork.Read read, long from, int count) {
        for (long k = from; k < from + count; k++) {
            assertThat(read.admit(key(k))).as("key %d", k).isTrue();
        }
    }

    @Test
    void theRangeWithTheMostRowsLeftIsSplitAtTheMidpointBetweenItsLastKeyAndItsEnd() throws Exception {
        KeyRangeWork work = work();
        KeyRangeWork.Read first = work.next().orElseThrow();
        KeyRangeWork.Read second = work.next().orElseThrow();
        assertThat(first.range()).isEqualTo(new KeyRange(0, null, key(500)));
        assertThat(second.range()).isEqualTo(new KeyRange(1, key(500), null));
        admit(first, 0, PAGE); // keys 0..9: about 490 rows left before 500
        admit(second, 990, PAGE); // keys 990..999: hardly any left before the end (1000)

        KeyRangeWork.Read split = work.next().orElseThrow();
        // the midpoint between 9 and 500
        assertThat(split.range()).isEqualTo(new KeyRange(2, key(254), key(500)));
        assertThat(work.splits()).isEqualTo(1);
        assertThat(first.admit(key(253))).as("before the new end").isTrue();
        assertThat(first.admit(key(254))).as("the split range's first key belongs to the new range").isFalse();
        assertThat(first.admit(key(499))).isFalse();
        // every key is in exactly one of the ranges as they now end
        for (long k = 0; k < 1_200; k += 7) {
            UUID id = key(k);
            boolean inFirst = GuidOrder.compare(id, key(254)) < 0;
            long holders = (inFirst ? 1 : 0) + (split.range().contains(id) ? 1 : 0) + (second.range().contains(id) ? 1 : 0);
            assertThat(holders).as("ranges holding key %d", k).isEqualTo(1);
        }
    }

    @Test
    void nothingIsSplitWhenNoRangeHasTwoPagesLeftAndTheWorkEndsWithItsReads() throws Exception {
        KeyRangeWork work = work();
        KeyRangeWork.Read first = work.next().orElseThrow();
        KeyRangeWork.Read second = work.next().orElseThrow();
        admit(first, 490, PAGE);
        admit(second, 990, PAGE);
        assertThat(work.next()).isEmpty();
        work.finished(first);
        work.finished(second);
        assertThat(work.next()).isEmpty();
        assertThat(work.splits()).isZero();
    }

    @Test
    void aReaderWithNothingToDoWaitsWhileARangesRowsLeftAreUnknown() throws Exception {
        KeyRangeWork work = work();
        KeyRangeWork.Read first = work.next().orElseThrow();
        KeyRangeWork.Read second = work.next().orElseThrow();
        admit(second, 990, PAGE);
        admit(first, 0, PAGE - 1); // less than a page: unknown
        CompletableFuture<Optional<KeyRangeWork.Read>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return work.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(waiting).as("waits for the first range's estimate").isNotDone();
        admit(first, PAGE - 1, 1); // a page: about 490 left
        Optional<KeyRangeWork.Read> split = waiting.get(10, TimeUnit.SECONDS);
        assertThat(split).map(KeyRangeWork.Read::range).contains(new KeyRange(2, key(254), key(500)));
    }

    @Test
    void whenAReaderFailsTheOthersTakeNothingMore() throws Exception {
        KeyRangeWork work = work();
        work.next().orElseThrow();
        KeyRangeWork.Read second = work.next().orElseThrow();
        admit(second, 990, PAGE); // the first range's estimate stays unknown: its reader failed
        CompletableFuture<Optional<KeyRangeWork.Read>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return work.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        work.failed();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(work.next()).isEmpty();
    }

    @Test
    void theLastRangeIsSplitUpToTheLargestKeyAndKeepsWhatComesAfterIt() throws Exception {
        KeyRangeWork work = new KeyRangeWork(List.of(new KeyRange(0, null, key(100)), new KeyRange(1, key(100), null)),
                key(1000), PAGE);
        KeyRangeWork.Read first = work.next().orElseThrow();
        KeyRangeWork.Read last = work.next().orElseThrow();
        admit(first, 90, PAGE);
        admit(last, 100, PAGE);
        KeyRangeWork.Read split = work.next().orElseThrow();
        // the midpoint between 109 and one past the largest key (1001), open at the end of the key space
        assertThat(split.range()).isEqualTo(new KeyRange(2, key(555), null));
        assertThat(last.admit(key(555))).isFalse();
        assertThat(split.range().contains(key(5_000_000))).as("keys inserted above the largest").isTrue();
    }
}
