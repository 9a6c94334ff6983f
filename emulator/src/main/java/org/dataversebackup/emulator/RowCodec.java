package org.dataversebackup.emulator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rows as compact byte arrays: a null bitmap, then the non-null stored columns in order (varints,
 * UTF-8 strings, GUIDs raw or through a small per-column dictionary for low-cardinality lookups).
 * A million account rows fit in a few hundred MB. Decoded rows are Object[] by storage index with
 * String, Integer, Long, BigDecimal, Double, Boolean, UUID, {@link Ref}, Instant, LocalDate values.
 */
final class RowCodec {
    private static final int DICTIONARY_LIMIT = 4096;
    private final ColumnDef[] columns;
    private final UuidDictionary[] dictionaries;
    private final String[] refTables;

    RowCodec(TableDef def) {
        List<ColumnDef> stored = def.stored;
        columns = stored.toArray(new ColumnDef[0]);
        dictionaries = new UuidDictionary[columns.length];
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].dictionary) {
                dictionaries[i] = new UuidDictionary();
            }
        }
        refTables = allTables();
    }

    private static String[] allTables() {
        return Schema.INSTANCE == null ? new String[0]
                : Schema.INSTANCE.tables().stream().map(t -> t.logicalName).toArray(String[]::new);
    }

    int width() {
        return columns.length;
    }

    /** Append-only GUID dictionary, readable without locks. */
    static final class UuidDictionary {
        private volatile UUID[] values = new UUID[16];
        private volatile int size;
        private final Map<UUID, Integer> index = new HashMap<>();

        synchronized int indexOf(UUID id) {
            Integer i = index.get(id);
            if (i != null) {
                return i;
            }
            if (size >= DICTIONARY_LIMIT) {
                return -1;
            }
            UUID[] v = values;
            if (size == v.length) {
                v = Arrays.copyOf(v, v.length * 2);
            }
            v[size] = id;
            values = v;
            index.put(id, size);
            size = size + 1;
            return size - 1;
        }

        UUID get(int i) {
            return values[i];
        }
    }

    // ------------------------------------------------------------------ encoding

    byte[] encode(Object[] values) {
        Buffer out = new Buffer(64 + columns.length * 8);
        int bitmapBytes = (columns.length + 7) / 8;
        for (int i = 0; i < bitmapBytes; i++) {
            out.write(0);
        }
        for (int i = 0; i < columns.length; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            out.bytes[i >> 3] |= (byte) (1 << (i & 7));
            ColumnDef c = columns[i];
            switch (c.storage) {
                case STRING -> {
                    byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
                    out.varint(s.length);
                    out.write(s, 0, s.length);
                }
                case INT -> out.zigzag(((Number) v).longValue());
                case LONG -> out.zigzag(((Number) v).longValue());
                case DECIMAL -> {
                    BigDecimal d = (BigDecimal) v;
                    BigInteger unscaled = d.unscaledValue();
                    if (unscaled.bitLength() <= 62 && d.scale() >= 0 && d.scale() < 100) {
                        out.write(d.scale());
                        out.zigzag(unscaled.longValue());
                    } else {
                        out.write(127);
                        byte[] s = d.toString().getBytes(StandardCharsets.US_ASCII);
                        out.varint(s.length);
                        out.write(s, 0, s.length);
                    }
                }
                case DOUBLE -> out.long64(Double.doubleToLongBits((Double) v));
                case BOOL -> out.write(((Boolean) v) ? 1 : 0);
                case UUID -> uuid(out, i, (UUID) v);
                case REF -> {
                    Ref ref = (Ref) v;
                    out.write(tableIndex(ref.table()));
                    uuid(out, i, ref.id());
                }
                case DATETIME -> out.zigzag(((Instant) v).getEpochSecond());
                case DATE -> out.zigzag(((LocalDate) v).toEpochDay());
                default -> throw new IllegalStateException("Not stored: " + c);
            }
        }
        return Arrays.copyOf(out.bytes, out.size);
    }

    private void uuid(Buffer out, int column, UUID id) {
        UuidDictionary dictionary = dictionaries[column];
        int index = dictionary == null ? -1 : dictionary.indexOf(id);
        if (index >= 0) {
            out.write(1);
            out.varint(index);
        } else {
            out.write(0);
            out.long64(id.getMostSignificantBits());
            out.long64(id.getLeastSignificantBits());
        }
    }

    private int tableIndex(String table) {
        for (int i = 0; i < refTables.length; i++) {
            if (refTables[i].equals(table)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unknown table " + table);
    }

    // ------------------------------------------------------------------ decoding

    Object[] decode(byte[] row) {
        Object[] values = new Object[columns.length];
        int bitmapBytes = (columns.length + 7) / 8;
        int[] pos = {bitmapBytes};
        for (int i = 0; i < columns.length; i++) {
            if ((row[i >> 3] & (1 << (i & 7))) == 0) {
                continue;
            }
            ColumnDef c = columns[i];
            switch (c.storage) {
                case STRING -> {
                    int len = (int) varint(row, pos);
                    values[i] = new String(row, pos[0], len, StandardCharsets.UTF_8);
                    pos[0] += len;
                }
                case INT -> values[i] = (int) unzigzag(varint(row, pos));
                case LONG -> values[i] = unzigzag(varint(row, pos));
                case DECIMAL -> {
                    int scale = row[pos[0]++];
                    if (scale == 127) {
                        int len = (int) varint(row, pos);
                        values[i] = new BigDecimal(new String(row, pos[0], len, StandardCharsets.US_ASCII));
                        pos[0] += len;
                    } else {
                        values[i] = BigDecimal.valueOf(unzigzag(varint(row, pos)), scale);
                    }
                }
                case DOUBLE -> values[i] = Double.longBitsToDouble(long64(row, pos));
                case BOOL -> values[i] = row[pos[0]++] != 0;
                case UUID -> values[i] = readUuid(row, pos, i);
                case REF -> {
                    String table = refTables[row[pos[0]++]];
                    values[i] = new Ref(table, readUuid(row, pos, i));
                }
                case DATETIME -> values[i] = Instant.ofEpochSecond(unzigzag(varint(row, pos)));
                case DATE -> values[i] = LocalDate.ofEpochDay(unzigzag(varint(row, pos)));
                default -> throw new IllegalStateException("Not stored: " + c);
            }
        }
        return values;
    }

    private UUID readUuid(byte[] row, int[] pos, int column) {
        if (row[pos[0]++] == 1) {
            return dictionaries[column].get((int) varint(row, pos));
        }
        long msb = long64(row, pos);
        long lsb = long64(row, pos);
        return new UUID(msb, lsb);
    }

    private static long varint(byte[] b, int[] pos) {
        long result = 0;
        int shift = 0;
        while (true) {
            byte x = b[pos[0]++];
            result |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static long long64(byte[] b, int[] pos) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[pos[0]++] & 0xff);
        }
        return v;
    }

    /** A growable byte buffer. */
    private static final class Buffer {
        byte[] bytes;
        int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        void varint(long v) {
            long x = v;
            while ((x & ~0x7FL) != 0) {
                write((int) ((x & 0x7f) | 0x80));
                x >>>= 7;
            }
            write((int) x);
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        void long64(long v) {
            ensure(8);
            for (int i = 7; i >= 0; i--) {
                bytes[size + i] = (byte) v;
                v >>>= 8;
            }
            size += 8;
        }

        private void ensure(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
        }
    }
}
