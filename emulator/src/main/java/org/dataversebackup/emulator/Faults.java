package org.dataversebackup.emulator;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injected latency and faults of the Web API (the token endpoint is never affected). Get it from
 * {@link DataverseEmulator#faults()}; every method returns this for chaining, and counts are
 * consumed by the requests that hit them.
 *
 * <ul>
 * <li>latency per request and per returned page (collection reads);</li>
 * <li>the next N requests answered 429 with a given Retry-After (as a service protection error);</li>
 * <li>the next N requests, optionally only for one entity set, answered 500 or 503;</li>
 * <li>the next N writes (POST, PATCH, PUT, DELETE, $batch) answered 500 or 503 before being applied;</li>
 * <li>the next N writes applied, then the connection dropped without a response;</li>
 * <li>the next write applied and its connection dropped, then requests for one entity set failing
 *     (an answer lost, and the environment still failing while the caller looks at what happened);</li>
 * <li>seeded random write failures before being applied.</li>
 * </ul>
 */
public final class Faults {
    private volatile Duration requestLatency = Duration.ZERO;
    private volatile Duration pageLatency = Duration.ZERO;
    private volatile Duration writeLatency = Duration.ZERO;
    private final AtomicInteger throttleCount = new AtomicInteger();
    private volatile Duration throttleRetryAfter = Duration.ofSeconds(1);
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Failure> writeFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropCount = new AtomicInteger();
    /** Failures that start once the next drop happened, or null. */
    private volatile Failure afterDrop;
    private volatile Random random;
    private volatile double randomProbability;
    private volatile int randomStatus;
    private final AtomicLong injected = new AtomicLong();

    private static final class Failure {
        final AtomicInteger remaining;
        final int status;
        final String entitySet;

        Failure(int count, int status, String entitySet) {
            this.remaining = new AtomicInteger(count);
            this.status = status;
            this.entitySet = entitySet;
        }
    }

    Faults() {
    }

    /** Added to every Web API request before it is handled. */
    public Faults requestLatency(Duration latency) {
        this.requestLatency = latency;
        return this;
    }

    /**
     * Time added to every write request (POST, PATCH, PUT, DELETE, $batch, the bulk actions) while it
     * is executed: what Dataverse spends writing, counted in the user's execution time.
     */
    public Faults writeLatency(Duration latency) {
        this.writeLatency = latency;
        return this;
    }

    /** Added to every page (response of a collection read), after the rows are gathered. */
    public Faults pageLatency(Duration latency) {
        this.pageLatency = latency;
        return this;
    }

    /** The next {@code count} requests are answered 429 (0x80072322) with this Retry-After. */
    public Faults throttleNext(int count, Duration retryAfter) {
        this.throttleRetryAfter = retryAfter;
        throttleCount.set(count);
        return this;
    }

    /** The next {@code count} Web API requests are answered with {@code status} (500 or 503). */
    public Faults failNext(int count, int status) {
        failures.add(new Failure(count, checkStatus(status), null));
        return this;
    }

    /** The next {@code count} requests for {@code entitySet} (e.g. "accounts") are answered with {@code status}. */
    public Faults failNext(int count, int status, String entitySet) {
        failures.add(new Failure(count, checkStatus(status), entitySet));
        return this;
    }

    /** The next {@code count} writes fail with {@code status} before anything is applied. */
    public Faults failNextWrites(int count, int status) {
        writeFailures.add(new Failure(count, checkStatus(status), null));
        return this;
    }

    /** The next {@code count} writes are applied, then the connection is closed without a response. */
    public Faults dropNextWrites(int count) {
        dropCount.set(count);
        return this;
    }

    /**
     * The next write is applied and its connection closed without a response; from then on, the next
     * {@code count} requests for {@code entitySet} are answered with {@code status} (500 or 503).
     */
    public Faults dropNextWriteThenFail(int count, int status, String entitySet) {
        afterDrop = new Failure(count, checkStatus(status), entitySet);
        dropCount.set(1);
        return this;
    }

    /** Each write fails with {@code status} before being applied with this probability; the seed makes runs repeatable. */
    public Faults randomWriteFailures(long seed, double probability, int status) {
        this.random = new Random(seed);
        this.randomProbability = probability;
        this.randomStatus = checkStatus(status);
        return this;
    }

    /** Removes every latency and pending fault. */
    public Faults clear() {
        requestLatency = Duration.ZERO;
        pageLatency = Duration.ZERO;
        writeLatency = Duration.ZERO;
        throttleCount.set(0);
        failures.clear();
        writeFailures.clear();
        dropCount.set(0);
        afterDrop = null;
        random = null;
        return this;
    }

    /** How many faults have been injected so far (429, 5xx and dropped connections). */
    public long injectedCount() {
        return injected.get();
    }

    private static int checkStatus(int status) {
        if (status < 400 || status > 599 || status == 429) {
            throw new IllegalArgumentException("An error status is expected (400, 500, 503; 429 has throttleNext), not " + status);
        }
        return status;
    }

    // ------------------------------------------------------------------ used by the Web API

    Duration requestLatency() {
        return requestLatency;
    }

    Duration writeLatency() {
        return writeLatency;
    }

    Duration pageLatency() {
        return pageLatency;
    }

    /** Retry-After of an injected 429, or null. */
    Duration takeThrottle() {
        if (throttleCount.get() > 0 && throttleCount.getAndDecrement() > 0) {
            injected.incrementAndGet();
            return throttleRetryAfter;
        }
        return null;
    }

    /** Status of an injected failure for this request, or 0. */
    int takeFailure(String entitySet) {
        int status = take(failures, entitySet);
        if (status != 0) {
            injected.incrementAndGet();
        }
        return status;
    }

    /** Status of an injected failure of this write before it is applied, or 0. */
    int takeWriteFailure() {
        int status = take(writeFailures, null);
        if (status == 0) {
            Random r = random;
            if (r != null) {
                synchronized (r) {
                    if (r.nextDouble() < randomProbability) {
                        status = randomStatus;
                    }
                }
            }
        }
        if (status != 0) {
            injected.incrementAndGet();
        }
        return status;
    }

    boolean takeDrop() {
        if (dropCount.get() > 0 && dropCount.getAndDecrement() > 0) {
            injected.incrementAndGet();
            Failure then = afterDrop;
            if (then != null) {
                afterDrop = null;
                failures.add(then);
            }
            return true;
        }
        return false;
    }

    private static int take(List<Failure> list, String entitySet) {
        for (Iterator<Failure> it = list.iterator(); it.hasNext();) {
            Failure f = it.next();
            if (f.entitySet != null && !f.entitySet.equals(entitySet)) {
                continue;
            }
            int left = f.remaining.getAndDecrement();
            if (left > 0) {
                if (left == 1) {
                    list.remove(f);
                }
                return f.status;
            }
            list.remove(f);
        }
        return 0;
    }
}
