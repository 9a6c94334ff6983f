package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contents of file and image columns, kept beside the rows as Dataverse keeps them in its file
 * store: one stored file per (table, row, column), with its name, MIME type and an id of its own.
 * Storing or removing a file also sets the row's columns as the Web API shows them
 * (file-column-data, image-column-data): a file column holds the file id and {@code <column>_name}
 * the file name; an image column holds the thumbnail (base64) with {@code <column>id},
 * {@code <column>_timestamp} and {@code <column>_url}. The row gets a new version, as any change.
 */
final class FileStore {
    /** The emulator's thumbnails are the first bytes of the image (no resizing): never equal to the full image. */
    static final int THUMBNAIL_BYTES = 1024;

    /**
     * One stored file; the bytes are never changed once stored (a new upload replaces the whole file).
     * For an image column that cannot store full images, {@code data} is the thumbnail alone.
     */
    record StoredFile(UUID fileId, String fileName, String mimeType, byte[] data, long timestamp) {
        byte[] thumbnail() {
            return Arrays.copyOf(data, Math.min(data.length, THUMBNAIL_BYTES));
        }
    }

    /** A stored file with where it belongs (for the state file). */
    record Entry(String table, UUID rowId, String column, StoredFile file) {
    }

    /** When generated files were stored (epoch milliseconds): fixed, so generated states are the same every time. */
    private static final long GENERATED_AT = 1_767_225_600_000L;

    private final Store store;
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();

    FileStore(Store store) {
        this.store = store;
    }

    private static String key(String table, UUID rowId, String column) {
        return table + "/" + rowId + "/" + column;
    }

    /**
     * The file a row's column holds, or null. A file whose row was deleted (or replaced by one that
     * does not show it) is gone, as Dataverse deletes a record's files with it.
     */
    StoredFile get(String table, UUID rowId, String column) {
        StoredFile file = files.get(key(table, rowId, column));
        return file != null && shownInRow(table, rowId, column, file) ? file : null;
    }

    private boolean shownInRow(String table, UUID rowId, String column, StoredFile file) {
        ColumnDef c = definition(table, column);
        return store.read(() -> {
            Table t = store.table(table);
            Table.Row row = t.get(rowId);
            if (row == null) {
                return false;
            }
            ColumnDef id = c.type == AttrType.FILE ? c : t.def.column(c.logicalName + "id");
            return file.fileId().equals(t.values(row)[id.storageIndex]);
        });
    }

    /** Stores a file and shows it in the row (a new row version). */
    StoredFile put(String table, UUID rowId, String column, String fileName, String mimeType, byte[] data) {
        return put(table, rowId, column, fileName, mimeType, data, false);
    }

    /**
     * As {@link #put}, keeping the row's version, with a file id and time stamp derived from where the
     * file goes (generated data sets: the same spec gives the same state, rows as if created with their files).
     */
    StoredFile putKeepingVersion(String table, UUID rowId, String column, String fileName, String mimeType, byte[] data) {
        return put(table, rowId, column, fileName, mimeType, data, true);
    }

    private StoredFile put(String table, UUID rowId, String column, String fileName, String mimeType, byte[] data,
            boolean generated) {
        ColumnDef c = definition(table, column);
        byte[] kept = c.type == AttrType.IMAGE && !c.canStoreFullImage
                ? Arrays.copyOf(data, Math.min(data.length, THUMBNAIL_BYTES)) : data;
        UUID fileId = generated ? UUID.nameUUIDFromBytes(("file:" + key(table, rowId, column))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)) : UUID.randomUUID();
        // .NET ticks, as Dataverse's image time stamps
        long timestamp = (generated ? GENERATED_AT : System.currentTimeMillis()) * 10_000L + 621_355_968_000_000_000L;
        StoredFile file = new StoredFile(fileId, fileName, mimeType, kept, timestamp);
        boolean keepVersion = generated;
        store.write(() -> {
            showInRow(c, rowId, file, keepVersion);
            files.put(key(table, rowId, column), file);
            return null;
        });
        return file;
    }

    boolean remove(String table, UUID rowId, String column) {
        ColumnDef c = definition(table, column);
        return store.write(() -> {
            StoredFile current = get(table, rowId, column);
            files.remove(key(table, rowId, column));
            if (current != null) {
                showInRow(c, rowId, null, false);
            }
            return current != null;
        });
    }

    /** Puts back a file read from a state file; its row already shows it. */
    void restore(Entry entry) {
        files.put(key(entry.table(), entry.rowId(), entry.column()), entry.file());
    }

    /** Every stored file, by table, row and column. */
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, StoredFile> e : files.entrySet()) {
            String[] parts = e.getKey().split("/", 3);
            UUID rowId = UUID.fromString(parts[1]);
            if (shownInRow(parts[0], rowId, parts[2], e.getValue())) {
                entries.add(new Entry(parts[0], rowId, parts[2], e.getValue()));
            }
        }
        entries.sort(java.util.Comparator.comparing(Entry::table).thenComparing(Entry::rowId).thenComparing(Entry::column));
        return entries;
    }

    /** Files stored for the given table (for tests and the generator's summary). */
    long count(String table) {
        return entries().stream().filter(e -> e.table().equals(table)).count();
    }

    static ColumnDef definition(String table, String column) {
        TableDef def = Schema.INSTANCE.table(table);
        ColumnDef c = def == null ? null : def.column(column);
        if (c == null || !c.type.isFileOrImage()) {
            throw new IllegalArgumentException(table + "." + column + " is not a file or image column");
        }
        return c;
    }

    /** Sets the column and its companions in the row (write lock held); a row that is gone is left alone. */
    private void showInRow(ColumnDef c, UUID rowId, StoredFile file, boolean keepVersion) {
        Table table = store.table(c.table);
        Table.Row row = table.get(rowId);
        if (row == null) {
            return;
        }
        TableDef def = table.def;
        Object[] values = table.values(row);
        if (c.type == AttrType.FILE) {
            values[c.storageIndex] = file == null ? null : file.fileId();
            values[def.column(c.logicalName + "_name").storageIndex] = file == null ? null : file.fileName();
        } else {
            values[c.storageIndex] = file == null ? null : Base64.getEncoder().encodeToString(file.thumbnail());
            values[def.column(c.logicalName + "id").storageIndex] = file == null ? null : file.fileId();
            values[def.column(c.logicalName + "_timestamp").storageIndex] = file == null ? null : file.timestamp();
            values[def.column(c.logicalName + "_url").storageIndex] = file == null ? null
                    : "/Image/download.aspx?Entity=" + c.table + "&Attribute=" + c.logicalName + "&Id=" + file.fileId()
                            + "&Timestamp=" + file.timestamp();
        }
        byte[] data = table.codec.encode(values);
        if (keepVersion) {
            store.putWithVersion(table, rowId, data, row.version());
        } else {
            store.put(table, rowId, data);
        }
    }
}
