package org.dataversebackup.restore;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The keys of the inbox requests that ran successfully, kept per inbox folder in
 * {@code <inbox>/.processed-requests} (or all in {@code restore.inbox-repository} when set):
 * Camel's file-based idempotent repository, so they survive restarts. One bean serves every
 * inbox of every environment: a key is {@code <inbox folder>|<request key>}
 * ({@link RestoreInbox#accept}), and the folder picks the file.
 *
 * <p>A file is opened on the first request of its inbox: Camel initialises the inbox route's
 * processors even when the route does not start (one-shot commands), and the file repository
 * creates its file then; opening it only when a request arrives keeps those commands from writing
 * anything.
 */
public final class InboxRepository extends ServiceSupport implements IdempotentRepository {
    /** Separates the inbox folder from the request's own key. */
    public static final char FOLDER_SEPARATOR = '|';
    private static final String FILE_NAME = ".processed-requests";

    private final Optional<Path> sharedFile;
    private final Map<Path, FileIdempotentRepository> byFile = new ConcurrentHashMap<>();

    /** @param sharedFile {@code restore.inbox-repository}: one file for every inbox; empty = one per inbox */
    public InboxRepository(Optional<Path> sharedFile) {
        this.sharedFile = sharedFile;
    }

    /** The key of a request found in an inbox folder. */
    public static String key(Path inbox, String requestKey) {
        return inbox.toAbsolutePath().normalize() + String.valueOf(FOLDER_SEPARATOR) + requestKey;
    }

    private FileIdempotentRepository repository(String key) {
        int separator = key.lastIndexOf(FOLDER_SEPARATOR);
        if (separator < 0 && sharedFile.isEmpty()) {
            throw new IllegalArgumentException("An inbox key names its folder: <folder>|<key>, not " + key);
        }
        Path file = sharedFile.orElseGet(() -> Path.of(key.substring(0, separator)).resolve(FILE_NAME)).toAbsolutePath();
        return byFile.computeIfAbsent(file, f -> {
            FileIdempotentRepository repository = (FileIdempotentRepository) FileIdempotentRepository
                    .fileIdempotentRepository(f.toFile(), 10_000, 16L * 1024 * 1024);
            ServiceHelper.startService(repository);
            return repository;
        });
    }

    @Override
    public boolean add(String key) {
        return repository(key).add(key);
    }

    @Override
    public boolean contains(String key) {
        return repository(key).contains(key);
    }

    @Override
    public boolean remove(String key) {
        return repository(key).remove(key);
    }

    @Override
    public boolean confirm(String key) {
        return repository(key).confirm(key);
    }

    @Override
    public void clear() {
        byFile.values().forEach(FileIdempotentRepository::clear);
    }

    @Override
    protected void doStop() {
        byFile.values().forEach(ServiceHelper::stopService);
        byFile.clear();
    }
}
