package org.dataversebackup.emulator;

import java.util.UUID;

/**
 * GUIDs in SQL Server's uniqueidentifier order, the order Dataverse sorts primary keys in: the last
 * six bytes first, then bytes 8-9, then the first three groups with their bytes as .NET stores them
 * (little-endian). A GUID is kept as two longs (hi, lo) whose unsigned comparison is that order.
 */
final class Guids {
    private Guids() {
    }

    private static final int[] ORDER = {10, 11, 12, 13, 14, 15, 8, 9, 7, 6, 5, 4, 3, 2, 1, 0};

    static long[] key(UUID id) {
        byte[] d = displayBytes(id);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (d[ORDER[i]] & 0xff);
        }
        for (int i = 8; i < 16; i++) {
            lo = (lo << 8) | (d[ORDER[i]] & 0xff);
        }
        return new long[] {hi, lo};
    }

    static UUID fromKey(long hi, long lo) {
        byte[] d = new byte[16];
        for (int i = 7; i >= 0; i--) {
            d[ORDER[i]] = (byte) hi;
            hi >>>= 8;
        }
        for (int i = 15; i >= 8; i--) {
            d[ORDER[i]] = (byte) lo;
            lo >>>= 8;
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (d[i] & 0xff);
        }
        for (int i = 8; i < 16; i++) {
            lsb = (lsb << 8) | (d[i] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    /** The 16 bytes in the order of the textual form. */
    private static byte[] displayBytes(UUID id) {
        byte[] d = new byte[16];
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        for (int i = 7; i >= 0; i--) {
            d[i] = (byte) msb;
            msb >>>= 8;
        }
        for (int i = 15; i >= 8; i--) {
            d[i] = (byte) lsb;
            lsb >>>= 8;
        }
        return d;
    }

    static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }

    static int compare(UUID a, UUID b) {
        long[] ka = key(a);
        long[] kb = key(b);
        return compare(ka[0], ka[1], kb[0], kb[1]);
    }

    static UUID parse(String s) {
        String t = s.trim();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.length() != 36 || t.charAt(8) != '-' || t.charAt(13) != '-' || t.charAt(18) != '-' || t.charAt(23) != '-') {
            throw new IllegalArgumentException("Not a GUID: " + s);
        }
        return UUID.fromString(t);
    }

    static boolean isGuid(String s) {
        try {
            parse(s);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
