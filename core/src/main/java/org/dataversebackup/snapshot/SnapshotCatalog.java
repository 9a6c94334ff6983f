package org.dataversebackup.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The snapshots in a target: every {@code <environment>/<snapshot id>/}. A complete one holds a
 * {@code manifest.json}; one without is incomplete (its backup failed, was killed, or still runs)
 * and is only listed by {@link #incomplete()}, with the reason when the failed backup recorded
 * one in {@value #FAILURE_NOTE}.
 */
public class SnapshotCatalog {
    private final SnapshotStore store;

    public SnapshotCatalog(SnapshotStore store) {
        this.store = store;
    }

    /** Written by a backup that failed, into its snapshot folder: why (JSON: snapshotId, failedAt, reason). */
    public static final String FAILURE_NOTE = "backup-failed.json";

    /** A complete snapshot: where it is (relative to the target) and its manifest. */
    public record Entry(String key, SnapshotManifest manifest) {
    }

    /** A snapshot folder without manifest: where it is and why it is incomplete. */
    public record Incomplete(String key, String reason) {
    }

    /** The snapshot folders without a manifest, with the reason, by key. */
    public List<Incomplete> incomplete() {
        List<Incomplete> entries = new ArrayList<>();
        for (String environment : store.folders("")) {
            for (String snapshot : store.folders(environment)) {
                String key = environment + "/" + snapshot;
                if (manifest(key).isEmpty()) {
                    entries.add(new Incomplete(key, reason(key)));
                }
            }
        }
        return entries;
    }

    private String reason(String key) {
        Optional<InputStream> note = store.open(key + "/" + FAILURE_NOTE);
        if (note.isEmpty()) {
            return "no manifest and no failure recorded: the backup still runs, or its process was stopped (kill, crash)";
        }
        try (InputStream in = note.get()) {
            com.fasterxml.jackson.databind.JsonNode failure = SnapshotJson.MAPPER.readTree(in);
            return "the backup failed at " + failure.path("failedAt").asText("?") + ": " + failure.path("reason").asText("?");
        } catch (IOException e) {
            return "the backup failed (its note " + store.location(key + "/" + FAILURE_NOTE) + " cannot be read)";
        }
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
