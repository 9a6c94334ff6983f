package org.dataversebackup.backup;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.dataversebackup.dataverse.GuidOrder;

/**
 * Splits a table's primary key space into disjoint ranges that together cover all of it, cut at
 * evenly spaced points between the table's smallest and largest key in Dataverse's order
 * ({@link GuidOrder#toNumber}). The extremes come from the data ({@link KeySpan}: two requests), so
 * sequential GUIDs, which cluster in a narrow part of the GUID value space, split as evenly as
 * random ones as long as the keys are spread evenly between their extremes. Keys bunched in a small
 * part of that span (a bulk import of sequential GUIDs into a table of random ones) put most rows in
 * one range: the union is still complete, only the balance suffers.
 */
public final class KeyRanges {
    private KeyRanges() {
    }

    /**
     * At most {@code partitions} ranges whose inner boundaries are evenly spaced between
     * {@code lowest} and {@code highest}; fewer when there are fewer distinct keys between them.
     * The first range starts at the start of the key space and the last ends at its end, so rows
     * inserted outside the extremes after they were read are still read.
     *
     * @throws IllegalArgumentException when {@code highest} comes before {@code lowest} in Dataverse's order
     */
    public static List<KeyRange> between(UUID lowest, UUID highest, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        BigInteger low = GuidOrder.toNumber(lowest);
        BigInteger span = GuidOrder.toNumber(highest).subtract(low);
        if (span.signum() < 0) {
            throw new IllegalArgumentException("The largest key " + highest + " comes before the smallest " + lowest
                    + " in Dataverse's key order");
        }
        List<UUID> boundaries = new ArrayList<>();
        BigInteger previous = low;
        for (int p = 1; p < partitions; p++) {
            // above the smallest key, so that no range is empty by construction
            BigInteger cut = low.add(span.multiply(BigInteger.valueOf(p)).divide(BigInteger.valueOf(partitions)));
            if (cut.compareTo(previous) > 0) {
                boundaries.add(GuidOrder.fromNumber(cut));
                previous = cut;
            }
        }
        return ranges(boundaries);
    }

    /** The whole key space as one range (a read without partitions). */
    public static List<KeyRange> whole() {
        return ranges(List.of());
    }

    private static List<KeyRange> ranges(List<UUID> boundaries) {
        List<KeyRange> ranges = new ArrayList<>();
        UUID from = null;
        for (UUID boundary : boundaries) {
            ranges.add(new KeyRange(ranges.size(), from, boundary));
            from = boundary;
        }
        ranges.add(new KeyRange(ranges.size(), from, null));
        return ranges;
    }
}
