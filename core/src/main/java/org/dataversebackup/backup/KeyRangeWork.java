package org.dataversebackup.backup;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.dataversebackup.dataverse.GuidOrder;

/**
 * The key ranges of one table still to read, shared by its readers, with dynamic re-splitting: a
 * reader takes the next range not yet read; when there is none, it splits the range still being
 * read that has the most rows left, at the midpoint between the last key its reader handed out
 * and its end. The reader of that range stops before the midpoint (it drops the rows at or after
 * it, which its server-side filter still sends); the new range, from the midpoint to the old end,
 * goes to the reader that asked. So keys bunched in one range (a bulk import of sequential GUIDs
 * into a table of random ones) are still read by every reader, and the ranges stay disjoint and
 * complete: a split happens under the range's lock, beyond every key handed out.
 *
 * <p>Rows left are estimated from what the range's reader has handed out: as many per unit of key
 * space as between its first and its last key. A range is split only once its reader has handed
 * out a page ({@code minRows}) and when at least {@code 2 * minRows} rows seem to be left; a reader
 * that finds nothing to split waits while a range's estimate is unknown, and ends otherwise.
 */
final class KeyRangeWork {
    /** How long a reader with nothing to do waits before it looks again. */
    private static final long POLL_MILLIS = 100;
    /**
     * How long a reader with nothing to do waits for a range's estimate at most: a range whose reader
     * failed, or whose first page is held back (throttling), never gets one. Giving up only costs a
     * split that might have been; the ranges are read whole either way.
     */
    static final long MAX_WAIT_MILLIS = 30_000;

    private final Deque<KeyRange> unread;
    private final List<Read> reading = new ArrayList<>();
    /** The upper bound of the last range's estimates and splits: one past the largest key when the span was read. */
    private final BigInteger end;
    private final int minRows;
    private final int initialRanges;
    private int nextIndex;
    private int splits;
    /** A reader failed: the table's read fails, the others take nothing more. */
    private boolean failed;

    /**
     * @param ranges  the table's ranges from {@link KeyRanges#between}
     * @param highest the largest key when the span was read
     * @param minRows a page: the least a range's reader hands out before its rows left are estimated
     */
    KeyRangeWork(List<KeyRange> ranges, UUID highest, int minRows) {
        this.unread = new ArrayDeque<>(ranges);
        this.end = GuidOrder.toNumber(highest).add(BigInteger.ONE);
        this.minRows = minRows;
        this.nextIndex = ranges.size();
        this.initialRanges = ranges.size();
    }

    /** How many ranges the table was cut in; ranges from this index on were split off others. */
    int initialRanges() {
        return initialRanges;
    }

    /** The next range for a reader, split off one being read if needed; empty when the table is done. */
    synchronized Optional<Read> next() throws InterruptedException {
        long waited = 0;
        while (!failed) {
            KeyRange range = unread.poll();
            if (range == null) {
                range = splitLargest();
            }
            if (range != null) {
                Read read = new Read(range);
                reading.add(read);
                return Optional.of(read);
            }
            if (waited >= MAX_WAIT_MILLIS || reading.stream().noneMatch(Read::unknown)) {
                return Optional.empty();
            }
            wait(POLL_MILLIS);
            waited += POLL_MILLIS;
        }
        return Optional.empty();
    }

    /** A reader failed: no reader takes another range (the table's read fails with that reader's error). */
    synchronized void failed() {
        failed = true;
        notifyAll();
    }

    /** The reader of this range has read it to its (possibly moved) end. */
    synchronized void finished(Read read) {
        reading.remove(read);
    }

    /** How many ranges were split off ranges being read. */
    synchronized int splits() {
        return splits;
    }

    private KeyRange splitLargest() {
        Read largest = null;
        BigInteger most = BigInteger.valueOf(2L * minRows - 1);
        for (Read read : reading) {
            BigInteger left = read.rowsLeft();
            if (left != null && left.compareTo(most) > 0) {
                largest = read;
                most = left;
            }
        }
        KeyRange split = largest == null ? null : largest.splitOff(nextIndex);
        if (split != null) {
            nextIndex++;
            splits++;
        }
        return split;
    }

    /** One range being read: what its reader has handed out, and where it now ends. */
    final class Read {
        private final KeyRange range;
        /** Where the range ends now: moved down by a split; null for the end of the key space. */
        private UUID to;
        private BigInteger first;
        private BigInteger last;
        private long handedOut;

        private Read(KeyRange range) {
            this.range = range;
            this.to = range.to();
        }

        /** The range as it was taken (its filter); its reader stops at {@link #admit} refusing a key. */
        KeyRange range() {
            return range;
        }

        /**
         * Whether the reader may hand out the row with this key: false once the key is at or after
         * the range's (possibly moved) end, and from then on the reader reads no further (keys come
         * in order).
         */
        synchronized boolean admit(UUID key) {
            if (to != null && GuidOrder.compare(key, to) >= 0) {
                return false;
            }
            BigInteger number = GuidOrder.toNumber(key);
            if (first == null) {
                first = number;
            }
            last = number;
            handedOut++;
            return true;
        }

        /** Whether its rows left cannot be estimated yet (fewer than a page handed out). */
        synchronized boolean unknown() {
            return handedOut < minRows;
        }

        /** Rows left, estimated from the density of the keys handed out; null while unknown. */
        synchronized BigInteger rowsLeft() {
            if (unknown()) {
                return null;
            }
            BigInteger upper = upper();
            BigInteger covered = last.subtract(first).add(BigInteger.ONE);
            return BigInteger.valueOf(handedOut).multiply(upper.subtract(last).max(BigInteger.ZERO)).divide(covered);
        }

        /** Moves this range's end down to the midpoint between its last key and its end; the rest as a new range. */
        synchronized KeyRange splitOff(int index) {
            BigInteger upper = upper();
            BigInteger middle = last.add(upper.subtract(last).shiftRight(1));
            if (middle.compareTo(last) <= 0 || middle.compareTo(upper) >= 0) {
                return null;
            }
            UUID boundary = GuidOrder.fromNumber(middle);
            KeyRange rest = new KeyRange(index, boundary, to);
            to = boundary;
            return rest;
        }

        private BigInteger upper() {
            return to == null ? end.max(last.add(BigInteger.ONE)) : GuidOrder.toNumber(to);
        }
    }
}
