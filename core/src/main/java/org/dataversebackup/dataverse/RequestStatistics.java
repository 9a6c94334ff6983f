package org.dataversebackup.dataverse;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link DataverseClient} has sent since it was made: requests, service protection
 * refusals (429, of whole requests and of {@code $batch} parts), retries by kind, and token
 * renewals after a 401. Read by the application's metrics; counting costs no lock.
 */
public final class RequestStatistics {
    /** The kinds of retry, as metric tags. */
    public enum Retry {
        SERVER_ERROR("server-error"), NO_ANSWER("no-answer"), DAMAGED_ANSWER("damaged-answer");

        private final String tag;

        Retry(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final LongAdder requests = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder tokenRenewals = new LongAdder();
    private final LongAdder[] retries = {new LongAdder(), new LongAdder(), new LongAdder()};

    void requestSent() {
        requests.increment();
    }

    void throttled() {
        throttled.increment();
    }

    void tokenRenewed() {
        tokenRenewals.increment();
    }

    void retried(Retry kind) {
        retries[kind.ordinal()].increment();
    }

    /** HTTP requests sent (each attempt counts). */
    public long requests() {
        return requests.sum();
    }

    /** 429 answers to whole requests and to parts of a {@code $batch}. */
    public long throttledCount() {
        return throttled.sum();
    }

    /** Tokens renewed because Dataverse answered 401. */
    public long tokenRenewals() {
        return tokenRenewals.sum();
    }

    public long retries(Retry kind) {
        return retries[kind.ordinal()].sum();
    }
}
