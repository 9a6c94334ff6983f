package org.dataversebackup.dataverse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends write operations to the Web API, one request each or grouped into {@code $batch}
 * requests, and returns one {@link WriteResult} per operation, in order. A rejected operation is a
 * result, not an exception: the caller reports it and goes on.
 *
 * <p>Every operation must be safe to repeat (a write keyed by the row's id: upsert, update, create
 * with the primary key, associate), because the {@link DataverseClient} replays requests that got
 * no answer, and a {@code $batch} answered 429 is replayed whole. In a batch:
 * <ul>
 * <li>{@code Prefer: odata.continue-on-error}, so one rejected row does not stop the others;</li>
 * <li>parts answered 429 are sent again (in a new batch) once the user's requests may go again: the
 *     Retry-After pauses every request of the user ({@link ServiceProtectionGate}), and a row gives up
 *     only after {@code retry.max-throttle-wait}; parts answered 503 are sent again after their
 *     Retry-After or a backoff, as failed attempts;</li>
 * <li>operations a server did not execute (it stopped at the first error despite the preference)
 *     are sent again;</li>
 * <li>a batch refused as a whole (4xx other than 429, e.g. 400 or 413) is split into single
 *     requests, so each row gets its own answer.</li>
 * </ul>
 */
public class DataverseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DataverseWriter.class);
    private final DataverseClient client;
    private final DataverseClient.Sleeper sleeper;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    public DataverseWriter(DataverseClient client) {
        this(client, DataverseClient.Sleeper.REAL);
    }

    DataverseWriter(DataverseClient client, DataverseClient.Sleeper sleeper) {
        this.client = client;
        this.sleeper = sleeper;
    }

    public DataverseClient client() {
        return client;
    }

    /** Requests sent ($batch requests and single writes; the client's retries not counted). */
    public long requests() {
        return requests.get();
    }

    /** One request per operation. */
    public WriteResult single(WriteOperation operation) {
        requests.incrementAndGet();
        try {
            DataverseResponse response = client.send(operation.method(), operation.path(), operation.headers(),
                    operation.body(), true);
            return WriteResult.ok(response.status());
        } catch (DataverseException e) {
            return WriteResult.failed(e);
        }
    }

    /**
     * One row of a bulk message: its item of {@code Targets} (with {@code @odata.type}), and the same
     * write as a request of its own, sent when the row is alone after splitting a refused request.
     */
    public record BulkItem(com.fasterxml.jackson.databind.node.ObjectNode target, WriteOperation single) {
    }

    /**
     * Writes rows of one table with a bulk operation message ({@link BulkMessages#CREATE_MULTIPLE},
     * {@link BulkMessages#UPSERT_MULTIPLE}): one request for every row, one result per row, in order.
     * On a standard table such a request is all or nothing (one bad row fails it and nothing is
     * written), so a request refused with a 4xx answer is split in halves, and again, until the rows it
     * refuses are alone: each of those is sent as its own request ({@link BulkItem#single}) and gets
     * its own answer; every other row is written in the halves that pass. Finding one bad row among
     * n costs about 2·log2(n) more requests. A 429 or a server error after the client's retries fails
     * the rows of that request with it, unsplit.
     *
     * <p>Safe to send again after a lost answer: creates carry the primary key (sent again, a create is
     * refused as a duplicate instead of making a second row), upserts address the row by its key.
     *
     * @param entitySet e.g. {@code accounts}
     * @param message   the bulk message, e.g. {@code CreateMultiple}
     */
    public List<WriteResult> bulk(String entitySet, String message, List<BulkItem> items) {
        WriteResult[] results = new WriteResult[items.size()];
        if (!items.isEmpty()) {
            bulk(entitySet + "/Microsoft.Dynamics.CRM." + message, items, 0, items.size(), results);
        }
        return Arrays.asList(results);
    }

    private void bulk(String path, List<BulkItem> items, int from, int to, WriteResult[] results) {
        if (to - from == 1) {
            results[from] = single(items.get(from).single());
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ArrayNode targets = body.putArray("Targets");
        for (int i = from; i < to; i++) {
            targets.add(items.get(i).target());
        }
        requests.incrementAndGet();
        try {
            DataverseResponse response = client.send("POST", path, Map.of("Content-Type", "application/json"),
                    body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
            for (int i = from; i < to; i++) {
                results[i] = WriteResult.ok(response.status());
            }
        } catch (DataverseException e) {
            if (e.status() >= 400 && e.status() < 500 && e.status() != 429) {
                LOG.debug("POST {} of {} rows refused ({}): split in halves to find the rows refused", path, to - from,
                        e.getMessage());
                int middle = (from + to) >>> 1;
                bulk(path, items, from, middle, results);
                bulk(path, items, middle, to, results);
            } else {
                for (int i = from; i < to; i++) {
                    results[i] = WriteResult.failed(e);
                }
            }
        }
    }

    /** The operations as {@code $batch} requests of at most {@link BatchRequest#MAX_OPERATIONS}. */
    public List<WriteResult> batch(List<WriteOperation> operations) {
        List<WriteResult> results = new ArrayList<>(operations.size());
        for (int from = 0; from < operations.size(); from += BatchRequest.MAX_OPERATIONS) {
            results.addAll(batchOfAtMostMax(operations.subList(from, Math.min(operations.size(), from + BatchRequest.MAX_OPERATIONS))));
        }
        return results;
    }

    private List<WriteResult> batchOfAtMostMax(List<WriteOperation> operations) {
        WriteResult[] results = new WriteResult[operations.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            pending.add(i);
        }
        Long throttledSince = null; // when parts of this batch were first answered 429 (System.nanoTime)
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (pending.size() == 1) {
                int only = pending.get(0);
                results[only] = single(operations.get(only));
                break;
            }
            List<WriteOperation> sent = pending.stream().map(operations::get).toList();
            BatchRequest request = BatchRequest.of(sent, client.apiRoot());
            List<BatchResponse.Part> parts;
            DataverseResponse answer;
            try {
                requests.incrementAndGet();
                DataverseResponse response = client.send("POST", "$batch",
                        Map.of("Content-Type", request.contentType(), "Prefer", "odata.continue-on-error"),
                        request.body(), true);
                answer = response;
                parts = BatchResponse.parse(response.header("Content-Type").orElse(null), response.body());
            } catch (DataverseException e) {
                if (e.status() >= 400 && e.status() < 500 && e.status() != 429) {
                    LOG.debug("$batch of {} operations refused as a whole ({}): sending them one by one", sent.size(), e.getMessage());
                    for (int index : pending) {
                        results[index] = single(operations.get(index));
                    }
                } else {
                    for (int index : pending) {
                        results[index] = WriteResult.failed(e);
                    }
                }
                break;
            } catch (IllegalArgumentException unreadable) {
                // the writes may have been applied; every operation is keyed, so sending them again is safe
                LOG.warn("The $batch response could not be read ({}): sending its {} operations one by one",
                        unreadable.getMessage(), sent.size());
                for (int index : pending) {
                    results[index] = single(operations.get(index));
                }
                break;
            }
            if (parts.isEmpty()) {
                LOG.warn("The $batch response holds no answers: sending its {} operations one by one", sent.size());
                for (int index : pending) {
                    results[index] = single(operations.get(index));
                }
                break;
            }
            List<Integer> again = new ArrayList<>();
            Map<Integer, BatchResponse.Part> throttled = new java.util.LinkedHashMap<>();
            Duration throttleWait = Duration.ZERO;
            String throttleCode = "";
            Duration wait = Duration.ZERO;
            for (int k = 0; k < pending.size(); k++) {
                int index = pending.get(k);
                if (k >= parts.size()) {
                    again.add(index); // not executed: the server stopped at an earlier error
                    continue;
                }
                BatchResponse.Part part = parts.get(k);
                if (part.status() == 429) {
                    // service protection: no failed attempt; every request of the user waits (the gate)
                    again.add(index);
                    throttled.put(index, part);
                    Duration retryAfter = part.header("Retry-After").flatMap(DataverseClient::parseRetryAfter)
                            .orElse(Duration.ZERO);
                    throttleWait = retryAfter.compareTo(throttleWait) > 0 ? retryAfter : throttleWait;
                    throttleCode = part.result().code();
                } else if (part.status() == 503 && client.retryPolicy().canRetry(attempt)) {
                    // the same policy as for whole requests: Retry-After when given, else backoff
                    again.add(index);
                    Duration delay = client.retryPolicy().delay(attempt,
                            part.header("Retry-After").flatMap(DataverseClient::parseRetryAfter));
                    wait = delay.compareTo(wait) > 0 ? delay : wait;
                } else {
                    results[index] = part.result();
                }
            }
            if (!throttled.isEmpty()) {
                long now = System.nanoTime();
                throttledSince = throttledSince == null ? now : throttledSince;
                Duration held = Duration.ofNanos(now - throttledSince).plus(throttleWait);
                if (held.compareTo(client.retryPolicy().maxThrottleWait()) > 0) {
                    // throttled for longer than retry.max-throttle-wait: their 429 answers are their results
                    throttled.forEach((index, part) -> results[index] = part.result());
                    again.removeAll(throttled.keySet());
                } else {
                    client.throttledInside(answer, "POST $batch", throttleWait, throttleCode);
                    attempt--; // a 429 is no failed attempt: the next batch waits at the gate
                }
            }
            if (!again.isEmpty() && parts.size() < pending.size()) {
                LOG.debug("$batch answered {} of {} operations: sending the rest again", parts.size(), pending.size());
            }
            if (!wait.isZero()) {
                LOG.warn("{} operations of a $batch were throttled: sending them again in {} ms", again.size(), wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    DataverseException interrupted = new DataverseException("POST $batch", "interrupted", e);
                    again.forEach(index -> results[index] = WriteResult.failed(interrupted));
                    break;
                }
            }
            pending = again;
        }
        return Arrays.asList(results);
    }
}
