package org.dataversebackup.dataverse;

import java.math.BigInteger;
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
        return toNumber(a).compareTo(toNumber(b));
    }

    /**
     * The GUID as an unsigned 128-bit number whose order is SQL Server's: the most significant
     * byte first ({@link #SIGNIFICANCE}). Numbers between two keys are keys between them, so key
     * ranges can be cut at evenly spaced points of the key space.
     */
    public static BigInteger toNumber(UUID id) {
        byte[] text = bytes(id);
        byte[] number = new byte[SIGNIFICANCE.length];
        for (int i = 0; i < SIGNIFICANCE.length; i++) {
            number[i] = text[SIGNIFICANCE[i]];
        }
        return new BigInteger(1, number);
    }

    /** The GUID of a number of {@link #toNumber} (0 to 2^128 - 1). */
    public static UUID fromNumber(BigInteger number) {
        if (number.signum() < 0 || number.bitLength() > 128) {
            throw new IllegalArgumentException("Not a 128-bit GUID number: " + number);
        }
        byte[] raw = number.toByteArray();
        byte[] ordered = new byte[16];
        int copied = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - copied, ordered, 16 - copied, copied);
        byte[] text = new byte[16];
        for (int i = 0; i < SIGNIFICANCE.length; i++) {
            text[SIGNIFICANCE[i]] = ordered[i];
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = msb << 8 | (text[i] & 0xff);
            lsb = lsb << 8 | (text[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
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
