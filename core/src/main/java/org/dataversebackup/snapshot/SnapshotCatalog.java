package org.dataversebackup.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The complete snapshots in a target: every {@code <environment>/<snapshot id>/} that holds a
 * {@code manifest.json}. A snapshot without one was interrupted and is never listed.
 */
public class SnapshotCatalog {
    private final SnapshotStore store;

    public SnapshotCatalog(SnapshotStore store) {
        this.store = store;
    }

    /** A complete snapshot: where it is (relative to the target) and its manifest. */
    public record Entry(String key, SnapshotManifest manifest) {
    }

    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        for (String environment : store.folders("")) {
            for (String snapshot : store.folders(environment)) {
                String key = environment + "/" + snapshot;
                manifest(key).ifPresent(m -> entries.add(new Entry(key, m)));
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> e.manifest().startedAt()).reversed());
        return entries;
    }

    /** The manifest of the snapshot at {@code key}, or empty when it is missing (incomplete snapshot). */
    public Optional<SnapshotManifest> manifest(String key) {
        Optional<InputStream> in = store.open(key + "/" + SnapshotManifest.FILE_NAME);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream manifest = in.get()) {
            return Optional.of(SnapshotJson.MAPPER.readValue(manifest, SnapshotManifest.class));
        } catch (IOException e) {
            throw new UncheckedIOException("The manifest of " + store.location(key) + " cannot be read: " + e.getMessage(), e);
        }
    }
}
