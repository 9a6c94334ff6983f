package org.dataversebackup.restore;

import org.dataversebackup.snapshot.OwnerOnly;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.dataversebackup.config.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The journal of a restore: which rows and N:N links this restore sent a create for, and what the
 * answers said. It lets the same request, run again after a crash, a kill -9 or a failure, tell
 * the rows it created itself (counted as created; their deferred lookups, states and links are
 * still written) from rows someone else created (reported "exists", as always).
 *
 * <p>It lives in the restore's own folder of {@code restore.work-dir}, named by its
 * {@link RestoreKey}:
 *
 * <pre>
 * &lt;restore.work-dir&gt;/&lt;key&gt;/
 *   request.json            what was asked (for people)
 *   lock                    held while an attempt runs: the same restore never runs twice at once
 *   attempts.ndjson         the attempts that journaled something: restoreId, startedAt
 *   journal/&lt;table&gt;.ndjson  {"id":...,"state":"sent"} before a create goes out, then "created" or "not-created"
 *   &lt;restoreId&gt;/            this attempt's verified copies of the parts, its deferred rows, the indexes
 * </pre>
 *
 * The journal files are append-only and flushed for every chunk, the "sent" lines before the
 * request leaves: a kill -9 loses at most answers in flight, never a create that was sent. When the
 * restore finishes cleanly the whole folder is deleted; otherwise the journal stays for the next
 * attempt (the attempt's own folder is always deleted).
 *
 * <p>A dry run writes nothing and has no journal ({@link #none}).
 */
public final class RestoreJournal {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreJournal.class);
    private static final String JOURNAL = "journal";
    private static final String ATTEMPTS = "attempts.ndjson";

    /** An attempt of the restore, as attempts.ndjson records it. */
    public record Attempt(String restoreId, String startedAt) {
    }

    private final Path folder;
    private final Path attemptDir;
    private final String restoreId;
    private final Instant startedAt;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Attempt> earlier;
    private final Map<String, JournalIndex> before;
    private final Map<String, BufferedWriter> writers = new HashMap<>();
    private boolean attemptRecorded;

    private RestoreJournal(Path folder, Path attemptDir, String restoreId, Instant startedAt, FileChannel lockChannel,
            FileLock lock, List<Attempt> earlier, Map<String, JournalIndex> before) {
        this.folder = folder;
        this.attemptDir = attemptDir;
        this.restoreId = restoreId;
        this.startedAt = startedAt;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.earlier = earlier;
        this.before = before;
    }

    /** No journal (a dry run): only a work folder of its own, {@code <workDir>/<restoreId>}. */
    static RestoreJournal none(Path workDir, String restoreId) {
        return new RestoreJournal(null, workDir.resolve(restoreId), restoreId, Instant.now(), null, null, List.of(), Map.of());
    }

    /**
     * Opens (or starts) the journal of this restore and locks it.
     *
     * @throws ConfigurationException when the same restore is running (another process, or this one)
     */
    static RestoreJournal open(Path workDir, RestoreKey key, String restoreId, Instant startedAt) {
        Path folder = workDir.resolve(key.folderName()).toAbsolutePath();
        FileChannel channel = null;
        try {
            Files.createDirectories(folder);
            OwnerOnly.folder(folder); // which rows were sent, local copies of the parts: the service's account only
            channel = FileChannel.open(folder.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                throw new ConfigurationException("The same restore (snapshot " + key.description().get("snapshotId") + " into "
                        + key.description().get("targetUrl") + ", mode " + key.description().get("mode") + ", the same selection)"
                        + " is already running: its journal " + folder + " is locked. Wait for it to finish; running the same"
                        + " request afterwards resumes it if it did not finish cleanly.");
            }
            Files.write(folder.resolve("request.json"), RestoreJson.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(key.description()));
            removeEarlierAttemptFolders(folder);
            List<Attempt> earlier = readAttempts(folder.resolve(ATTEMPTS));
            Path attemptDir = folder.resolve(restoreId);
            Map<String, JournalIndex> before = indexEarlierEntries(folder.resolve(JOURNAL), attemptDir.resolve("index"));
            RestoreJournal journal = new RestoreJournal(folder, attemptDir, restoreId, startedAt, channel, lock, earlier, before);
            if (!before.isEmpty()) {
                LOG.info("Restore {} resumes restore {} (started {}): its journal {} lists {} rows and links", restoreId,
                        earlier.isEmpty() ? "?" : earlier.get(earlier.size() - 1).restoreId(),
                        earlier.isEmpty() ? "?" : earlier.get(earlier.size() - 1).startedAt(), folder,
                        before.values().stream().mapToLong(JournalIndex::size).sum());
            }
            return journal;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot open the restore journal in " + folder + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** This attempt's own work folder: verified copies of the parts, the deferred rows. */
    public Path attemptDir() {
        return attemptDir;
    }

    /** The restore's folder, or null without a journal (a dry run). */
    public Path folder() {
        return folder;
    }

    /** The last attempt before this one that journaled something, if any: what this attempt resumes. */
    public Optional<Attempt> previousAttempt() {
        return earlier.isEmpty() ? Optional.empty() : Optional.of(earlier.get(earlier.size() - 1));
    }

    /** How many attempts journaled something before this one. */
    public int earlierAttempts() {
        return earlier.size();
    }

    /** What the earlier attempts journaled for a row or link. */
    enum Earlier {
        /** Not journaled: never sent by this restore. */
        NOT_SENT,
        /** Sent, never answered (the answer was lost, or the attempt stopped): it may or may not have been applied. */
        SENT,
        /** Sent and answered: this restore created it. */
        CREATED,
        /** Sent and answered: refused, or someone else's. */
        NOT_CREATED
    }

    /** What an earlier attempt of this restore journaled for this row (or link) of this table. */
    Earlier earlier(String table, String id) {
        JournalIndex index = before.get(table);
        byte state = index == null ? 0 : index.state(id);
        return switch (state) {
            case JournalIndex.SENT -> Earlier.SENT;
            case JournalIndex.CREATED -> Earlier.CREATED;
            case JournalIndex.NOT_CREATED -> Earlier.NOT_CREATED;
            default -> Earlier.NOT_SENT;
        };
    }

    /** Journals creates about to be sent (flushed before they are). */
    void sent(String table, Collection<String> ids) {
        append(table, ids, "sent", List.of(), null);
    }

    /** Journals the answers: the rows (or links) created, and those this restore did not create. */
    void answered(String table, Collection<String> created, Collection<String> notCreated) {
        append(table, created, "created", notCreated, "not-created");
    }

    private synchronized void append(String table, Collection<String> ids, String state, Collection<String> otherIds,
            String otherState) {
        if (folder == null || (ids.isEmpty() && otherIds.isEmpty())) {
            return;
        }
        try {
            recordAttempt();
            BufferedWriter writer = writer(table);
            for (String id : ids) {
                writer.write(line(id, state));
            }
            for (String id : otherIds) {
                writer.write(line(id, otherState));
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the restore journal " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String line(String id, String state) throws IOException {
        ObjectNode line = RestoreJson.MAPPER.createObjectNode();
        line.put("id", id);
        line.put("state", state);
        return RestoreJson.MAPPER.writeValueAsString(line) + "\n";
    }

    /** attempts.ndjson lists the attempts that journaled something: the first entry records this one. */
    private void recordAttempt() throws IOException {
        if (attemptRecorded) {
            return;
        }
        ObjectNode line = RestoreJson.MAPPER.createObjectNode();
        line.put("restoreId", restoreId);
        line.put("startedAt", startedAt.toString());
        appendLine(folder.resolve(ATTEMPTS), RestoreJson.MAPPER.writeValueAsString(line));
        attemptRecorded = true;
    }

    private BufferedWriter writer(String table) throws IOException {
        BufferedWriter writer = writers.get(table);
        if (writer == null) {
            Path file = folder.resolve(JOURNAL).resolve(table + ".ndjson");
            Files.createDirectories(file.getParent());
            endWithNewLine(file);
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            writers.put(table, writer);
        }
        return writer;
    }

    /**
     * Ends the attempt: deletes its own folder; deletes the whole restore folder, journal included,
     * when the restore finished cleanly (or nothing was ever journaled), else keeps the journal for
     * the same request to resume it. Releases the lock.
     */
    synchronized void close(boolean finishedCleanly) {
        before.values().forEach(JournalIndex::close);
        for (BufferedWriter writer : writers.values()) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // flushed after every chunk
            }
        }
        writers.clear();
        SnapshotReader.deleteRecursively(attemptDir);
        if (folder == null) {
            return;
        }
        boolean somethingToResume = attemptRecorded || !earlier.isEmpty();
        try {
            if (finishedCleanly || !somethingToResume) {
                SnapshotReader.deleteRecursively(folder); // the lock file too: the lock is held until the channel closes
            } else {
                LOG.warn("Restore {} did not finish cleanly: its journal stays in {}; running the same request again resumes it"
                        + " (rows it created count as created, their lookups, states and links are written)", restoreId, folder);
            }
        } finally {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
            closeQuietly(lockChannel);
        }
    }

    private static void removeEarlierAttemptFolders(Path folder) throws IOException {
        // the folders of attempts that were killed (kill -9 runs no clean-up): copies of parts, deferred rows
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                if (!child.getFileName().toString().equals(JOURNAL)) {
                    SnapshotReader.deleteRecursively(child);
                }
            }
        }
    }

    private static List<Attempt> readAttempts(Path file) throws IOException {
        List<Attempt> attempts = new ArrayList<>();
        if (!Files.exists(file)) {
            return attempts;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                JsonNode json = RestoreJson.MAPPER.readTree(line);
                if (json != null && json.hasNonNull("restoreId")) {
                    attempts.add(new Attempt(json.path("restoreId").asText(), json.path("startedAt").asText()));
                }
            } catch (IOException cutShort) {
                // the last line of an attempt killed while writing it
            }
        }
        return attempts;
    }

    private static Map<String, JournalIndex> indexEarlierEntries(Path journal, Path indexes) throws IOException {
        Map<String, JournalIndex> byTable = new HashMap<>();
        if (!Files.isDirectory(journal)) {
            return byTable;
        }
        try (Stream<Path> files = Files.list(journal)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).sorted().toList()) {
                String table = file.getFileName().toString().replaceFirst("\\.ndjson$", "");
                byTable.put(table, JournalIndex.build(file, indexes.resolve(table + ".idx")));
            }
        }
        return byTable;
    }

    private static void appendLine(Path file, String line) throws IOException {
        endWithNewLine(file);
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** A file whose last line was cut short (kill -9 while writing it) gets its end of line, so what follows is a line of its own. */
    private static void endWithNewLine(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            if (raf.read() != '\n') {
                raf.write('\n');
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
