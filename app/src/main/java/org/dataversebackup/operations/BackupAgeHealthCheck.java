package org.dataversebackup.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN when the last successful backup of an environment is older than {@code health.max-backup-age}:
 * the nightly backup silently stopped (failing, hanging, or its trigger off). The age counts from
 * the last success in the job history, or from the service's start when the history has none, so
 * a service that just started is not DOWN for a backup it could not have run yet.
 * A readiness check: restarting the process would not bring the backup back.
 */
public final class BackupAgeHealthCheck extends AbstractHealthCheck implements Consumer<JobRecord> {
    private final String environment;
    private final Duration maxAge;
    private final Clock clock;
    private final AtomicReference<Instant> lastSuccess;

    /** @param lastSuccess the environment's last successful backup before this process, or its start */
    public BackupAgeHealthCheck(String environment, Duration maxAge, Instant lastSuccess, Clock clock) {
        super("dataverse-backup", "backup-age-" + environment);
        this.environment = environment;
        this.maxAge = maxAge;
        this.clock = clock;
        this.lastSuccess = new AtomicReference<>(lastSuccess);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public void accept(JobRecord job) {
        if ("backup".equals(job.type()) && environment.equals(job.environment()) && job.succeeded()) {
            lastSuccess.set(job.finishedAt());
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant last = lastSuccess.get();
        Duration age = Duration.between(last, clock.instant());
        builder.detail("environment", environment).detail("last.success", last.toString())
                .detail("age.seconds", age.toSeconds()).detail("max.age.seconds", maxAge.toSeconds());
        if (age.compareTo(maxAge) > 0) {
            builder.message("The last successful backup of " + environment + " ended " + last + ", longer ago than"
                    + " health.max-backup-age (" + maxAge + ")").down();
        } else {
            builder.up();
        }
    }
}
