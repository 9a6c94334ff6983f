package org.dataversebackup.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The alerts standing on a snapshot: a mass-delete or mass-change alert writes {@value #FILE_NAME}
 * (one JSON event per line) into the alerted snapshot's folder, and an administrator clears them
 * with {@code alerts ack}, which writes {@value #ACK_FILE_NAME} beside it. While an alert stands,
 * pruning keeps the snapshot (and the chain it needs): the copy from before a mass delete is the
 * one to restore from. Both are files of the store so that they work the same on a folder and on
 * S3, and go with the snapshot when it is pruned after the acknowledgement.
 */
public final class SnapshotAlerts {
    public static final String FILE_NAME = "alert.ndjson";
    public static final String ACK_FILE_NAME = "alert-ack.json";

    private final SnapshotStore store;

    public SnapshotAlerts(SnapshotStore store) {
        this.store = store;
    }

    /** Adds an alert event (one JSON object) to the snapshot's alerts; it stands until acknowledged again. */
    public void raise(String snapshotKey, String eventJson) {
        String existing = read(path(snapshotKey, FILE_NAME)).orElse("");
        store.write(path(snapshotKey, FILE_NAME), (existing + eventJson + "\n").getBytes(StandardCharsets.UTF_8));
        if (read(path(snapshotKey, ACK_FILE_NAME)).isPresent()) {
            store.write(path(snapshotKey, ACK_FILE_NAME), "{\"cleared\":false}\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Whether an alert stands on the snapshot (raised and not acknowledged since). */
    public boolean standing(String snapshotKey) {
        if (read(path(snapshotKey, FILE_NAME)).isEmpty()) {
            return false;
        }
        return read(path(snapshotKey, ACK_FILE_NAME)).map(ack -> !ack.contains("\"cleared\":true")).orElse(true);
    }

    /** The snapshot's alert events as stored, or empty when none was raised. */
    public Optional<String> events(String snapshotKey) {
        return read(path(snapshotKey, FILE_NAME));
    }

    /** Clears the snapshot's alerts: pruning treats it as any other snapshot again. */
    public void acknowledge(String snapshotKey, String ackJson) {
        store.write(path(snapshotKey, ACK_FILE_NAME), ackJson.getBytes(StandardCharsets.UTF_8));
    }

    private static String path(String snapshotKey, String file) {
        return snapshotKey.isEmpty() ? file : snapshotKey + "/" + file;
    }

    private Optional<String> read(String path) {
        Optional<InputStream> in = store.open(path);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            stream.transferTo(out);
            return Optional.of(out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + store.location(path) + ": " + e.getMessage(), e);
        }
    }
}
