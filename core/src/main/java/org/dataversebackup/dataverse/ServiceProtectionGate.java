package org.dataversebackup.dataverse;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one user to one Dataverse environment, held back together while Dataverse
 * throttles that user. Service protection limits count per user, not per thread: once one request
 * is answered 429, the others would be refused too, and every request sent before Retry-After has
 * passed makes Dataverse extend the wait. So there is one gate per environment and user, shared by
 * every {@link DataverseClient}, route and thread of the JVM ({@link #of}):
 * <ul>
 * <li>a request waits while the gate is paused, then takes one of its concurrency permits;</li>
 * <li>a 429 pauses the gate until its Retry-After has passed (a later pause wins, an earlier one
 *     never shortens it) and halves the concurrency (of the requests under way, at least 1);
 *     after a round of answers without a 429 (as many as the concurrency) it grows by one again,
 *     up to where it started;</li>
 * <li>a request gives up only when throttling would hold it back for longer than its
 *     {@code maxThrottleWait} in total.</li>
 * </ul>
 * A pause is logged once, whichever thread's request caused it.
 */
public final class ServiceProtectionGate {
    /** Dataverse's limit of concurrent requests per user ("52 or higher"): where the concurrency starts. */
    public static final int DATAVERSE_CONCURRENT_REQUESTS = 52;

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProtectionGate.class);
    private static final Map<String, ServiceProtectionGate> SHARED = new ConcurrentHashMap<>();

    private final String name;
    private final int startConcurrency;
    private final LongSupplier nanoTime;
    private final DataverseClient.Sleeper sleeper;

    // guarded by this
    private int concurrency;
    private int inFlight;
    private int answersSinceChange;
    /** When the current pause ends ({@link #nanoTime}); in the past when there is none. */
    private long pausedUntil;
    /** The error code of the 429 that set {@link #pausedUntil}. */
    private String pauseCode = "";
    /** Pauses begun so far: a 429 to a request sent before the latest one began belongs to it. */
    private int pauses;
    /** Pauses begun per limit ({@link #limitName}), in the order first seen: what bounded the run. */
    private final Map<String, Integer> pausesByLimit = new LinkedHashMap<>();
    /** The lowest concurrency the gate came down to. */
    private int lowestConcurrency;

    ServiceProtectionGate(String name, int startConcurrency, LongSupplier nanoTime, DataverseClient.Sleeper sleeper) {
        if (startConcurrency < 1) {
            throw new IllegalArgumentException("startConcurrency must be at least 1");
        }
        this.name = name;
        this.startConcurrency = startConcurrency;
        this.concurrency = startConcurrency;
        this.lowestConcurrency = startConcurrency;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.pausedUntil = nanoTime.getAsLong();
    }

    /**
     * The gate of one user on one environment, the same for every caller in the JVM.
     *
     * @param environmentUrl the environment, e.g. {@code https://contoso.crm.dynamics.com}
     * @param user           who the access tokens are issued to, e.g. "application &lt;client id&gt;"
     *                       or "user &lt;user name&gt;": Dataverse counts its limits per user
     */
    public static ServiceProtectionGate of(URI environmentUrl, String user) {
        String environment = environmentUrl.toString().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
        return SHARED.computeIfAbsent(environment + " as " + user,
                key -> new ServiceProtectionGate(key, DATAVERSE_CONCURRENT_REQUESTS, System::nanoTime,
                        DataverseClient.Sleeper.REAL));
    }

    /** A gate for one client alone (a client built without one). */
    static ServiceProtectionGate unshared(URI environmentUrl, DataverseClient.Sleeper sleeper) {
        return new ServiceProtectionGate(environmentUrl + " (one client)", DATAVERSE_CONCURRENT_REQUESTS, System::nanoTime,
                sleeper);
    }

    /**
     * How busy the gate is, to send a request where there is room: the requests under way against
     * how many may be ({@code 0} idle, {@code 1} full), above 1 while paused (the longer, the more).
     */
    synchronized double load() {
        long pauseLeft = pausedUntil - nanoTime.getAsLong();
        if (pauseLeft > 0) {
            return 1.0 + pauseLeft / 1e9;
        }
        return (double) inFlight / concurrency;
    }

    /** How many requests may be under way at once now. */
    synchronized int concurrency() {
        return concurrency;
    }

    /**
     * The service protection limit that bounded this user's requests so far, for a run's log and
     * summary: "limited by &lt;user&gt;'s number of concurrent requests (3 pauses, down to 4 at once)",
     * the limit with the most pauses (the first seen on a tie); empty while Dataverse never throttled.
     */
    public synchronized Optional<String> limitedBy() {
        return pausesByLimit.entrySet().stream()
                .max(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
                .map(limit -> {
                    int all = pausesByLimit.values().stream().mapToInt(Integer::intValue).sum();
                    return "limited by " + name + "'s " + limit.getKey() + " (" + all + (all == 1 ? " pause" : " pauses")
                            + ", down to " + lowestConcurrency + " at once)";
                });
    }

    /** Pauses begun so far per limit: mark a run's start with it, for {@link #limitedBySince}. */
    public synchronized Map<String, Integer> pausesByLimit() {
        return new LinkedHashMap<>(pausesByLimit);
    }

    /**
     * The limit that bounded this user's requests since {@code before} ({@link #pausesByLimit} at a
     * run's start): "limited by &lt;user&gt;'s number of requests (2 pauses)", the gate being shared by
     * every run of the JVM; empty when Dataverse did not throttle since.
     */
    public synchronized Optional<String> limitedBySince(Map<String, Integer> before) {
        Map<String, Integer> since = new LinkedHashMap<>();
        pausesByLimit.forEach((limit, count) -> {
            int more = count - before.getOrDefault(limit, 0);
            if (more > 0) {
                since.put(limit, more);
            }
        });
        int all = since.values().stream().mapToInt(Integer::intValue).sum();
        return since.entrySet().stream()
                .max(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
                .map(limit -> "limited by " + name + "'s " + limit.getKey() + " (" + all + (all == 1 ? " pause" : " pauses") + ")");
    }

    /** One request, sent once or several times, and how long throttling has held it back. */
    Request request(String description, Duration maxThrottleWait) {
        return new Request(description, maxThrottleWait);
    }

    final class Request {
        private final String description;
        private final Duration maxThrottleWait;
        /** When throttling first held this request back (a pause or its own 429); guarded by the gate. */
        private Long throttledSince;

        private Request(String description, Duration maxThrottleWait) {
            this.description = description;
            this.maxThrottleWait = maxThrottleWait;
        }

        /**
         * Waits while the gate is paused, then takes a concurrency permit: close it when the
         * answer is in.
         *
         * @throws DataverseException when the pause would hold this request back beyond its
         *                            {@code maxThrottleWait} in total
         */
        Permit enter() throws InterruptedException {
            ServiceProtectionGate gate = ServiceProtectionGate.this;
            while (true) {
                Duration pause;
                synchronized (gate) {
                    long now = nanoTime.getAsLong();
                    long pauseLeft = pausedUntil - now;
                    if (pauseLeft <= 0) {
                        if (inFlight < concurrency) {
                            inFlight++;
                            return new Permit(this, pauses);
                        }
                        gate.wait(); // until a permit is returned or the concurrency grows
                        continue;
                    }
                    heldBackUntil(now, pauseLeft);
                    pause = Duration.ofNanos(pauseLeft);
                }
                sleeper.sleep(pause);
            }
        }

        /** Counts throttling from now on (if not yet); gives up if waiting {@code waitNanos} more would exceed the limit. */
        private void heldBackUntil(long now, long waitNanos) {
            if (throttledSince == null) {
                throttledSince = now;
            }
            Duration waited = Duration.ofNanos(now - throttledSince);
            Duration more = Duration.ofNanos(waitNanos);
            if (waited.plus(more).compareTo(maxThrottleWait) > 0) {
                String limit = "Dataverse's service protection limit on the " + limitName(pauseCode);
                throw new DataverseException(description, 429, pauseCode, waited.isZero()
                        ? limit + " asks to wait " + readable(more) + " (Retry-After), longer than retry.max-throttle-wait ("
                                + readable(maxThrottleWait) + ")"
                        : limit + " has held this request back for " + readable(waited) + " and asks to wait "
                                + readable(more) + " more (Retry-After): in all longer than retry.max-throttle-wait ("
                                + readable(maxThrottleWait) + ")");
            }
        }
    }

    /**
     * Operations inside an answered request (parts of a {@code $batch}) were refused 429: every
     * request of this user waits until {@code retryAfter} has passed, as after a 429 to a request.
     * The caller bounds how long it keeps sending them again.
     */
    void throttledInside(String description, Duration retryAfter, String code) {
        synchronized (this) {
            boolean newPause = pausedUntil - nanoTime.getAsLong() <= 0;
            pause(retryAfter, code, newPause, description);
        }
    }

    /** Pauses the gate until {@code retryAfter} from now (never shortening a pause); a new pause halves the concurrency. */
    private void pause(Duration retryAfter, String code, boolean newPause, String description) {
        long now = nanoTime.getAsLong();
        long until = now + retryAfter.toNanos();
        if (until - pausedUntil > 0) {
            pausedUntil = until;
            pauseCode = code == null ? "" : code;
        }
        answersSinceChange = 0;
        if (newPause) {
            // sent after the latest pause began: Dataverse throttles again, so fewer requests at once
            pauses++;
            concurrency = Math.max(1, Math.min(concurrency, Math.max(inFlight, 1)) / 2);
            lowestConcurrency = Math.min(lowestConcurrency, concurrency);
            pausesByLimit.merge(limitName(code), 1, Integer::sum);
            LOG.warn("Dataverse throttles {}: service protection limit on the {}{}; every request waits {}"
                    + " as Retry-After asks, then at most {} at a time ({} under way)", name, limitName(code),
                    code == null || code.isEmpty() ? "" : " (" + code + ")", readable(retryAfter), concurrency, inFlight);
        } else {
            // sent before the pause began: the same throttling, answered to a request already under way
            LOG.debug("Dataverse throttles {} ({}): Retry-After {} for {}", name, code, readable(retryAfter), description);
        }
    }

    /** A request under way: one of the gate's concurrency permits. */
    final class Permit implements AutoCloseable {
        private final Request request;
        private final int pausesAtEntry;
        private boolean open = true;

        private Permit(Request request, int pausesAtEntry) {
            this.request = request;
            this.pausesAtEntry = pausesAtEntry;
        }

        /** Answered without a 429: after a round of these, the concurrency grows again. */
        void answered() {
            synchronized (ServiceProtectionGate.this) {
                if (concurrency < startConcurrency && ++answersSinceChange >= concurrency) {
                    concurrency++;
                    answersSinceChange = 0;
                    LOG.debug("Dataverse answers {} without throttling: up to {} requests at once", name, concurrency);
                    ServiceProtectionGate.this.notifyAll();
                }
            }
        }

        /**
         * Answered 429: every request of this user waits until {@code retryAfter} has passed.
         *
         * @param code the Web API error code, naming the limit (e.g. {@code 0x80072322})
         * @throws DataverseException when that wait would hold this request back beyond its
         *                            {@code maxThrottleWait} in total
         */
        void throttled(Duration retryAfter, String code) {
            synchronized (ServiceProtectionGate.this) {
                pause(retryAfter, code, pausesAtEntry == pauses, request.description);
                long now = nanoTime.getAsLong();
                request.heldBackUntil(now, pausedUntil - now);
            }
        }

        /** Returns the permit (once). */
        @Override
        public void close() {
            synchronized (ServiceProtectionGate.this) {
                if (open) {
                    open = false;
                    inFlight--;
                    ServiceProtectionGate.this.notifyAll();
                }
            }
        }
    }

    /** The limit a service protection error code stands for, as Microsoft documents them. */
    static String limitName(String code) {
        return switch (code == null ? "" : code.toLowerCase(Locale.ROOT)) {
            case "0x80072322" -> "number of requests";
            case "0x80072321" -> "combined execution time";
            case "0x80072326" -> "number of concurrent requests";
            default -> "requests of this user";
        };
    }

    /** "850 ms", "12 s", "4 min 10 s", "2 h 5 min". */
    static String readable(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + " ms";
        }
        long seconds = (duration.toMillis() + 999) / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        long minutes = (seconds + 59) / 60;
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
}
