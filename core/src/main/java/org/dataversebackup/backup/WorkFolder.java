package org.dataversebackup.backup;

import org.dataversebackup.snapshot.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import org.dataversebackup.snapshot.DiskSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup's own folder for data parts under {@code backup.work-dir}, {@code <work dir>/<snapshot id>/}:
 * held (an OS lock on its {@code .in-use} file) while the backup runs and deleted when it ends,
 * however it ends. A folder that no live backup holds is a crashed run's leftover: the next backup
 * deletes it before it starts, so a disk filled by a failed run does not fail the next one.
 */
final class WorkFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkFolder.class);
    static final String IN_USE = ".in-use";

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkFolder(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** Clears what earlier runs left under {@code root}, then creates and holds {@code root/<name>}. */
    static WorkFolder claim(Path root, String name) {
        clearLeftovers(root);
        Path path = root.resolve(name);
        FileChannel channel = null;
        try {
            Files.createDirectories(path);
            OwnerOnly.folder(path); // parts before they are stored (in the clear unless encrypted): the service's account only
            channel = FileChannel.open(path.resolve(IN_USE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new WorkFolder(path, channel, channel.lock());
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // reported below
                }
            }
            throw new UncheckedIOException(DiskSpace.describe("Cannot create the work folder " + path, path, e), e);
        }
    }

    Path path() {
        return path;
    }

    /** Deletes every sub-folder of {@code root} that no live backup holds, and loose files of older versions. */
    static void clearLeftovers(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                if (Files.isDirectory(child) ? !held(child) : child.getFileName().toString().endsWith(".ndjson.gz")) {
                    LOG.info("Removing {}, left by a backup that did not finish", child);
                    deleteRecursively(child);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot look for leftovers of earlier backups in {}: {}", root, e.getMessage());
        }
    }

    private static boolean held(Path folder) {
        Path marker = folder.resolve(IN_USE);
        if (!Files.exists(marker)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true; // another process
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this process
        } catch (IOException e) {
            return true; // cannot tell: leave it
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("Cannot delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", path, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the folder is deleted below either way
        }
        deleteRecursively(path);
    }
}
