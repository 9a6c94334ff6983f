package org.dataversebackup.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.dataversebackup.dataverse.GuidOrder;

/**
 * Splits a table's primary key space into disjoint ranges that together cover all of it, from a
 * sample of the table's own keys in Dataverse's order (for example every n-th key of a
 * {@code $select=<pk>&$orderby=<pk>} read). Boundaries are taken from the data, not from the GUID
 * value space, so the ranges hold about as many rows each for sequential GUIDs (which cluster in
 * a narrow part of the value space) as for random ones.
 */
public final class KeyRanges {
    private KeyRanges() {
    }

    /**
     * At most {@code partitions} ranges whose boundaries are evenly spaced keys of {@code sortedSample};
     * fewer when the sample has fewer distinct keys. The first range starts at the start of the key
     * space and the last ends at its end, so rows outside the sample's span are still read.
     *
     * @throws IllegalArgumentException when the sample is not in Dataverse's key order: range
     *     filters would then not agree with the server's {@code $orderby}
     */
    public static List<KeyRange> split(List<UUID> sortedSample, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        for (int i = 1; i < sortedSample.size(); i++) {
            if (GuidOrder.compare(sortedSample.get(i - 1), sortedSample.get(i)) > 0) {
                throw new IllegalArgumentException("The key sample is not in Dataverse's key order at position " + i
                        + " (" + sortedSample.get(i - 1) + " before " + sortedSample.get(i) + ")");
            }
        }
        List<UUID> boundaries = new ArrayList<>();
        for (int p = 1; p < partitions && !sortedSample.isEmpty(); p++) {
            UUID candidate = sortedSample.get((int) ((long) p * sortedSample.size() / partitions));
            if (boundaries.isEmpty() || GuidOrder.compare(boundaries.get(boundaries.size() - 1), candidate) < 0) {
                boundaries.add(candidate);
            }
        }
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
