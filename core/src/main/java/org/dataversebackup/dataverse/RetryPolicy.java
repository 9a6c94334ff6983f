package org.dataversebackup.dataverse;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before retrying a Dataverse request. A 429 waits what {@code Retry-After}
 * says (service protection limits: waiting less only extends the penalty); 5xx answers and I/O
 * failures back off exponentially with jitter, so parallel readers do not retry in step.
 *
 * @param maxAttempts  attempts per request, the first included
 * @param firstBackoff wait after the first failure (doubles each time)
 * @param maxBackoff   longest exponential wait
 * @param maxRetryAfter longest {@code Retry-After} honoured; a longer one fails the request
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));
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

    /** The wait after a 429 or 503: what the server asked for when it did, else the backoff. */
    public Duration delay(int failedAttempt, Optional<Duration> retryAfter) {
        return retryAfter.orElseGet(() -> backoff(failedAttempt));
    }

    public boolean canRetry(int failedAttempt) {
        return failedAttempt < maxAttempts;
    }
}
