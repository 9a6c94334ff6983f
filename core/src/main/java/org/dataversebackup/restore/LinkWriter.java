package org.dataversebackup.restore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.WriteOperation;
import org.dataversebackup.dataverse.WriteResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Restores the N:N links saved in an intersect table (e.g. {@code dvb_project_contact}) with
 * {@code POST /<entity1 set>(<id1>)/<Entity1NavigationPropertyName>/$ref} and
 * {@code {"@odata.id": "<api root>/<entity2 set>(<id2>)"}}, as Microsoft documents associating
 * rows through a collection-valued navigation property. Links the target already has (read from
 * its intersect table first) are left alone: unchanged, or created when an earlier attempt of this
 * restore created them (its {@link RestoreJournal} says so). A link answered "duplicate" although
 * it was missing when read is read back (see {@link #verify}), never counted unchanged on that word.
 */
final class LinkWriter {
    private record Link(String reportId, String id1, String id2) {
        /** How the journal names the link: a GUID made of both ends (the intersect row's own id is not always saved). */
        String journalId() {
            return UUID.nameUUIDFromBytes((id1 + "|" + id2).getBytes(StandardCharsets.UTF_8)).toString();
        }

        String pair() {
            return id1 + "|" + id2;
        }
    }

    /** An association answered "duplicate key". */
    private record Duplicate(Link link, WriteResult result) {
    }

    private final RestoreRun run;
    private final TableState table;
    private final TableSchema.ManyToMany relationship;

    LinkWriter(RestoreRun run, TableState table) {
        this.run = run;
        this.table = table;
        this.relationship = table.relationship();
    }

    void write(List<JsonNode> records) {
        String set1 = run.entitySets().of(relationship.entity1()).orElse(null);
        String set2 = run.entitySets().of(relationship.entity2()).orElse(null);
        List<Link> links = new ArrayList<>();
        for (JsonNode record : records) {
            String reportId = text(record, table.schema().primaryIdAttribute());
            String id1 = text(record, relationship.entity1Attribute());
            String id2 = text(record, relationship.entity2Attribute());
            if (id1 == null || id2 == null || set1 == null || set2 == null) {
                failed(reportId == null ? id1 + "/" + id2 : reportId, new WriteResult(0, "", id1 == null || id2 == null
                        ? "the saved link lacks " + relationship.entity1Attribute() + " or " + relationship.entity2Attribute()
                        : "no entity set for " + (set1 == null ? relationship.entity1() : relationship.entity2()) + " in the target"));
                continue;
            }
            ReferenceMapping mapping = run.references().mapping();
            links.add(new Link(reportId == null ? id1 + "/" + id2 : reportId, mapping.map(relationship.entity1(), id1),
                    mapping.map(relationship.entity2(), id2)));
        }
        Set<String> existing;
        try {
            // no link when the restore began: only this restore's, and each link is written once
            existing = table.emptyAtStart() ? new HashSet<>() : existing(links);
        } catch (DataverseException e) {
            links.forEach(l -> failed(l.reportId(), WriteResult.failed(e)));
            return;
        }
        List<Link> toCreate = new ArrayList<>();
        for (Link link : links) {
            if (!existing.contains(link.pair())) {
                toCreate.add(link);
            } else if (createdBefore(link)) {
                table.created.incrementAndGet();
                table.createdBefore.incrementAndGet();
            } else {
                table.unchanged.incrementAndGet();
            }
        }
        if (run.dryRun()) {
            table.created.addAndGet(toCreate.size());
            return;
        }
        String apiRoot = run.writer().client().apiRoot().toString();
        List<WriteOperation> operations = new ArrayList<>();
        for (Link link : toCreate) {
            ObjectNode body = RestoreJson.MAPPER.getNodeFactory().objectNode();
            body.put("@odata.id", apiRoot + set2 + "(" + link.id2() + ")");
            operations.add(new WriteOperation("POST", set1 + "(" + link.id1() + ")/"
                    + relationship.entity1NavigationProperty() + "/$ref", Map.of(), RowWriter.bytes(body)));
        }
        run.journal().sent(table.name(), toCreate.stream().map(Link::journalId).toList());
        List<WriteResult> results = run.write(operations);
        List<String> created = new ArrayList<>();
        List<String> notCreated = new ArrayList<>();
        List<Duplicate> duplicates = new ArrayList<>();
        for (int i = 0; i < toCreate.size(); i++) {
            Link link = toCreate.get(i);
            WriteResult result = results.get(i);
            if (result.succeeded()) {
                table.created.incrementAndGet();
                created.add(link.journalId());
            } else if (result.duplicateKey()) {
                duplicates.add(new Duplicate(link, result));
            } else {
                failed(link.reportId(), result);
                if (result.status() / 100 == 4) {
                    notCreated.add(link.journalId()); // refused; a 5xx or no answer may have been applied: stays "sent"
                }
            }
        }
        verify(duplicates, created, notCreated);
        run.journal().answered(table.name(), created, notCreated);
    }

    /**
     * Links answered "duplicate" although they were missing when the chunk was read: the answer to
     * this restore's request was lost and the client sent it again (or someone linked the rows in
     * between). They are read back (one request): found, they count as created
     * ({@code createdVerified}); not found, failed. When they cannot be read back they are
     * {@code unverified}: not known to be written, so the restore fails and keeps its journal; the
     * same request run again reads them.
     */
    private void verify(List<Duplicate> duplicates, List<String> created, List<String> notCreated) {
        if (duplicates.isEmpty()) {
            return;
        }
        Set<String> present;
        try {
            present = existing(duplicates.stream().map(Duplicate::link).toList());
        } catch (DataverseException e) {
            for (Duplicate d : duplicates) {
                table.unverified.incrementAndGet();
                run.failures().add(table.name(), d.link().reportId(), "unverified", d.result().status(), d.result().code(),
                        "the answer was lost (the request sent again was answered: " + d.result().message()
                                + ") and the link could not be read back: " + e.getMessage(), "links");
            }
            return;
        }
        for (Duplicate d : duplicates) {
            if (present.contains(d.link().pair())) {
                table.created.incrementAndGet();
                table.createdVerified.incrementAndGet();
                created.add(d.link().journalId());
            } else {
                failed(d.link().reportId(), d.result());
                notCreated.add(d.link().journalId());
            }
        }
    }

    /**
     * Whether a link the target has was created by an earlier attempt of this restore: its journal
     * says the association was answered, or sent and never answered (a link has no content to
     * compare: the ends are all there is).
     */
    private boolean createdBefore(Link link) {
        RestoreJournal.Earlier earlier = run.journal().earlier(table.name(), link.journalId());
        return earlier == RestoreJournal.Earlier.CREATED || earlier == RestoreJournal.Earlier.SENT;
    }

    /** The links among these that the target has: "id1|id2". */
    private Set<String> existing(List<Link> links) {
        Set<String> ids1 = new LinkedHashSet<>();
        links.forEach(l -> ids1.add(l.id1()));
        Set<String> existing = new HashSet<>();
        if (ids1.isEmpty()) {
            return existing;
        }
        String a1 = relationship.entity1Attribute();
        String a2 = relationship.entity2Attribute();
        for (ObjectNode row : run.liveRows().read(table.schema().entitySetName(), a1, ids1, List.of(a1, a2))) {
            String id1 = text(row, a1);
            String id2 = text(row, a2);
            if (id1 != null && id2 != null) {
                existing.add(id1 + "|" + id2);
            }
        }
        return existing;
    }

    private void failed(String id, WriteResult result) {
        table.failed.incrementAndGet();
        run.failures().add(table.name(), id, "failed", result.status(), result.code(), result.message(), "links");
    }

    private static String text(JsonNode record, String property) {
        JsonNode value = record.get(property);
        return value == null || value.isNull() ? null : value.asText().toLowerCase(Locale.ROOT);
    }
}
