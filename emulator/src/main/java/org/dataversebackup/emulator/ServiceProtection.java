package org.dataversebackup.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dataverse's service protection limits per user: requests in a sliding window and concurrent
 * requests. Exceeding either answers 429 with Retry-After and the documented codes
 * (0x80072322 requests, 0x80072326 concurrency).
 */
final class ServiceProtection {
    private volatile int requestsPerWindow;
    private volatile Duration window;
    private volatile int concurrentRequests;
    private final Map<UUID, UserCounters> counters = new ConcurrentHashMap<>();

    ServiceProtection(int requestsPerWindow, Duration window, int concurrentRequests) {
        configure(requestsPerWindow, window, concurrentRequests);
    }

    void configure(int requestsPerWindow, Duration window, int concurrentRequests) {
        this.requestsPerWindow = requestsPerWindow;
        this.window = window;
        this.concurrentRequests = concurrentRequests;
    }

    int requestsPerWindow() {
        return requestsPerWindow;
    }

    Duration window() {
        return window;
    }

    int concurrentRequests() {
        return concurrentRequests;
    }

    static final class UserCounters {
        final ArrayDeque<Long> times = new ArrayDeque<>();
        int inFlight;
        long executionNanos;
        final ArrayDeque<long[]> executions = new ArrayDeque<>();
    }

    /** A granted request: remaining burst; release it when the request is done. */
    record Ticket(UserCounters counters, int remaining, long remainingExecutionMillis) {
    }

    Ticket enter(UUID user, long nowNanos) {
        UserCounters c = counters.computeIfAbsent(user, k -> new UserCounters());
        synchronized (c) {
            long windowNanos = window.toNanos();
            while (!c.times.isEmpty() && c.times.peekFirst() <= nowNanos - windowNanos) {
                c.times.pollFirst();
            }
            while (!c.executions.isEmpty() && c.executions.peekFirst()[0] <= nowNanos - windowNanos) {
                c.executionNanos -= c.executions.pollFirst()[1];
            }
            if (c.inFlight >= concurrentRequests) {
                throw new ApiError(429, "0x80072326", "Number of concurrent requests exceeded the limit of "
                        + concurrentRequests + ".").header("Retry-After", "1");
            }
            if (c.times.size() >= requestsPerWindow) {
                long oldest = c.times.peekFirst();
                long waitNanos = oldest + windowNanos - nowNanos;
                long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
                throw new ApiError(429, "0x80072322", "Number of requests exceeded the limit of " + requestsPerWindow
                        + " over time window of " + window.toSeconds() + " seconds.")
                        .header("Retry-After", Long.toString(seconds));
            }
            c.times.addLast(nowNanos);
            c.inFlight++;
            long budgetMillis = 1_200_000L * window.toMillis() / 300_000L;
            return new Ticket(c, requestsPerWindow - c.times.size(),
                    Math.max(0, budgetMillis - c.executionNanos / 1_000_000L));
        }
    }

    void exit(Ticket ticket, long startNanos, long endNanos) {
        UserCounters c = ticket.counters();
        synchronized (c) {
            c.inFlight--;
            long spent = endNanos - startNanos;
            c.executionNanos += spent;
            c.executions.addLast(new long[] {endNanos, spent});
        }
    }
}
