package org.dataversebackup.operations;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.dataversebackup.config.Settings;
import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * After each successful backup, compares every table's record count with the previous complete
 * snapshot of the same environment in the same target: a table that lost more than
 * {@code alerts.max-delete-percent} of its records gets a WARN line and an alert event to
 * {@code events.uri}. Counts only (from the manifests): a table that lost 300 rows and gained 300
 * others raises nothing; per-row changes need a diff of the snapshots.
 */
public final class MassDeleteAlert implements Consumer<JobRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(MassDeleteAlert.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;

    public MassDeleteAlert(CamelContext context) {
        this.context = context;
    }

    @Override
    public void accept(JobRecord job) {
        if (!"backup".equals(job.type()) || !job.succeeded() || job.snapshotId() == null) {
            return;
        }
        Settings settings = Settings.of(context).forEnvironment(job.environment());
        Optional<Double> maxPercent = settings.optional("alerts.max-delete-percent").map(Double::parseDouble);
        if (maxPercent.isEmpty()) {
            return;
        }
        SnapshotTarget target = SnapshotTarget.parse(settings.get("backup.target", "file:backups"));
        SnapshotStore store = SnapshotStore.of(target, () -> context.getRegistry().lookupByNameAndType("s3Client", S3Client.class));
        List<SnapshotCatalog.Entry> snapshots = new SnapshotCatalog(store).list();
        int current = indexOf(snapshots, job.snapshotId());
        if (current < 0) {
            return; // written to another target than the environment's backup.target
        }
        String folder = folderOf(snapshots.get(current).key());
        List<SnapshotCatalog.Entry> older = snapshots.subList(current + 1, snapshots.size()).stream()
                .filter(e -> folderOf(e.key()).equals(folder)).toList();
        if (older.isEmpty()) {
            return;
        }
        SnapshotManifest now = snapshots.get(current).manifest();
        for (SnapshotManifest.Table later : now.tables()) {
            if (later.skipped() != null) {
                continue;
            }
            Optional<WholeCount> base = lastWholeCount(older, later.logicalName());
            if (base.isEmpty() || base.get().records() == 0) {
                continue;
            }
            // an incremental's table holds only its changes: its tombstones are what was deleted
            long gone = later.changesOnly() ? (later.deleted() == null ? 0 : later.deleted())
                    : base.get().records() - later.records();
            double percent = 100.0 * gone / base.get().records();
            if (gone > 0 && percent > maxPercent.get()) {
                alert(job, later.logicalName(), base.get().records(), base.get().records() - gone, percent, maxPercent.get(),
                        base.get().snapshotId(), settings);
            }
        }
    }

    /** A table's row count where a snapshot last copied it whole (a full snapshot, or an incremental's full copy). */
    private record WholeCount(String snapshotId, long records) {
    }

    private static Optional<WholeCount> lastWholeCount(List<SnapshotCatalog.Entry> newestFirst, String table) {
        for (SnapshotCatalog.Entry entry : newestFirst) {
            for (SnapshotManifest.Table t : entry.manifest().tables()) {
                if (t.logicalName().equals(table) && t.skipped() == null && !t.changesOnly()) {
                    return Optional.of(new WholeCount(entry.manifest().snapshotId(), t.records()));
                }
            }
        }
        return Optional.empty();
    }

    private void alert(JobRecord job, String table, long before, long after, double percent, double max, String previous,
            Settings settings) {
        LOG.warn("Mass delete in {} table {}: {} records, {} in snapshot {} ({}% fewer, more than"
                + " alerts.max-delete-percent {}%); snapshot {}", job.environment(), table, after, before, previous,
                String.format("%.1f", percent), max, job.snapshotId());
        String uri = settings.get("events.uri", "");
        if (uri.isBlank()) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "alert");
        event.put("alert", "mass-delete");
        event.put("environment", job.environment());
        event.put("time", Instant.now().toString());
        event.put("table", table);
        event.put("records", after);
        event.put("previousRecords", before);
        event.put("deletedPercent", Math.round(percent * 10) / 10.0);
        event.put("maxDeletePercent", max);
        event.put("snapshotId", job.snapshotId());
        event.put("previousSnapshotId", previous);
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.sendBody(uri, JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            LOG.warn("The alert event could not be sent to {}: {}", uri, e.toString());
        }
    }

    private static int indexOf(List<SnapshotCatalog.Entry> snapshots, String snapshotId) {
        for (int i = 0; i < snapshots.size(); i++) {
            if (snapshots.get(i).manifest().snapshotId().equals(snapshotId)) {
                return i;
            }
        }
        return -1;
    }

    private static String folderOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }
}
