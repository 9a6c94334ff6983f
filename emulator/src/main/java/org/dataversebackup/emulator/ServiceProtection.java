package org.dataversebackup.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dataverse's service protection limits per user: requests in a sliding window, the combined
 * execution time of the requests in that window (1,200 s per 300 s, scaled to the window; the time
 * a request spends in the emulator, injected latency included) and concurrent requests. Exceeding
 * one answers 429 with Retry-After and the documented codes (0x80072322 requests, 0x80072321
 * execution time, 0x80072326 concurrency). Once the number of requests is exceeded, every
 * request is refused until Retry-After has passed, and each request sent meanwhile extends that
 * wait (as Microsoft documents: "If the application continues to send such demanding requests,
 * the duration will be extended").
 */
final class ServiceProtection {
    private volatile int requestsPerWindow;
    private volatile Duration window;
    private volatile int concurrentRequests;
    /** The combined execution time allowed per window; null: Dataverse's 1,200 s per 300 s, scaled to the window. */
    private volatile Duration executionTime;
    private final Map<UUID, UserCounters> counters = new ConcurrentHashMap<>();

    ServiceProtection(int requestsPerWindow, Duration window, int concurrentRequests) {
        configure(requestsPerWindow, window, concurrentRequests);
    }

    /** New limits; a wait in progress ends (tests lift the limits to check what was written). */
    void configure(int requestsPerWindow, Duration window, int concurrentRequests) {
        this.requestsPerWindow = requestsPerWindow;
        this.window = window;
        this.concurrentRequests = concurrentRequests;
        for (UserCounters c : counters.values()) {
            synchronized (c) {
                c.blocked = false;
            }
        }
    }

    /** The combined execution time allowed per window, instead of Dataverse's 1,200 s per 300 s scaled to the window. */
    void executionTime(Duration perWindow) {
        this.executionTime = perWindow;
    }

    private long executionBudgetNanos() {
        Duration budget = executionTime;
        return budget != null ? budget.toNanos() : Duration.ofSeconds(1_200).toNanos() / 300_000L * window.toMillis();
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
        /** Refusing every request until {@link #blockedUntil} (System.nanoTime), after exceeding the number of requests. */
        boolean blocked;
        long blockedUntil;
        long executionNanos;
        final ArrayDeque<long[]> executions = new ArrayDeque<>();
        /** What tests read through {@link DataverseEmulator#userStatistics()}. */
        int maxInFlight;
        long granted;
        long throttled;
    }

    /** Per user (systemuserid): the most requests under way at once, requests let through, requests answered 429. */
    Map<UUID, UserStatistics> statistics() {
        Map<UUID, UserStatistics> all = new java.util.TreeMap<>();
        counters.forEach((user, c) -> {
            synchronized (c) {
                all.put(user, new UserStatistics(c.maxInFlight, c.granted, c.throttled));
            }
        });
        return all;
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
            if (c.blocked && nowNanos - c.blockedUntil < 0) {
                // sent before Retry-After has passed: refused, and the wait grows by one request's share of the window
                c.blockedUntil += windowNanos / Math.max(1, requestsPerWindow);
                c.throttled++;
                throw tooManyRequests(c.blockedUntil - nowNanos);
            }
            c.blocked = false;
            if (c.inFlight >= concurrentRequests) {
                c.throttled++;
                throw new ApiError(429, "0x80072326", "Number of concurrent requests exceeded the limit of "
                        + concurrentRequests + ".").header("Retry-After", "1");
            }
            long budget = executionBudgetNanos();
            if (c.executionNanos >= budget && !c.executions.isEmpty()) {
                // until enough of the time spent has left the window
                long spent = c.executionNanos;
                long until = nowNanos;
                for (long[] execution : c.executions) {
                    spent -= execution[1];
                    until = execution[0] + windowNanos;
                    if (spent < budget) {
                        break;
                    }
                }
                c.throttled++;
                long seconds = Math.max(1, (until - nowNanos + 999_999_999L) / 1_000_000_000L);
                throw new ApiError(429, "0x80072321", "Combined execution time of incoming requests exceeded limit of "
                        + String.format(Locale.ROOT, "%,d", budget / 1_000_000L) + " milliseconds over time window of "
                        + window.toSeconds() + " seconds. Decrease number of concurrent requests or reduce the duration of"
                        + " requests and try again later.").header("Retry-After", Long.toString(seconds));
            }
            if (c.times.size() >= requestsPerWindow) {
                c.blocked = true;
                c.blockedUntil = c.times.peekFirst() + windowNanos;
                c.throttled++;
                throw tooManyRequests(c.blockedUntil - nowNanos);
            }
            c.times.addLast(nowNanos);
            c.inFlight++;
            c.maxInFlight = Math.max(c.maxInFlight, c.inFlight);
            c.granted++;
            return new Ticket(c, requestsPerWindow - c.times.size(),
                    Math.max(0, (budget - c.executionNanos) / 1_000_000L));
        }
    }

    private ApiError tooManyRequests(long waitNanos) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        return new ApiError(429, "0x80072322", "Number of requests exceeded the limit of " + requestsPerWindow
                + " over time window of " + window.toSeconds() + " seconds.")
                .header("Retry-After", Long.toString(seconds));
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
