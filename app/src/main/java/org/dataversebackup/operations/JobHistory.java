package org.dataversebackup.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.OwnerOnly;
import org.dataversebackup.snapshot.SnapshotTarget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The job history: one JSON line per backup and restore (NDJSON), appended when the job ends.
 * The file names environments, snapshots and errors, so it is readable by the service's account
 * only (0600), like the snapshots and reports.
 */
public final class JobHistory implements Consumer<JobRecord> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public JobHistory(Path file) {
        this.file = file;
    }

    /**
     * {@code history.file}; when empty, {@code history.ndjson} in the folder of a folder
     * {@code backup.target}, else in the working folder.
     */
    public static JobHistory of(Settings settings) {
        String configured = settings.get("history.file", "");
        if (!configured.isBlank()) {
            return new JobHistory(Path.of(configured.trim()));
        }
        String target = settings.get("backup.target", "file:backups");
        try {
            if (SnapshotTarget.parse(target) instanceof SnapshotTarget.Folder folder) {
                return new JobHistory(folder.root().resolve("history.ndjson"));
            }
        } catch (RuntimeException notUsable) {
            // a target that cannot be parsed fails the backup with its own message
        }
        return new JobHistory(Path.of("history.ndjson"));
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void accept(JobRecord record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", record.type());
        line.put("environment", record.environment());
        line.put("outcome", record.outcome());
        line.put("startedAt", record.startedAt().toString());
        line.put("finishedAt", record.finishedAt().toString());
        line.put("seconds", record.seconds());
        line.put("snapshotId", record.snapshotId());
        line.put("location", record.location());
        line.put("records", record.records());
        line.put("bytes", record.bytes());
        line.put("rowsFailed", record.rowsFailed());
        if (record.error() != null) {
            line.put("error", record.error());
        }
        line.put("tables", record.tables());
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            if (!Files.exists(file)) {
                Files.createFile(file);
                OwnerOnly.file(file);
            }
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("The job history " + file + " could not be written: " + e.getMessage(), e);
        }
    }

    /** The history's lines, oldest first; none when no job has run yet. */
    public List<JsonNode> read() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Override
    public String toString() {
        return "history " + file;
    }
}
