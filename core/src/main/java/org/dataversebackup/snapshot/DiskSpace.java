package org.dataversebackup.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Says "disk full" when a write failed for want of space, with the place and the bytes left. */
public final class DiskSpace {
    /** Below this, a failed write is taken to be for want of space even when the message does not say so. */
    static final long NEARLY_FULL_BYTES = 1 << 20;

    private DiskSpace() {
    }

    /**
     * {@code what: disk full at PATH, N bytes free (...)} when the disk holding {@code path} is full
     * (or the error says so), else {@code what: <the error>}.
     */
    public static String describe(String what, Path path, IOException failure) {
        long free = usableBytes(path);
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        boolean full = message.toLowerCase(Locale.ROOT).contains("no space left") || message.contains("ENOSPC")
                || message.toLowerCase(Locale.ROOT).contains("disk full") || (free >= 0 && free < NEARLY_FULL_BYTES);
        if (!full) {
            return what + ": " + message;
        }
        return String.format(Locale.ROOT, "%s: disk full at %s, %,d bytes free. Free some space, or point the folder"
                + " to a larger disk (backup.work-dir for data parts, backup.target for snapshots).", what, path.toAbsolutePath(),
                Math.max(free, 0));
    }

    /** Usable bytes on the disk of {@code path} (or of its nearest existing parent), -1 when unknown. */
    static long usableBytes(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? -1 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
