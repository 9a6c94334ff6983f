package org.dataversebackup.dataverse;

import java.util.Comparator;
import java.util.UUID;

/**
 * The order in which Dataverse sorts and compares primary keys: SQL Server's uniqueidentifier
 * order. SQL Server compares the last six bytes first (bytes 10-15 of the textual form), then
 * bytes 8-9, then 6-7, 4-5 and 0-3, each group from its last stored byte (the first three groups
 * are stored little-endian). Range filters ({@code gt}, {@code lt}) on a key are only consistent
 * with {@code $orderby} of that key when both use this order, so partition boundaries are
 * computed with it and never with {@link UUID#compareTo}.
 */
public final class GuidOrder {
    /** Positions of the textual form's bytes from most to least significant. */
    private static final int[] SIGNIFICANCE = {10, 11, 12, 13, 14, 15, 8, 9, 7, 6, 5, 4, 3, 2, 1, 0};

    /** Compares two GUIDs as SQL Server (and so Dataverse) does. */
    public static final Comparator<UUID> SQL_SERVER = GuidOrder::compare;

    private GuidOrder() {
    }

    public static int compare(UUID a, UUID b) {
        byte[] x = bytes(a);
        byte[] y = bytes(b);
        for (int position : SIGNIFICANCE) {
            int c = Integer.compare(x[position] & 0xff, y[position] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The 16 bytes in the order they appear in the textual form. */
    private static byte[] bytes(UUID id) {
        byte[] d = new byte[16];
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        for (int i = 7; i >= 0; i--) {
            d[i] = (byte) msb;
            msb >>>= 8;
            d[i + 8] = (byte) lsb;
            lsb >>>= 8;
        }
        return d;
    }
}
