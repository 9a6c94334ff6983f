package org.dataversebackup.restore;

import org.dataversebackup.snapshot.OwnerOnly;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A file of rows, one JSON object per line, created on the first entry; thread-safe. The failures
 * file lists every record or link the target rejected, and every row reported but not written
 * (create mode: exists; update mode: missing): {@code {"table","id","outcome","status","code","message"[,"pass"]}};
 * the same kind of file lists the rows a restore with deletes deleted, and a dry run's plan
 * ({@link #listed}).
 */
public final class FailureLog implements AutoCloseable {
    private static final ObjectMapper JSON = RestoreJson.MAPPER;

    private final Path file;
    private final AtomicLong entries = new AtomicLong();
    private BufferedWriter writer;

    public FailureLog(Path file) {
        this.file = file;
    }

    /**
     * @param outcome {@code failed}, {@code exists} or {@code missing}
     * @param status  the HTTP status, or 0 when no request was sent or no answer came
     * @param pass    {@code first}, {@code second} (deferred lookups) or {@code links}
     */
    public void add(String table, String id, String outcome, int status, String code, String message, String pass) {
        ObjectNode line = JSON.createObjectNode();
        line.put("table", table);
        line.put("id", id);
        line.put("outcome", outcome);
        if (status > 0) {
            line.put("status", status);
        } else {
            line.putNull("status");
        }
        line.put("code", code == null ? "" : code);
        line.put("message", message == null ? "" : message);
        line.put("pass", pass);
        write(line);
    }

    private void write(ObjectNode line) {
        synchronized (this) {
            try {
                if (writer == null) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    OwnerOnly.file(file); // rows and Dataverse's messages about them: the service's account only
                }
                writer.write(JSON.writeValueAsString(line));
                writer.write('\n');
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
            }
        }
        entries.incrementAndGet();
    }

    /**
     * A row listed, not failed: {@code {"table","id","outcome","name"}} (a dry run's plan: what it
     * would create or update, with the row's primary name).
     */
    public void listed(String table, String id, String outcome, String name) {
        ObjectNode line = JSON.createObjectNode();
        line.put("table", table);
        line.put("id", id);
        line.put("outcome", outcome);
        line.put("name", name == null ? "" : name);
        write(line);
    }

    /** The file, or null when nothing was written to it. */
    public Path file() {
        return entries.get() == 0 ? null : file;
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // flushed after every line
            }
        }
    }
}
