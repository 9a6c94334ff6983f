package org.dataversebackup.backup;

import java.util.UUID;

import org.dataversebackup.dataverse.GuidOrder;

/**
 * One partition of a table's primary key space, half-open in Dataverse's key order: from
 * {@code from} (inclusive, none for the start of the key space) to {@code to} (exclusive, none for
 * its end). Half-open ranges sharing their boundaries cover the key space without a gap and without
 * an overlap, whatever rows are inserted or deleted while they are read.
 */
public record KeyRange(int index, UUID from, UUID to) {
    public KeyRange {
        if (from != null && to != null && GuidOrder.compare(from, to) >= 0) {
            throw new IllegalArgumentException("Key range " + index + " is empty or reversed: " + from + " .. " + to);
        }
    }

    public boolean contains(UUID key) {
        return (from == null || GuidOrder.compare(key, from) >= 0) && (to == null || GuidOrder.compare(key, to) < 0);
    }

    /**
     * The OData {@code $filter} that selects this range of {@code primaryKey}, or none for the whole
     * key space; a GUID literal is written without quotes as the Web API expects.
     */
    public String filter(String primaryKey) {
        String lower = from == null ? null : primaryKey + " ge " + from;
        String upper = to == null ? null : primaryKey + " lt " + to;
        if (lower == null) {
            return upper;
        }
        return upper == null ? lower : lower + " and " + upper;
    }

    @Override
    public String toString() {
        return "[" + (from == null ? "start" : from) + " .. " + (to == null ? "end" : to) + ")";
    }
}
