package org.dataversebackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An alternate key index: a primitive open-addressing hash from the 64-bit hash of the normalized
 * key values to row keys (about 30 bytes per row). Built on first use, then kept up to date; hash
 * matches are confirmed against the row, so collisions do no harm. Key values are compared as SQL
 * Server does with its default collation: case-insensitive, trailing spaces ignored.
 */
final class KeyIndex {
    private static final long EMPTY = 0;
    private static final long TOMBSTONE = 1;

    private final Table table;
    private final List<String> columns;
    private final int[] slots;
    private volatile boolean built;
    private long[] hashes = new long[0];
    private long[] his = new long[0];
    private long[] los = new long[0];
    private int used;

    KeyIndex(Table table, List<String> columns) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.slots = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            ColumnDef c = table.def.column(columns.get(i));
            slots[i] = c.storageIndex;
        }
    }

    List<String> columnNames() {
        return columns;
    }

    /** Key values of a decoded row (null when a key column is empty: no key). */
    Object[] keyOf(Object[] values) {
        Object[] key = new Object[slots.length];
        for (int i = 0; i < slots.length; i++) {
            key[i] = values[slots[i]];
            if (key[i] == null) {
                return null;
            }
        }
        return key;
    }

    private static long hash(Object[] key) {
        StringBuilder b = new StringBuilder();
        for (Object v : key) {
            b.append(Table.normalize(v)).append('\u0001');
        }
        long h = 0xcbf29ce484222325L;
        for (byte x : b.toString().getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == EMPTY || h == TOMBSTONE ? h + 2 : h;
    }

    private static boolean sameKey(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            if (!Table.normalize(a[i]).equals(Table.normalize(b[i]))) {
                return false;
            }
        }
        return true;
    }

    private synchronized void ensureBuilt() {
        if (built) {
            return;
        }
        int capacity = 16;
        while (capacity < table.size() * 2 + 16) {
            capacity <<= 1;
        }
        hashes = new long[capacity];
        his = new long[capacity];
        los = new long[capacity];
        used = 0;
        built = true;
        table.scan(true, 0, 0, (hi, lo, data, version) -> {
            insert(data, hi, lo);
            return true;
        });
    }

    /** Row key (hi, lo) of the row with these key values, or null. */
    synchronized long[] find(Object[] key) {
        ensureBuilt();
        long h = hash(key);
        int mask = hashes.length - 1;
        for (int i = (int) h & mask, probes = 0; probes < hashes.length; i = (i + 1) & mask, probes++) {
            if (hashes[i] == EMPTY) {
                return null;
            }
            if (hashes[i] == h) {
                Table.Row row = table.get(Guids.fromKey(his[i], los[i]));
                if (row != null) {
                    Object[] rowKey = keyOf(table.values(row));
                    if (rowKey != null && sameKey(rowKey, key)) {
                        return new long[] {his[i], los[i]};
                    }
                }
            }
        }
        return null;
    }

    synchronized void add(byte[] data, long hi, long lo) {
        if (built) {
            insert(data, hi, lo);
        }
    }

    synchronized void remove(byte[] data, long hi, long lo) {
        if (!built) {
            return;
        }
        Object[] key = keyOf(table.codec.decode(data));
        if (key == null) {
            return;
        }
        long h = hash(key);
        int mask = hashes.length - 1;
        for (int i = (int) h & mask, probes = 0; probes < hashes.length; i = (i + 1) & mask, probes++) {
            if (hashes[i] == EMPTY) {
                return;
            }
            if (hashes[i] == h && his[i] == hi && los[i] == lo) {
                hashes[i] = TOMBSTONE;
                return;
            }
        }
    }

    private void insert(byte[] data, long hi, long lo) {
        Object[] key = keyOf(table.codec.decode(data));
        if (key == null) {
            return;
        }
        if ((used + 1) * 4 > hashes.length * 3) {
            rehash();
        }
        long h = hash(key);
        int mask = hashes.length - 1;
        for (int i = (int) h & mask;; i = (i + 1) & mask) {
            if (hashes[i] == EMPTY || hashes[i] == TOMBSTONE) {
                if (hashes[i] == EMPTY) {
                    used++;
                }
                hashes[i] = h;
                his[i] = hi;
                los[i] = lo;
                return;
            }
        }
    }

    private void rehash() {
        long[] oldHashes = hashes;
        long[] oldHi = his;
        long[] oldLo = los;
        int capacity = Math.max(16, oldHashes.length * 2);
        hashes = new long[capacity];
        his = new long[capacity];
        los = new long[capacity];
        used = 0;
        int mask = capacity - 1;
        for (int j = 0; j < oldHashes.length; j++) {
            long h = oldHashes[j];
            if (h == EMPTY || h == TOMBSTONE) {
                continue;
            }
            for (int i = (int) h & mask;; i = (i + 1) & mask) {
                if (hashes[i] == EMPTY) {
                    hashes[i] = h;
                    his[i] = oldHi[j];
                    los[i] = oldLo[j];
                    used++;
                    break;
                }
            }
        }
    }

    @Override
    public String toString() {
        return table.def.logicalName + Arrays.toString(columns.toArray()) + new ArrayList<>(columns);
    }
}
