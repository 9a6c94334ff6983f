package org.dataversebackup.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;

/**
 * msal4j's token cache persisted to a file readable and writable by its owner only ({@code rw-------},
 * in a folder {@code rwx------} when we create it). It holds refresh tokens: whoever reads it can act
 * as the signed-in account. Written through a temporary file and an atomic move, so a concurrent
 * run never reads half a cache.
 */
final class TokenCacheFile implements ITokenCacheAccessAspect {
    private static final Logger LOG = LoggerFactory.getLogger(TokenCacheFile.class);
    private static final Set<PosixFilePermission> OWNER_FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_FOLDER = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;
    private boolean permissionsChecked;

    TokenCacheFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    @Override
    public synchronized void beforeCacheAccess(ITokenCacheAccessContext context) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            tightenPermissionsOnce();
            String json = Files.readString(file, StandardCharsets.UTF_8);
            if (!json.isBlank()) {
                context.tokenCache().deserialize(json);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("The token cache {} cannot be read ({}); signing in again may be needed.", file,
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public synchronized void afterCacheAccess(ITokenCacheAccessContext context) {
        if (!context.hasCacheChanged()) {
            return;
        }
        try {
            write(context.tokenCache().serialize());
        } catch (IOException e) {
            throw new org.dataversebackup.config.ConfigurationException("The token cache " + file + " cannot be written ("
                    + e.getMessage() + "): set '" + AuthSettings.TOKEN_CACHE + "' to a file in a writable folder.");
        }
    }

    private void write(String json) throws IOException {
        Path folder = file.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            if (POSIX) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
            } else {
                Files.createDirectories(folder);
            }
        }
        Path temp = POSIX
                ? Files.createTempFile(folder, ".token-cache", ".tmp", ownerOnly())
                : Files.createTempFile(folder, ".token-cache", ".tmp");
        try {
            if (!POSIX) {
                restrictNonPosix(temp);
            }
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            permissionsChecked = true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void tightenPermissionsOnce() throws IOException {
        if (permissionsChecked || !POSIX) {
            permissionsChecked = true;
            return;
        }
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(file);
        if (!OWNER_FILE.containsAll(actual)) {
            LOG.warn("The token cache {} was readable by others ({}); restricted it to its owner.", file,
                    PosixFilePermissions.toString(actual));
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
        permissionsChecked = true;
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_FILE);
    }

    private static void restrictNonPosix(Path path) {
        java.io.File f = path.toFile();
        boolean ok = f.setReadable(false, false) & f.setReadable(true, true)
                & f.setWritable(false, false) & f.setWritable(true, true);
        if (!ok) {
            LOG.warn("Could not restrict the permissions of {} to its owner.", path);
        }
    }

    /** Removes the persisted sign-in (used by {@code login --reset}). */
    void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
