package org.dataversebackup.operations;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.camel.builder.RouteBuilder;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code drill.schedule} in the {@code run} service: a Quartz trigger (stateful: drills never
 * overlap) that drills the newest complete snapshot of the default environment in its
 * {@code backup.target} into {@code drill.environment}. Its route id ends in
 * {@code .drill-schedule}, so with a cluster it runs on the leader only.
 */
final class DrillSchedule extends RouteBuilder {
    static final String ROUTE_ID = "dataverse-backup.default.drill-schedule";
    private static final Logger LOG = LoggerFactory.getLogger(DrillSchedule.class);

    private final String cron;

    DrillSchedule(String cron) {
        this.cron = cron;
    }

    @Override
    public void configure() {
        from("quartz:dataverse-backup/drill?stateful=true&cron=" + cron.trim().replace(' ', '+'))
                .routeId(ROUTE_ID)
                .process(exchange -> {
                    Settings settings = Settings.of(getContext());
                    String scratch = DrillJob.scratchEnvironment(settings, null);
                    Optional<String> newest = newestSnapshot(settings);
                    if (newest.isEmpty()) {
                        LOG.info("Drill skipped: no complete snapshot in {} yet", settings.get("backup.target", "file:backups"));
                        return;
                    }
                    DrillJob.run(getContext(), getContext().createProducerTemplate(), newest.get(), scratch);
                });
    }

    /** The location of the newest complete snapshot in the default environment's backup.target. */
    private Optional<String> newestSnapshot(Settings settings) {
        SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(settings.get("backup.target", "file:backups")),
                () -> getContext().getRegistry().lookupByNameAndType("s3Client", S3Client.class));
        List<SnapshotCatalog.Entry> snapshots = new SnapshotCatalog(store).list();
        return snapshots.stream().max(Comparator.comparing((SnapshotCatalog.Entry e) -> e.manifest().startedAt()))
                .map(e -> store.location(e.key()));
    }
}
