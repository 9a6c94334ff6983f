package org.dataversebackup.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.snapshot.OwnerOnly;
import org.dataversebackup.snapshot.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the restore inbox route: a request file is checked and keyed, restored through
 * {@code direct:restore}, and its result written beside where the file is moved:
 * {@code .done/<name>-<time>.json} with {@code <name>-<time>.result.json} (the report), or
 * {@code .error/<name>-<time>.json} with {@code <name>-<time>.error.txt} (the reason, and the
 * report when the restore ran).
 *
 * <p>A request is identified by the SHA-256 of its meaning ({@link RestoreRequests#meaning}): the same request dropped again is
 * not run again once it succeeded (the key is kept in {@code restore.inbox-repository}, which
 * survives restarts). A request that failed may be dropped again as is. To run a successful
 * request again, add {@code "rerun": true} to it.
 */
public class RestoreInbox {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreInbox.class);
    /** The idempotency key of the request: its inbox folder and its content's SHA-256 (unique when "rerun" is true). */
    public static final String KEY_HEADER = "dvbRestoreRequestKey";
    /** {@code <name>-<time>}: how the request file and its result are named in .done/ or .error/. */
    public static final String STEM_PROPERTY = "dvbInboxStem";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final InboxLimits limits;

    public RestoreInbox(InboxLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads and checks the request: a regular file (not a link), not empty, not larger than
     * {@code restore.max-request-bytes}, strict JSON (unknown keys are an error), a snapshot and a
     * mapping under the allowed roots. Keys it by its meaning; the body becomes the JSON request.
     */
    public String accept(Exchange exchange) {
        Message message = exchange.getMessage();
        String name = message.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setProperty(STEM_PROPERTY, stem(name) + "-" + STAMP.format(Instant.now()));
        String source = "Restore request " + name;
        String path = message.getHeader(Exchange.FILE_PATH, String.class);
        if (path != null && Files.isSymbolicLink(Path.of(path))) {
            throw new ConfigurationException(source + " is a symbolic link; a request must be a regular file in the inbox.");
        }
        Long length = message.getHeader(Exchange.FILE_LENGTH, Long.class);
        if (length != null && length > limits.maxRequestBytes()) {
            throw new ConfigurationException(String.format(java.util.Locale.ROOT, "%s is %,d bytes; a restore request is at most"
                    + " %,d bytes (restore.max-request-bytes). It was not read.", source, length, limits.maxRequestBytes()));
        }
        byte[] content = message.getBody(byte[].class);
        if (content == null || new String(content, StandardCharsets.UTF_8).isBlank()) {
            throw new ConfigurationException(source + " is empty; a request is a JSON object such as"
                    + " {\"snapshot\": \"backups/contoso/20261129T020000Z-3f2a-full\"}.");
        }
        RestoreRequest request = RestoreRequests.fromJson(content, source);
        limits.check(request, source, inboxFolder(message));
        String meaning = RestoreRequests.meaning(request);
        String key = request.rerun() ? sha256(meaning.getBytes(StandardCharsets.UTF_8)) + ":rerun:" + UUID.randomUUID()
                : sha256(meaning.getBytes(StandardCharsets.UTF_8));
        message.setHeader(KEY_HEADER, InboxRepository.key(inboxFolder(message), key));
        LOG.info("Restore request {}: snapshot {}{}", name, request.snapshot(), request.rerun() ? " (rerun)" : "");
        return new String(content, StandardCharsets.UTF_8);
    }

    private static Path inboxFolder(Message message) {
        String parent = message.getHeader(Exchange.FILE_PARENT, String.class);
        return Path.of(parent == null ? "." : parent);
    }

    /** A request that already ran successfully, dropped again without "rerun": true. */
    public void duplicate(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        throw new DuplicateRequestException("Restore request " + name + " has already run successfully (the same request was "
                + "dropped before). To run it again, add \"rerun\": true to it.");
    }

    /** A restore that ran but did not restore everything fails the request (the file goes to .error/). */
    public void checkResult(Message message) {
        if (!Boolean.TRUE.equals(message.getHeader(RestoreHeaders.OK, Boolean.class))) {
            throw new RestoreIncompleteException("The restore " + message.getHeader(RestoreHeaders.RESTORE_ID) + " finished, but "
                    + message.getHeader(RestoreHeaders.FAILED) + " records, links or tables failed: see "
                    + message.getHeader(RestoreHeaders.FAILURES_FILE, "the report", String.class));
        }
    }

    /** Writes the report beside the request in .done/. */
    public void done(Exchange exchange) throws IOException {
        Path folder = folder(exchange, ".done");
        Path report = folder.resolve(exchange.getProperty(STEM_PROPERTY, String.class) + ".result.json");
        Files.writeString(report, exchange.getMessage().getBody(String.class), StandardCharsets.UTF_8);
        OwnerOnly.file(report);
        LOG.info("Restore request {} done: report {}", exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY), report);
    }

    /**
     * Writes why the request failed (and the report, when the restore ran) beside it in .error/,
     * then fails the exchange again so the file is moved there.
     */
    public void failed(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String stem = exchange.getProperty(STEM_PROPERTY, String.class);
        if (stem == null) {
            stem = stem(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class)) + "-" + STAMP.format(Instant.now());
            exchange.setProperty(STEM_PROPERTY, stem);
        }
        Path folder = folder(exchange, ".error");
        String reason = reason(cause);
        Files.writeString(folder.resolve(stem + ".error.txt"), reason + System.lineSeparator(), StandardCharsets.UTF_8);
        OwnerOnly.file(folder.resolve(stem + ".error.txt"));
        String report = exchange.getMessage().getBody(String.class);
        if (cause instanceof RestoreIncompleteException && report != null && report.trim().startsWith("{")) {
            Files.writeString(folder.resolve(stem + ".result.json"), report, StandardCharsets.UTF_8);
            OwnerOnly.file(folder.resolve(stem + ".result.json"));
        }
        LOG.error("Restore request {} failed: {}", exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY), reason);
        throw cause != null ? cause : new IllegalStateException(reason);
    }

    private static String reason(Throwable e) {
        if (e == null) {
            return "failed";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("org.dataversebackup.") && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static Path folder(Exchange exchange, String name) throws IOException {
        String parent = exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class);
        Path folder = Path.of(parent == null ? "." : parent).resolve(name);
        Files.createDirectories(folder);
        OwnerOnly.folder(folder); // reports name tables, rows and reasons: the service's account only
        return folder;
    }

    static String stem(String fileName) {
        if (fileName == null) {
            return "request";
        }
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - ".json".length()) : fileName;
    }

    static String sha256(byte[] content) {
        return Sha256.hex(content);
    }

    /** The same request ran successfully before. */
    public static class DuplicateRequestException extends RuntimeException {
        public DuplicateRequestException(String message) {
            super(message);
        }
    }

    /** The restore ran, and some records, links or tables failed. */
    public static class RestoreIncompleteException extends RuntimeException {
        public RestoreIncompleteException(String message) {
            super(message);
        }
    }
}
