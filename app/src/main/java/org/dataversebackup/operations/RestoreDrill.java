package org.dataversebackup.operations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.diff.TableDiff;
import org.dataversebackup.restore.RestoreHeaders;
import org.dataversebackup.restore.SnapshotReader;
import org.dataversebackup.snapshot.SnapshotKeys;
import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * A restore drill: restores a snapshot into a scratch environment, backs that environment up again
 * and compares the new snapshot with the source record for record. Only the columns a restore
 * writes are compared (valid for create or update in the saved schema, lookups as their
 * {@code _<name>_value}): system columns such as modifiedon and versionnumber are the scratch
 * environment's own. The restore's duration is the measured recovery time (RTO).
 */
public final class RestoreDrill {
    /** The drill's result: passed when the restore succeeded and every table matches. */
    public record Outcome(boolean passed, Duration restoreTime, String error, Map<String, TableDiff.Counts> tables,
            String drillSnapshot) {
    }

    private final ProducerTemplate template;
    private final Supplier<S3Client> s3;
    private final SnapshotKeys keys;

    public RestoreDrill(ProducerTemplate template, Supplier<S3Client> s3, SnapshotKeys keys) {
        this.template = template;
        this.s3 = s3;
        this.keys = keys;
    }

    /**
     * @param snapshot    the snapshot to restore (folder or s3:// location)
     * @param environment the scratch environment (a name under dataverse.environments)
     * @param work        an empty folder for the drill's snapshot and the comparison (the caller deletes it)
     */
    public Outcome run(String snapshot, String environment, Path work) throws Exception {
        SnapshotReader source = SnapshotReader.open(snapshot, s3, keys);
        List<String> tables = source.manifest().tables().stream().filter(t -> t.skipped() == null)
                .map(SnapshotManifest.Table::logicalName).toList();
        Instant started = Instant.now();
        // the environment is the endpoint's option: the job runs on that environment's routes and client
        Exchange restore = template.request("dataverse:restore?environment=" + environment, e -> {
            e.getIn().setHeader(RestoreHeaders.SNAPSHOT, snapshot);
            e.getIn().setHeader(RestoreHeaders.ALLOW_OTHER_ENVIRONMENT, true); // a scratch environment is another organization
        });
        Duration restoreTime = Duration.between(started, Instant.now());
        if (restore.getException() != null) {
            return new Outcome(false, restoreTime, "the restore failed: " + restore.getException().getMessage(), Map.of(), null);
        }
        if (!Boolean.TRUE.equals(restore.getMessage().getHeader(RestoreHeaders.OK, Boolean.class))) {
            return new Outcome(false, restoreTime, "the restore did not write every record (see its report "
                    + restore.getMessage().getHeader(RestoreHeaders.REPORT_FILE, String.class) + ")", Map.of(), null);
        }
        Path target = Files.createDirectories(work.resolve("snapshots"));
        Exchange backup = template.request("dataverse:backup?environment=" + environment, e -> {
            e.getIn().setHeader(BackupHeaders.TABLES, String.join(",", tables));
            e.getIn().setHeader(BackupHeaders.TARGET, "file:" + target);
            e.getIn().setHeader(BackupHeaders.KIND, "full");
        });
        if (backup.getException() != null) {
            return new Outcome(false, restoreTime, "the backup of the restored environment failed: "
                    + backup.getException().getMessage(), Map.of(), null);
        }
        String drillLocation = backup.getMessage().getHeader(BackupHeaders.LOCATION, String.class);
        SnapshotReader again = SnapshotReader.open(drillLocation, s3, keys);
        Map<String, TableDiff.Counts> results = new LinkedHashMap<>();
        List<String> differ = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        for (SnapshotManifest.Table table : source.manifest().tables()) {
            if (table.skipped() != null) {
                continue;
            }
            SnapshotManifest.Table restored = again.manifest().tables().stream()
                    .filter(t -> t.logicalName().equals(table.logicalName()) && t.skipped() == null).findFirst().orElse(null);
            if (restored == null) {
                differ.add(table.logicalName() + " (not read back)");
                continue;
            }
            Set<String> written = writtenColumns(source.schema(table));
            Path tableWork = work.resolve("compare").resolve(table.logicalName());
            TableDiff.Counts counts = TableDiff.compare(
                    source.records(source.verifiedParts(table, tableWork.resolve("source")), table.primaryIdAttribute()),
                    again.records(again.verifiedParts(restored, tableWork.resolve("drill")), table.primaryIdAttribute()),
                    table.primaryIdAttribute(), table.records(), tableWork.resolve("spill"), written::contains, change -> {
                        if (examples.size() < 3 && change.kind() != TableDiff.Kind.ADDED) {
                            examples.add(table.logicalName() + " " + change.id() + " " + change.kind().name().toLowerCase(Locale.ROOT)
                                    + (change.columns().isEmpty() ? "" : " " + change.columns()));
                        }
                    });
            results.put(table.logicalName(), counts);
            // rows the scratch environment had before the restore are no difference of the snapshot's
            if (counts.removed() > 0 || counts.changed() > 0) {
                differ.add(table.logicalName() + " (" + counts.removed() + " missing, " + counts.changed() + " different)");
            }
        }
        return new Outcome(differ.isEmpty(), restoreTime, differ.isEmpty() ? null
                : "restored records differ from the snapshot: " + String.join(", ", differ) + "; for example "
                        + String.join("; ", examples), results, drillLocation);
    }

    /** The columns a restore writes, as they appear in a record (a lookup as {@code _<name>_value}). */
    static Set<String> writtenColumns(JsonNode schema) {
        Set<String> columns = new HashSet<>();
        for (JsonNode attribute : schema.path("Attributes")) {
            if (attribute.path("IsValidForCreate").asBoolean(false) || attribute.path("IsValidForUpdate").asBoolean(false)) {
                String name = attribute.path("LogicalName").asText().toLowerCase(Locale.ROOT);
                columns.add(name);
                columns.add("_" + name + "_value");
            }
        }
        // A restore keeps createdon by sending it as overriddencreatedon; Dataverse then stores the
        // restore's own time in overriddencreatedon ("date and time that the record was migrated"),
        // so createdon is what must match and overriddencreatedon is the scratch environment's own.
        columns.remove("overriddencreatedon");
        columns.add("createdon");
        return columns;
    }
}
