package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The rows of one table, sorted by primary key in SQL Server's uniqueidentifier order: chunks of
 * parallel arrays (key hi/lo, encoded row, row version), so a million rows cost a few dozen bytes
 * each besides their data. Not thread-safe: the {@link Store} lock guards it.
 */
final class Table {
    private static final int CHUNK = 512;

    final TableDef def;
    final RowCodec codec;
    private final ArrayList<Chunk> chunks = new ArrayList<>();
    private int size;
    /** Alternate keys (and the pair of an intersect table), built on first use. */
    final List<KeyIndex> keyIndexes = new ArrayList<>();
    /** Deleted rows for change tracking: versions ascending. */
    private long[] deletedVersions = new long[16];
    private long[] deletedHi = new long[16];
    private long[] deletedLo = new long[16];
    private int deletedCount;

    /** A row: its id, encoded data and version (the etag, versionnumber). */
    record Row(UUID id, byte[] data, long version) {
    }

    private static final class Chunk {
        long[] hi = new long[CHUNK];
        long[] lo = new long[CHUNK];
        byte[][] rows = new byte[CHUNK][];
        long[] versions = new long[CHUNK];
        int n;

        long firstHi() {
            return hi[0];
        }
    }

    Table(TableDef def) {
        this.def = def;
        this.codec = new RowCodec(def);
        for (TableDef.KeyDef key : def.keys) {
            keyIndexes.add(new KeyIndex(this, key.columns()));
        }
        if (def.intersect) {
            List<String> pair = new ArrayList<>();
            for (ColumnDef c : def.columns()) {
                if (!c.primaryId && c.type == AttrType.UNIQUEIDENTIFIER) {
                    pair.add(c.logicalName);
                }
            }
            keyIndexes.add(new KeyIndex(this, pair));
        }
    }

    int size() {
        return size;
    }

    // ------------------------------------------------------------------ lookup

    Row get(UUID id) {
        long[] k = Guids.key(id);
        int ci = chunkFor(k[0], k[1]);
        if (ci < 0) {
            return null;
        }
        Chunk c = chunks.get(ci);
        int i = search(c, k[0], k[1]);
        return i >= 0 ? new Row(id, c.rows[i], c.versions[i]) : null;
    }

    Object[] values(Row row) {
        return codec.decode(row.data());
    }

    /** Index of the chunk that holds (or would hold) the key, or -1 when empty. */
    private int chunkFor(long hi, long lo) {
        if (chunks.isEmpty()) {
            return -1;
        }
        int low = 0;
        int high = chunks.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            Chunk c = chunks.get(mid);
            if (Guids.compare(c.hi[0], c.lo[0], hi, lo) <= 0) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private static int search(Chunk c, long hi, long lo) {
        int low = 0;
        int high = c.n - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = Guids.compare(c.hi[mid], c.lo[mid], hi, lo);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    // ------------------------------------------------------------------ changes

    /** Inserts or replaces a row. */
    void put(UUID id, byte[] data, long version) {
        long[] k = Guids.key(id);
        Row previous = null;
        if (chunks.isEmpty()) {
            chunks.add(new Chunk());
        }
        int ci = chunkFor(k[0], k[1]);
        Chunk c = chunks.get(ci);
        int i = search(c, k[0], k[1]);
        if (i >= 0) {
            previous = new Row(id, c.rows[i], c.versions[i]);
            c.rows[i] = data;
            c.versions[i] = version;
        } else {
            int at = -i - 1;
            if (c.n == CHUNK && at == CHUNK && ci == chunks.size() - 1) {
                // appending in key order (loads, generation): start a new chunk instead of splitting
                c = new Chunk();
                chunks.add(c);
                at = 0;
            } else if (c.n == CHUNK) {
                Chunk right = new Chunk();
                int half = CHUNK / 2;
                System.arraycopy(c.hi, half, right.hi, 0, half);
                System.arraycopy(c.lo, half, right.lo, 0, half);
                System.arraycopy(c.rows, half, right.rows, 0, half);
                System.arraycopy(c.versions, half, right.versions, 0, half);
                Arrays.fill(c.rows, half, CHUNK, null);
                right.n = half;
                c.n = half;
                chunks.add(ci + 1, right);
                if (at > half) {
                    c = right;
                    at -= half;
                }
            }
            System.arraycopy(c.hi, at, c.hi, at + 1, c.n - at);
            System.arraycopy(c.lo, at, c.lo, at + 1, c.n - at);
            System.arraycopy(c.rows, at, c.rows, at + 1, c.n - at);
            System.arraycopy(c.versions, at, c.versions, at + 1, c.n - at);
            c.hi[at] = k[0];
            c.lo[at] = k[1];
            c.rows[at] = data;
            c.versions[at] = version;
            c.n++;
            size++;
        }
        for (KeyIndex index : keyIndexes) {
            if (previous != null) {
                index.remove(previous.data(), k[0], k[1]);
            }
            index.add(data, k[0], k[1]);
        }
    }

    /** Removes a row; returns it, or null when there was none. */
    Row remove(UUID id) {
        long[] k = Guids.key(id);
        int ci = chunkFor(k[0], k[1]);
        if (ci < 0) {
            return null;
        }
        Chunk c = chunks.get(ci);
        int i = search(c, k[0], k[1]);
        if (i < 0) {
            return null;
        }
        Row removed = new Row(id, c.rows[i], c.versions[i]);
        System.arraycopy(c.hi, i + 1, c.hi, i, c.n - i - 1);
        System.arraycopy(c.lo, i + 1, c.lo, i, c.n - i - 1);
        System.arraycopy(c.rows, i + 1, c.rows, i, c.n - i - 1);
        System.arraycopy(c.versions, i + 1, c.versions, i, c.n - i - 1);
        c.n--;
        c.rows[c.n] = null;
        size--;
        if (c.n == 0) {
            chunks.remove(ci);
        }
        for (KeyIndex index : keyIndexes) {
            index.remove(removed.data(), k[0], k[1]);
        }
        return removed;
    }

    void logDeletion(UUID id, long version) {
        if (deletedCount == deletedVersions.length) {
            int n = deletedCount * 2;
            deletedVersions = Arrays.copyOf(deletedVersions, n);
            deletedHi = Arrays.copyOf(deletedHi, n);
            deletedLo = Arrays.copyOf(deletedLo, n);
        }
        long[] k = Guids.key(id);
        deletedVersions[deletedCount] = version;
        deletedHi[deletedCount] = k[0];
        deletedLo[deletedCount] = k[1];
        deletedCount++;
    }

    int deletedCount() {
        return deletedCount;
    }

    /** Drops the deletion log entries from {@code count} on (rollback). */
    void truncateDeletions(int count) {
        deletedCount = count;
    }

    /** Deletions with a version in (after, upTo], oldest first. */
    List<long[]> deletionsBetween(long after, long upTo) {
        List<long[]> result = new ArrayList<>();
        for (int i = 0; i < deletedCount; i++) {
            if (deletedVersions[i] > after && deletedVersions[i] <= upTo) {
                result.add(new long[] {deletedVersions[i], deletedHi[i], deletedLo[i]});
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ scanning

    /** Receives rows in key order; returns false to stop. */
    interface Visitor {
        boolean visit(long hi, long lo, byte[] data, long version);
    }

    /** Visits rows with a key greater than (hi, lo) (or all rows when {@code fromStart}), in order. */
    void scan(boolean fromStart, long hi, long lo, Visitor visitor) {
        int ci = 0;
        int i = 0;
        if (!fromStart) {
            ci = chunkFor(hi, lo);
            if (ci < 0) {
                return;
            }
            int pos = search(chunks.get(ci), hi, lo);
            i = pos >= 0 ? pos + 1 : -pos - 1;
        }
        for (; ci < chunks.size(); ci++) {
            Chunk c = chunks.get(ci);
            for (; i < c.n; i++) {
                if (!visitor.visit(c.hi[i], c.lo[i], c.rows[i], c.versions[i])) {
                    return;
                }
            }
            i = 0;
        }
    }

    /** Rows changed after a version, as (version, hi, lo), ordered by version. */
    List<long[]> changedAfter(long after, long upTo) {
        List<long[]> result = new ArrayList<>();
        for (Chunk c : chunks) {
            for (int i = 0; i < c.n; i++) {
                long v = c.versions[i];
                if (v > after && v <= upTo) {
                    result.add(new long[] {v, c.hi[i], c.lo[i]});
                }
            }
        }
        result.sort((a, b) -> Long.compare(a[0], b[0]));
        return result;
    }

    long maxVersion() {
        long max = 0;
        for (Chunk c : chunks) {
            for (int i = 0; i < c.n; i++) {
                max = Math.max(max, c.versions[i]);
            }
        }
        for (int i = 0; i < deletedCount; i++) {
            max = Math.max(max, deletedVersions[i]);
        }
        return max;
    }

    /** The row whose alternate key (columns in key order) has these values, or null. */
    Row findByKey(KeyIndex index, Object[] keyValues) {
        long[] k = index.find(keyValues);
        return k == null ? null : get(Guids.fromKey(k[0], k[1]));
    }

    KeyIndex keyIndex(List<String> columns) {
        for (KeyIndex index : keyIndexes) {
            if (index.columnNames().equals(columns)) {
                return index;
            }
        }
        return null;
    }

    static String normalize(Object value) {
        if (value == null) {
            return "\u0000null";
        }
        if (value instanceof String s) {
            return s.trim().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Ref r) {
            return r.id().toString();
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return value.toString().toLowerCase(Locale.ROOT);
    }
}
