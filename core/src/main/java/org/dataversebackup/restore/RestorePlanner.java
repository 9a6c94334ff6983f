package org.dataversebackup.restore;

import org.dataversebackup.concurrent.ResizablePool;
import org.dataversebackup.dataverse.TableNamePatterns;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.DataverseWriter;
import org.dataversebackup.dataverse.EnvironmentInfo;
import org.dataversebackup.dataverse.Urls;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * First step of a restore: reads the request, opens the snapshot, asks the target who and where
 * it is (WhoAmI), applies the cross-environment guard, chooses and orders the tables, and starts
 * the {@link RestoreRun}. Every problem found here is a usage problem (exit 2): nothing has been
 * written yet.
 */
public class RestorePlanner {
    private static final Logger LOG = LoggerFactory.getLogger(RestorePlanner.class);
    private static final DateTimeFormatter ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Supplier<DataverseClient> client;
    private final Supplier<S3Client> s3;
    private final Supplier<RestoreSettings> settings;
    private final ResizablePool pool;

    public RestorePlanner(Supplier<DataverseClient> client, Supplier<S3Client> s3, Supplier<RestoreSettings> settings,
            ResizablePool pool) {
        this.client = client;
        this.s3 = s3;
        this.settings = settings;
        this.pool = pool;
    }

    /** Plans the restore of the exchange's request; the body becomes the tables of rows, dependencies first. */
    public List<TableState> plan(Exchange exchange) {
        Message message = exchange.getMessage();
        RestoreRequest request = RestoreRequests.fromMessage(message.getHeaders(), message.getBody());
        RestoreRun run = start(request);
        exchange.setProperty(RestoreRun.PROPERTY, run);
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                run.close();
            }
        });
        return run.rowTables();
    }

    RestoreRun start(RestoreRequest request) {
        RestoreSettings config = settings.get();
        RestoreMode mode = request.mode().orElse(config.mode());
        if (request.deletes() && (mode != RestoreMode.UPSERT || !request.ids().isEmpty() || request.filter().isPresent())) {
            // deletes makes whole tables the snapshot's: never with a selection of rows, nor a mode that leaves rows alone
            throw new ConfigurationException("deletes makes each restored table hold exactly the snapshot's rows: it goes with"
                    + " mode upsert and whole tables, not with " + (mode != RestoreMode.UPSERT ? "mode " + mode.label()
                    : !request.ids().isEmpty() ? "ids" : "a filter") + ". Run a dry run first to see which rows it deletes.");
        }
        Optional<RecordFilter> filter = request.filter().map(RecordFilter::parse);
        ReferenceMapping mapping = request.mapping().map(m -> ReferenceMapping.load(Path.of(m))).orElse(ReferenceMapping.NONE);
        Instant startedAt = Instant.now();
        String restoreId = ID_FORMAT.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 4);
        SnapshotReader snapshot = SnapshotReader.open(request.snapshot(), s3, config.keys());
        return start(request, config, mode, filter, mapping, restoreId, startedAt, snapshot);
    }

    private RestoreRun start(RestoreRequest request, RestoreSettings config, RestoreMode mode, Optional<RecordFilter> filter,
            ReferenceMapping mapping, String restoreId, Instant startedAt, SnapshotReader snapshot) {
        SnapshotManifest manifest = snapshot.manifest();
        DataverseClient dataverse = client.get();
        EnvironmentInfo target = EnvironmentInfo.whoAmI(dataverse);
        boolean other = otherEnvironment(manifest, target);
        if (other && !request.allowOtherEnvironment()) {
            throw new ConfigurationException("Snapshot " + snapshot.location() + " was taken from " + manifest.source().dataverseUrl()
                    + " (organization " + manifest.source().organizationId() + "), but the target " + dataverse.environmentUrl()
                    + " is organization " + target.organizationId() + ". Restoring into another environment needs "
                    + "--allow-other-environment (\"allowOtherEnvironment\": true, header "
                    + RestoreHeaders.ALLOW_OTHER_ENVIRONMENT + ").");
        }

        Map<String, SnapshotManifest.Table> inSnapshot = new LinkedHashMap<>();
        manifest.tables().forEach(t -> inSnapshot.put(t.logicalName(), t));
        List<SnapshotManifest.Table> chosen = choose(request, config, inSnapshot, snapshot.location());

        Map<String, TableSchema> schemas = new HashMap<>();
        Map<String, TableState> tables = new LinkedHashMap<>();
        // the snapshot's stored files of file and image columns, by table and record
        Map<String, Map<String, List<SnapshotManifest.FileEntry>>> files = new HashMap<>();
        for (SnapshotManifest.FileEntry file : snapshot.chainFiles()) {
            {
                files.computeIfAbsent(file.table(), t -> new HashMap<>()).computeIfAbsent(file.id(), i -> new ArrayList<>())
                        .add(file);
            }
        }
        List<TableSchema> rowSchemas = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SnapshotManifest.Table table : chosen) {
            TableSchema schema = schema(snapshot, table, schemas);
            boolean intersect = schema.intersect();
            TableState state = new TableState(table, schema, intersect ? TableState.Kind.LINKS : TableState.Kind.ROWS);
            tables.put(table.logicalName(), state);
            state.files(files.getOrDefault(table.logicalName(), Map.of()));
            if (filter.isPresent() && !filter.get().appliesTo(schema)) {
                state.skipped("the filter's columns " + filter.get().fields() + " are not in this table");
                skipped.add(table.logicalName());
                continue;
            }
            if (!intersect && ActivityParties.TABLE.equals(table.logicalName())) {
                // parties cannot be created on their own: they go into the create of their activity
                state.skipped("written with their activities (" + ActivityParties.activityTables(schema).stream()
                        .map(ActivityParties::collection).toList() + ")");
                continue;
            }
            if (intersect) {
                findRelationship(table.logicalName(), schema, inSnapshot, snapshot, schemas)
                        .ifPresentOrElse(state::relationship, () -> state.error("no N:N relationship in the snapshot's schemas has "
                                + table.logicalName() + " as its intersect table"));
            } else {
                rowSchemas.add(schema);
            }
        }
        if (filter.isPresent() && skipped.size() == chosen.size()) {
            throw new ConfigurationException("No table of the restore has the filter's columns " + filter.get().fields()
                    + "; name the table with --tables or check the column names.");
        }

        // an activity's parties are bound when the activity is created: the tables they point to come first
        Optional<TableSchema> partySchema = Optional.ofNullable(inSnapshot.get(ActivityParties.TABLE))
                .map(t -> schema(snapshot, t, schemas));
        Map<String, List<String>> partyDependencies = new HashMap<>();
        partySchema.ifPresent(parties -> ActivityParties.activityTables(parties)
                .forEach(activity -> partyDependencies.put(activity, ActivityParties.partyTables(parties))));
        RestoreOrder order = RestoreOrder.of(rowSchemas, partyDependencies);
        LiveRows liveRows = new LiveRows(dataverse);
        Map<String, String> sets = new HashMap<>();
        manifest.tables().forEach(t -> sets.put(t.logicalName(), t.entitySetName()));
        EntitySets entitySets = new EntitySets(sets, table -> entitySetOf(dataverse, table));
        TargetReferences references = new TargetReferences(mapping, target.userId(), Set.copyOf(order.tables()),
                (table, ids) -> existing(liveRows, entitySets, table, ids));
        for (String name : order.tables()) {
            TableState state = tables.get(name);
            state.mapper(new RecordMapper(state.schema(), order, entitySets, references, config.preserveCreatedOn()));
        }
        int parallelism = config.parallelism().orElseGet(() -> target.parallelism(RestoreSettings.MAX_PARALLELISM, 4,
                dataverse.activeConnections().size()));
        pool.resize(parallelism);

        // last, once nothing of the planning can fail: the journal is locked until the run is closed
        RestoreJournal journal = request.dryRun() ? RestoreJournal.none(config.workDir(), restoreId)
                : RestoreJournal.open(config.workDir(), RestoreKey.of(manifest, dataverse.environmentUrl().toString(),
                        target.organizationId(), mode, chosen.stream().map(SnapshotManifest.Table::logicalName).toList(),
                        request.ids(), filter.map(RecordFilter::expression), request.mapping()), restoreId, startedAt);
        ActivityParties parties = partySchema.map(schema -> ActivityParties.of(snapshot, inSnapshot.get(ActivityParties.TABLE),
                schema, new RecordMapper(schema, order, entitySets, references, false), journal.attemptDir()))
                .orElseGet(ActivityParties::none);
        RestoreRun run = new RestoreRun(restoreId, request, mode, snapshot, target, dataverse.environmentUrl().toString(), other,
                tables, order.tables(), filter, new DataverseWriter(dataverse), liveRows, entitySets, references,
                config.reportDir(), journal, config.batchSize(), config.useBatch(),
                config.useBulk() ? java.util.Optional.of(new org.dataversebackup.dataverse.BulkMessages(dataverse))
                        : java.util.Optional.empty(), parallelism, config.progress());
        run.activityParties(parties);
        LOG.info("Restore {}{}: snapshot {} ({}) into {}{}, mode {}, tables in order: {}{}; {} writers, {} records per {}{}",
                restoreId, request.dryRun() ? " (dry run)" : "", manifest.snapshotId(), snapshot.location(),
                dataverse.environmentUrl(), other ? " (another environment)" : "", mode.label(), order.tables(),
                run.linkTables().isEmpty() ? "" : ", then N:N links of " + run.linkTables().stream().map(TableState::name).toList(),
                parallelism, config.batchSize(), config.useBatch() ? "$batch" : "chunk (one request each)",
                config.useBulk() ? " (rows to create: CreateMultiple/UpsertMultiple where the table supports them)" : "");
        return run;
    }

    private static boolean otherEnvironment(SnapshotManifest manifest, EnvironmentInfo target) {
        String source = manifest.source() == null ? null : manifest.source().organizationId();
        if (source == null || source.isBlank() || target.organizationId() == null || target.organizationId().isBlank()) {
            return true; // cannot tell: treat as another environment, so the guard asks
        }
        return !source.equalsIgnoreCase(target.organizationId());
    }

    private static List<SnapshotManifest.Table> choose(RestoreRequest request, RestoreSettings config,
            Map<String, SnapshotManifest.Table> inSnapshot, String location) {
        if (!request.tables().isEmpty()) {
            List<SnapshotManifest.Table> chosen = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (String name : request.tables()) {
                SnapshotManifest.Table table = inSnapshot.get(name.trim().toLowerCase(Locale.ROOT));
                if (table == null) {
                    unknown.add(name);
                } else if (!chosen.contains(table)) {
                    chosen.add(table);
                }
            }
            if (!unknown.isEmpty()) {
                throw new ConfigurationException("Snapshot " + location + " has no table " + String.join(", ", unknown)
                        + "; it has " + String.join(", ", inSnapshot.keySet()) + ".");
            }
            return chosen;
        }
        List<Pattern> exclude = config.exclude().stream().map(TableNamePatterns::glob).toList();
        List<SnapshotManifest.Table> chosen = inSnapshot.values().stream()
                .filter(t -> exclude.stream().noneMatch(p -> p.matcher(t.logicalName()).matches())).toList();
        if (chosen.isEmpty()) {
            throw new ConfigurationException("Snapshot " + location + " has no table to restore once restore.exclude "
                    + config.exclude() + " is applied; name the tables with --tables.");
        }
        return chosen;
    }

    private static TableSchema schema(SnapshotReader snapshot, SnapshotManifest.Table table, Map<String, TableSchema> cache) {
        return cache.computeIfAbsent(table.logicalName(), name -> TableSchema.parse(snapshot.schema(table),
                table.entitySetName(), table.primaryIdAttribute()));
    }

    private static Optional<TableSchema.ManyToMany> findRelationship(String intersect, TableSchema own,
            Map<String, SnapshotManifest.Table> inSnapshot, SnapshotReader snapshot, Map<String, TableSchema> cache) {
        Optional<TableSchema.ManyToMany> found = own.manyToManyRelationships().stream()
                .filter(r -> intersect.equalsIgnoreCase(r.intersectEntity())).findFirst();
        if (found.isPresent()) {
            return found;
        }
        for (SnapshotManifest.Table table : inSnapshot.values()) {
            if (table.logicalName().equals(intersect) || table.schema() == null) {
                continue;
            }
            found = schema(snapshot, table, cache).manyToManyRelationships().stream()
                    .filter(r -> intersect.equalsIgnoreCase(r.intersectEntity())).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> entitySetOf(DataverseClient dataverse, String table) {
        try {
            JsonNode definition = dataverse.getJson("EntityDefinitions(LogicalName='" + Urls.encode(table) + "')?$select=EntitySetName");
            String set = definition.path("EntitySetName").asText("");
            return set.isEmpty() ? Optional.empty() : Optional.of(set);
        } catch (DataverseException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The ids among these that exist in the target's table (systemuser, team: the primary key is {@code <table>id}). */
    private static Set<String> existing(LiveRows liveRows, EntitySets entitySets, String table, java.util.Collection<String> ids) {
        Optional<String> set = entitySets.of(table);
        if (set.isEmpty()) {
            return Set.of();
        }
        String pk = table + "id";
        Set<String> found = new java.util.HashSet<>();
        liveRows.byKey(set.get(), pk, ids, List.of(pk)).forEach(row -> found.add(row.path(pk).asText().toLowerCase(Locale.ROOT)));
        return found;
    }
}
