package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * All tables, the organization-wide row version counter and the lock: reads share it, writes hold it
 * alone. Writes inside {@link #transaction} are undone when it fails (change sets,
 * CreateMultiple/UpdateMultiple/UpsertMultiple).
 */
final class Store {
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long lastVersion = 1_000_000;
    private List<Runnable> undo;

    Store() {
        for (TableDef def : Schema.INSTANCE.tables()) {
            tables.put(def.logicalName, new Table(def));
        }
    }

    Table table(String logicalName) {
        Table t = tables.get(logicalName);
        if (t == null) {
            throw new IllegalArgumentException("No table " + logicalName);
        }
        return t;
    }

    Iterable<Table> tables() {
        return tables.values();
    }

    <T> T read(Supplier<T> work) {
        lock.readLock().lock();
        try {
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean holdsWriteLock() {
        return lock.isWriteLockedByCurrentThread();
    }

    /** Runs the work under the write lock; when it throws, every row change it made is undone. */
    <T> T transaction(Supplier<T> work) {
        lock.writeLock().lock();
        List<Runnable> outer = undo;
        List<Runnable> mine = new ArrayList<>();
        undo = mine;
        long versionBefore = lastVersion;
        try {
            T result = work.get();
            if (outer != null) {
                outer.addAll(mine);
            }
            return result;
        } catch (RuntimeException | Error e) {
            for (int i = mine.size() - 1; i >= 0; i--) {
                mine.get(i).run();
            }
            if (outer == null) {
                lastVersion = Math.max(lastVersion, versionBefore);
            }
            throw e;
        } finally {
            undo = outer;
            lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ versions

    long nextVersion() {
        return ++lastVersion;
    }

    long lastVersion() {
        return lastVersion;
    }

    void lastVersion(long version) {
        lastVersion = Math.max(lastVersion, version);
    }

    // ------------------------------------------------------------------ row changes (write lock held)

    /** Stores a row (new or replacing) with a new version; returns the version. */
    long put(Table table, UUID id, byte[] data) {
        long version = nextVersion();
        putWithVersion(table, id, data, version);
        return version;
    }

    void putWithVersion(Table table, UUID id, byte[] data, long version) {
        Table.Row previous = table.get(id);
        table.put(id, data, version);
        lastVersion(version);
        if (undo != null) {
            undo.add(() -> {
                if (previous == null) {
                    table.remove(id);
                } else {
                    table.put(id, previous.data(), previous.version());
                }
            });
        }
    }

    /** Deletes a row, logging it for change tracking; returns the removed row or null. */
    Table.Row delete(Table table, UUID id) {
        int logged = table.deletedCount();
        Table.Row removed = table.remove(id);
        if (removed == null) {
            return null;
        }
        table.logDeletion(id, nextVersion());
        if (undo != null) {
            undo.add(() -> {
                table.truncateDeletions(logged);
                table.put(id, removed.data(), removed.version());
            });
        }
        return removed;
    }
}
