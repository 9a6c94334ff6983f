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
import org.dataversebackup.snapshot.SnapshotAlerts;
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
 * {@code alerts.max-delete-percent} of its records, or (in an incremental snapshot) whose changed
 * rows exceed {@code alerts.max-change-percent} of its last whole count, gets a WARN line and an
 * alert event to {@code events.uri}; {@code alerts.tables.<table>.max-delete-percent} and
 * {@code ...max-change-percent} override them for one table. Counts only (from the manifests): a
 * full snapshot's changed rows are not known without reading both snapshots, so a full snapshot is
 * judged by its deletes only (the {@code diff} command shows its changes on demand).
 */
public final class MassChangeAlert implements Consumer<JobRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(MassChangeAlert.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    /** The snapshot being judged and its store: an alert is recorded on it so that pruning keeps it. */
    private String snapshotKey;
    private SnapshotStore alertStore;

    public MassChangeAlert(CamelContext context) {
        this.context = context;
    }

    @Override
    public synchronized void accept(JobRecord job) {
        if (!"backup".equals(job.type()) || !job.succeeded() || job.snapshotId() == null) {
            return;
        }
        Settings settings = Settings.of(context).forEnvironment(job.environment());
        if (settings.optional("alerts.max-delete-percent").isEmpty() && settings.optional("alerts.max-change-percent").isEmpty()
                && context.getPropertiesComponent().loadProperties(key -> key.startsWith("alerts.tables.")).isEmpty()) {
            return; // no alert configured: no need to list the target
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
        snapshotKey = snapshots.get(current).key();
        alertStore = store;
        for (SnapshotManifest.Table later : now.tables()) {
            if (later.skipped() != null) {
                continue;
            }
            Optional<WholeCount> base = lastWholeCount(older, later.logicalName());
            if (base.isEmpty() || base.get().records() == 0) {
                continue;
            }
            String table = later.logicalName();
            // an incremental's table holds only its changes: its tombstones are what was deleted
            long gone = later.changesOnly() ? (later.deleted() == null ? 0 : later.deleted())
                    : base.get().records() - later.records();
            double percent = 100.0 * gone / base.get().records();
            Optional<Double> maxDelete = threshold(settings, table, "max-delete-percent");
            if (maxDelete.isPresent() && gone > 0 && percent > maxDelete.get()) {
                alert(job, table, base.get().records(), base.get().records() - gone, percent, maxDelete.get(),
                        base.get().snapshotId(), settings);
            }
            // the rows an incremental holds were created or changed since its parent
            Optional<Double> maxChange = threshold(settings, table, "max-change-percent");
            if (maxChange.isPresent() && later.changesOnly() && later.records() > 0) {
                double changedPercent = 100.0 * later.records() / base.get().records();
                if (changedPercent > maxChange.get()) {
                    changeAlert(job, table, later.records(), base.get().records(), changedPercent, maxChange.get(),
                            base.get().snapshotId(), now.parent(), settings);
                }
            }
        }
    }

    /** The table's own threshold ({@code alerts.tables.<table>.<name>}), else the general one ({@code alerts.<name>}). */
    private static Optional<Double> threshold(Settings settings, String table, String name) {
        String own = "alerts.tables." + table + "." + name;
        Optional<String> value = settings.optional(own).filter(v -> !v.isBlank()).or(() -> settings.optional("alerts." + name))
                .filter(v -> !v.isBlank());
        try {
            return value.map(String::trim).map(Double::parseDouble);
        } catch (NumberFormatException e) {
            LOG.warn("{} or alerts.{} is not a percentage ({}): ignored", own, name, value.get());
            return Optional.empty();
        }
    }

    private void changeAlert(JobRecord job, String table, long changed, long base, double percent, double max, String baseSnapshot,
            String parent, Settings settings) {
        LOG.warn("Mass change in {} table {}: {} records created or changed since snapshot {}, {}% of the {} records in snapshot"
                + " {} (more than max-change-percent {}%); snapshot {}", job.environment(), table, changed, parent,
                String.format("%.1f", percent), base, baseSnapshot, max, job.snapshotId());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "alert");
        event.put("alert", "mass-change");
        event.put("environment", job.environment());
        event.put("time", Instant.now().toString());
        event.put("table", table);
        event.put("changedRecords", changed);
        event.put("previousRecords", base);
        event.put("changedPercent", Math.round(percent * 10) / 10.0);
        event.put("maxChangePercent", max);
        event.put("snapshotId", job.snapshotId());
        event.put("previousSnapshotId", parent);
        send(event, settings);
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
                + " max-delete-percent {}%); snapshot {}", job.environment(), table, after, before, previous,
                String.format("%.1f", percent), max, job.snapshotId());
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
        send(event, settings);
    }

    private void send(Map<String, Object> event, Settings settings) {
        try {
            // on the alerted snapshot and on the one before it: the copy from before the change is the one to restore from
            String line = JSON.writeValueAsString(event);
            SnapshotAlerts alerts = new SnapshotAlerts(alertStore);
            alerts.raise(snapshotKey, line);
            Object previous = event.get("previousSnapshotId");
            if (previous != null) {
                alerts.raise(folderOf(snapshotKey) + "/" + previous, line);
            }
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.warn("The alert could not be recorded on snapshot {} (pruning may remove it): {}", snapshotKey, e.toString());
        }
        String uri = settings.get("events.uri", "");
        if (uri.isBlank()) {
            return;
        }
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
