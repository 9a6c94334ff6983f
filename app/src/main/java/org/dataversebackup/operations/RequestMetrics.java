package org.dataversebackup.operations;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.dataversebackup.dataverse.RequestStatistics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The Web API requests of each environment's client as Micrometer function counters, which read the
 * client's own {@link RequestStatistics} at every scrape: {@code dataverse_backup_requests_total},
 * {@code dataverse_backup_throttled_total} (429s), {@code dataverse_backup_retries_total{kind}},
 * {@code dataverse_backup_token_renewals_total}. Registered when the environment's first job ends:
 * its client is made on first use, and looking it up earlier would make it (and fail without settings).
 */
public final class RequestMetrics implements Consumer<JobRecord> {
    private static final String PREFIX = "dataverse.backup.";

    private final Supplier<MeterRegistry> registry;
    private final Function<String, RequestStatistics> statistics;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    /** @param statistics the statistics of an environment's client, by environment name */
    public RequestMetrics(Supplier<MeterRegistry> registry, Function<String, RequestStatistics> statistics) {
        this.registry = registry;
        this.statistics = statistics;
    }

    @Override
    public void accept(JobRecord job) {
        MeterRegistry meters = registry.get();
        if (meters == null || registered.contains(job.environment())) {
            return;
        }
        RequestStatistics stats = statistics.apply(job.environment());
        Tags tags = Tags.of("environment", job.environment());
        FunctionCounter.builder(PREFIX + "requests", stats, RequestStatistics::requests)
                .description("Web API requests sent (every attempt)").tags(tags).register(meters);
        FunctionCounter.builder(PREFIX + "throttled", stats, RequestStatistics::throttledCount)
                .description("429 answers of service protection (whole requests and $batch parts)").tags(tags).register(meters);
        FunctionCounter.builder(PREFIX + "token.renewals", stats, RequestStatistics::tokenRenewals)
                .description("Access tokens renewed after a 401").tags(tags).register(meters);
        for (RequestStatistics.Retry kind : RequestStatistics.Retry.values()) {
            FunctionCounter.builder(PREFIX + "retries", stats, s -> s.retries(kind))
                    .description("Requests sent again after a 5xx, no answer or a damaged answer")
                    .tags(tags.and("kind", kind.tag())).register(meters);
        }
        registered.add(job.environment());
    }
}
