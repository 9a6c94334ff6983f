package org.dataversebackup.dataverse;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before retrying a Dataverse request. 5xx answers and I/O failures back off
 * exponentially with jitter, so parallel readers do not retry in step, and count against
 * {@code maxAttempts}. A 429 is no failed attempt: the request waits what {@code Retry-After} says
 * (service protection limits: waiting less only extends the penalty), together with every other
 * request of the same user ({@link ServiceProtectionGate}), for up to {@code maxThrottleWait} in all.
 *
 * @param maxAttempts     attempts per request, the first included (429 answers not counted)
 * @param firstBackoff    wait after the first failure (doubles each time)
 * @param maxBackoff      longest exponential wait
 * @param maxThrottleWait longest time throttling (429) may hold one request back in all
 *                        ({@code retry.max-throttle-wait}); also the longest {@code Retry-After}
 *                        of a 503 honoured
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration maxThrottleWait) {

    /** Default of {@code retry.max-throttle-wait}. */
    public static final Duration DEFAULT_MAX_THROTTLE_WAIT = Duration.ofMinutes(30);

    public static RetryPolicy defaults() {
        return new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(60), DEFAULT_MAX_THROTTLE_WAIT);
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before attempt {@code failedAttempt + 1}, after a failure without Retry-After. */
    public Duration backoff(int failedAttempt) {
        long base = firstBackoff.toMillis() << Math.min(failedAttempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        long jitter = capped <= 1 ? 0 : ThreadLocalRandom.current().nextLong(capped / 4 + 1);
        return Duration.ofMillis(capped - jitter);
    }

    /** The wait after a 503 (or a 429 part of a $batch): what the server asked for when it did, else the backoff. */
    public Duration delay(int failedAttempt, Optional<Duration> retryAfter) {
        return retryAfter.orElseGet(() -> backoff(failedAttempt));
    }

    public boolean canRetry(int failedAttempt) {
        return failedAttempt < maxAttempts;
    }
}
