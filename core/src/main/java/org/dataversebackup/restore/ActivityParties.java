package org.dataversebackup.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The activity parties of a snapshot (the From, To, Cc, Bcc of emails...), written with their
 * activity. Dataverse lets {@code activityparty} rows be read (RetrieveMultiple) but not created on
 * their own: they are created inline with the activity, in its {@code <activity>_activity_parties}
 * collection (deep insert on create). So the {@code activityparty} table of a snapshot is not a table
 * restore writes; its rows go into the create of each activity restored, mapped as any row
 * ({@link RecordMapper}: {@code partyid_<table>@odata.bind} from the saved lookuplogicalname,
 * {@code participationtypemask}, {@code addressused}, the original {@code activitypartyid}), without
 * the {@code activityid} binding the deep insert makes. An activity that is already in the target is
 * left with the parties it has: nothing is added, so a second restore never duplicates a party.
 *
 * <p>The parties are grouped by activity once, when the first activity is written, each kept as its
 * JSON bytes: memory grows with the number of parties in the snapshot (a few hundred bytes each;
 * see docs/RESTORE.md).
 */
final class ActivityParties {
    static final String TABLE = "activityparty";
    static final String ACTIVITY = "activityid";
    static final String PARTY = "partyid";

    private final SnapshotReader snapshot;
    private final org.dataversebackup.snapshot.SnapshotManifest.Table manifest;
    private final TableSchema schema;
    private final RecordMapper mapper;
    private final Path workDir;
    /** The saved parties by activity id, each kept as its JSON bytes (a fraction of a parsed tree's size). */
    private volatile Map<String, List<byte[]>> byActivity;

    private ActivityParties(SnapshotReader snapshot, org.dataversebackup.snapshot.SnapshotManifest.Table manifest, TableSchema schema,
            RecordMapper mapper, Path workDir) {
        this.snapshot = snapshot;
        this.manifest = manifest;
        this.schema = schema;
        this.mapper = mapper;
        this.workDir = workDir;
    }

    /** No parties: the snapshot has no activityparty table. */
    static ActivityParties none() {
        return new ActivityParties(null, null, null, null, null);
    }

    static ActivityParties of(SnapshotReader snapshot, org.dataversebackup.snapshot.SnapshotManifest.Table manifest,
            TableSchema schema, RecordMapper mapper, Path workDir) {
        return new ActivityParties(snapshot, manifest, schema, mapper, workDir);
    }

    /** The activity tables the parties' {@code activityid} points to (email, appointment...). */
    static List<String> activityTables(TableSchema parties) {
        TableSchema.Attribute activity = parties.attribute(ACTIVITY);
        return activity == null ? List.of() : parties.lookupTargets(activity);
    }

    /** The tables parties point to: the activities are restored after them, so their binds find the rows. */
    static List<String> partyTables(TableSchema parties) {
        TableSchema.Attribute party = parties.attribute(PARTY);
        return party == null ? List.of() : parties.lookupTargets(party);
    }

    /** The collection-valued navigation property of an activity table's parties. */
    static String collection(String activityTable) {
        return activityTable + "_activity_parties";
    }

    boolean present() {
        return schema != null;
    }

    /**
     * The deep-insert items of an activity's saved parties, or empty when it had none (or the
     * snapshot has no parties). A party that cannot be mapped fails the activity with the reason.
     */
    Optional<ArrayNode> of(String activityTable, String activityId) {
        if (!present() || !activityTables(schema).contains(activityTable)) {
            return Optional.empty();
        }
        List<byte[]> kept = index().get(activityId.toLowerCase(Locale.ROOT));
        if (kept == null || kept.isEmpty()) {
            return Optional.empty();
        }
        List<JsonNode> saved = new ArrayList<>(kept.size());
        for (byte[] party : kept) {
            try {
                saved.add(RestoreJson.MAPPER.readTree(party));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        ArrayNode items = RestoreJson.MAPPER.getNodeFactory().arrayNode();
        mapper.prefetchReferences(saved);
        for (JsonNode party : saved) {
            ObjectNode body = mapper.createBody(mapper.map(party), true);
            body.remove(bindingsOf(body, ACTIVITY));
            items.add(body);
        }
        return Optional.of(items);
    }

    /** The activity's own binding (activityid_email@odata.bind...): the deep insert makes it. */
    private List<String> bindingsOf(ObjectNode body, String column) {
        List<String> names = new ArrayList<>();
        Set<String> navigations = new LinkedHashSet<>();
        schema.relationshipsOf(column).forEach(r -> navigations.add(r.navigationProperty() + "@odata.bind"));
        body.fieldNames().forEachRemaining(name -> {
            if (navigations.contains(name)) {
                names.add(name);
            }
        });
        return names;
    }

    private Map<String, List<byte[]>> index() {
        Map<String, List<byte[]>> index = byActivity;
        if (index != null) {
            return index;
        }
        synchronized (this) {
            if (byActivity == null) {
                Map<String, List<byte[]>> grouped = new HashMap<>();
                String property = "_" + ACTIVITY + "_value";
                Iterator<? extends JsonNode> records = snapshot.records(snapshot.verifiedParts(manifest, workDir),
                        schema.primaryIdAttribute());
                while (records.hasNext()) {
                    JsonNode party = records.next();
                    JsonNode activity = party.get(property);
                    if (activity != null && !activity.isNull()) {
                        try {
                            grouped.computeIfAbsent(activity.asText().toLowerCase(Locale.ROOT), k -> new ArrayList<>(4))
                                    .add(RestoreJson.MAPPER.writeValueAsBytes(party));
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                byActivity = new LinkedHashMap<>(grouped);
            }
            return byActivity;
        }
    }
}
