package org.dataversebackup.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Snapshots hold business data: their folders are 0700 and their files 0600, whatever the umask
 * (set explicitly after creation; on file systems without POSIX permissions nothing is changed).
 */
public final class OwnerOnly {
    private OwnerOnly() {
    }

    public static void folder(Path folder) throws IOException {
        set(folder, "rwx------");
    }

    public static void file(Path file) throws IOException {
        set(file, "rw-------");
    }

    private static void set(Path path, String permissions) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }
}
