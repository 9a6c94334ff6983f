package org.dataversebackup.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.dataversebackup.config.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup of an environment into a target at a time: across the threads and CamelContexts of
 * this JVM (a semaphore per lock file) and across processes (an OS lock on the file, released by
 * the OS when a process dies, so a kill -9 leaves no stale lock). The lock file says who holds it.
 */
final class BackupLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupLock.class);
    private static final Map<Path, Semaphore> IN_THIS_JVM = new ConcurrentHashMap<>();
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    /** What a second backup of the same environment into the same target does: {@code backup.concurrent}. */
    enum WhenBusy {
        WAIT, FAIL;

        static WhenBusy parse(String value) {
            return switch (value == null ? "wait" : value.trim().toLowerCase(Locale.ROOT)) {
                case "wait" -> WAIT;
                case "fail" -> FAIL;
                default -> throw new ConfigurationException("backup.concurrent must be wait or fail, not '" + value + "'.");
            };
        }
    }

    private final Semaphore inJvm;
    private final FileChannel channel;
    private final FileLock lock;

    private BackupLock(Semaphore inJvm, FileChannel channel, FileLock lock) {
        this.inJvm = inJvm;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param file   the lock file (created if missing; never deleted: deleting lock files races)
     * @param what   the backup, for messages: {@code contoso into /var/backups}
     * @param holder written into the file for whoever waits: the snapshot id
     */
    static BackupLock acquire(Path file, WhenBusy whenBusy, String what, String holder) {
        Path key = file.toAbsolutePath().normalize();
        Semaphore inJvm = IN_THIS_JVM.computeIfAbsent(key, k -> new Semaphore(1));
        try {
            if (!inJvm.tryAcquire()) {
                busy(whenBusy, what, key, "in this process");
                while (!inJvm.tryAcquire(LOG_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.info("Still waiting for the other backup of {} to finish", what);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for another backup of " + what, e);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                busy(whenBusy, what, key, "in another process (" + holderOf(key) + ")");
                lock = channel.lock();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("snapshot " + holder + ", process " + ManagementFactory.getRuntimeMXBean().getName()
                    + ", since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new BackupLock(inJvm, channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            inJvm.release();
            if (e instanceof BackupAlreadyRunningException running) {
                throw running;
            }
            throw new UncheckedIOException("Cannot lock " + key + " for the backup of " + what + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** True when a backup holds this lock file now (in this process or another). */
    static boolean held(Path file) {
        Path key = file.toAbsolutePath().normalize();
        Semaphore inJvm = IN_THIS_JVM.get(key);
        if (inJvm != null && inJvm.availablePermits() == 0) {
            return true;
        }
        if (!Files.exists(key)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(key, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void busy(WhenBusy whenBusy, String what, Path file, String where) {
        if (whenBusy == WhenBusy.FAIL) {
            throw new BackupAlreadyRunningException("Another backup of " + what + " is running " + where
                    + "; this one does not start (backup.concurrent=fail). Lock file: " + file);
        }
        LOG.warn("Another backup of {} is running {}; waiting for it to finish (backup.concurrent=wait)", what, where);
    }

    private static String holderOf(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to do
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
        inJvm.release();
    }
}
