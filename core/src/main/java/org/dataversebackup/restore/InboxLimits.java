package org.dataversebackup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Selection;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotTarget;

/**
 * What a request file dropped into the inbox may ask for. Whoever can write to the inbox is not
 * trusted like whoever configures the service: a request may only name snapshots under
 * {@code restore.allowed-snapshot-roots} (default: every environment's {@code backup.target}) and
 * mapping files under {@code restore.allowed-mapping-roots} (default: {@code config} and the inbox
 * itself), and is at most {@code restore.max-request-bytes} (default 1 MB) long.
 */
public record InboxLimits(long maxRequestBytes, List<SnapshotTarget> snapshotRoots, List<Path> mappingRoots) {

    public static InboxLimits from(Settings settings) {
        long maxBytes = settings.optional("restore.max-request-bytes").map(v -> parseBytes(v)).orElse(1L << 20);
        Set<String> roots = new LinkedHashSet<>(Selection.split(settings.get("restore.allowed-snapshot-roots", "")));
        if (roots.isEmpty()) {
            for (String environment : settings.environments()) {
                roots.add(settings.forEnvironment(environment).get("backup.target", "file:backups"));
            }
            roots.add(settings.get("backup.target", "file:backups"));
        }
        List<Path> mappings = new ArrayList<>();
        Selection.split(settings.get("restore.allowed-mapping-roots", "config")).forEach(m -> mappings.add(Path.of(m)));
        return new InboxLimits(maxBytes, roots.stream().map(SnapshotTarget::parse).toList(), mappings);
    }

    private static long parseBytes(String value) {
        try {
            long bytes = Long.parseLong(value.trim());
            if (bytes > 0) {
                return bytes;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigurationException("restore.max-request-bytes must be a positive number of bytes, not '" + value + "'.");
    }

    /** @throws ConfigurationException when the request names a snapshot or a mapping file outside the allowed roots */
    void check(RestoreRequest request, String source, Path inbox) {
        SnapshotTarget snapshot = SnapshotTarget.parse(request.snapshot());
        if (snapshotRoots.stream().noneMatch(root -> inside(snapshot, root))) {
            throw new ConfigurationException(source + " names snapshot " + request.snapshot() + ", which is not under "
                    + "restore.allowed-snapshot-roots (" + String.join(", ", snapshotRoots.stream().map(r -> r.locationOf("")).toList())
                    + "). Inbox requests may only restore from there.");
        }
        if (request.mapping().isPresent()) {
            Path mapping = real(Path.of(request.mapping().get()));
            List<Path> allowed = new ArrayList<>(mappingRoots);
            allowed.add(inbox);
            if (allowed.stream().map(InboxLimits::real).noneMatch(mapping::startsWith)) {
                throw new ConfigurationException(source + " names mapping file " + request.mapping().get() + ", which is not under "
                        + "restore.allowed-mapping-roots (" + String.join(", ", allowed.stream().map(Path::toString).toList())
                        + ") or the inbox.");
            }
        }
    }

    private static boolean inside(SnapshotTarget snapshot, SnapshotTarget root) {
        if (snapshot instanceof SnapshotTarget.Folder folder && root instanceof SnapshotTarget.Folder allowed) {
            return real(folder.root()).startsWith(real(allowed.root()));
        }
        if (snapshot instanceof SnapshotTarget.S3 s3 && root instanceof SnapshotTarget.S3 allowed) {
            return s3.bucket().equals(allowed.bucket())
                    && (allowed.prefix().isEmpty() || (s3.prefix() + "/").startsWith(allowed.prefix() + "/"));
        }
        return false;
    }

    /** The path with symbolic links resolved as far as it exists, so a link cannot lead outside a root. */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}
