package org.dataversebackup.emulator;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contents of file and image columns, kept beside the rows as Dataverse keeps them in its file
 * store: one stored file per (table, row, column), with its name, MIME type and an id of its own.
 */
final class FileStore {
    /** One stored file; the bytes are never changed once stored (a new upload replaces the whole file). */
    record StoredFile(UUID fileId, String fileName, String mimeType, byte[] data) {
    }

    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();

    private static String key(String table, UUID rowId, String column) {
        return table + "/" + rowId + "/" + column;
    }

    StoredFile get(String table, UUID rowId, String column) {
        return files.get(key(table, rowId, column));
    }

    StoredFile put(String table, UUID rowId, String column, String fileName, String mimeType, byte[] data) {
        StoredFile file = new StoredFile(UUID.randomUUID(), fileName, mimeType, data);
        files.put(key(table, rowId, column), file);
        return file;
    }

    boolean remove(String table, UUID rowId, String column) {
        return files.remove(key(table, rowId, column)) != null;
    }

    /** Files stored for the given table (for tests and the generator's summary). */
    long count(String table) {
        String prefix = table + "/";
        return files.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }
}
