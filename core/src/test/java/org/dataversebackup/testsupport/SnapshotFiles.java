package org.dataversebackup.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads back what a snapshot holds, through the same store abstraction users' snapshots are read with. */
public final class SnapshotFiles {
    private SnapshotFiles() {
    }

    public static SnapshotManifest manifest(SnapshotStore snapshot) {
        try (InputStream in = snapshot.open(SnapshotManifest.FILE_NAME).orElseThrow(
                () -> new AssertionError("no manifest.json in " + snapshot.location("")))) {
            return SnapshotJson.MAPPER.readValue(in, SnapshotManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every record of a table, in part order, as JSON. */
    public static List<JsonNode> records(SnapshotStore snapshot, SnapshotManifest.Table table) {
        List<JsonNode> records = new ArrayList<>();
        for (SnapshotManifest.Part part : table.parts()) {
            try (InputStream in = new GZIPInputStream(snapshot.open(part.path()).orElseThrow())) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isEmpty()) {
                        records.add(SnapshotJson.MAPPER.readTree(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return records;
    }

    public static JsonNode schema(SnapshotStore snapshot, SnapshotManifest.Table table) {
        try (InputStream in = snapshot.open(table.schema()).orElseThrow()) {
            return SnapshotJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
