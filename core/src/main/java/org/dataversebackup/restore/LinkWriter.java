package org.dataversebackup.restore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * its intersect table first) are left alone; a link answered "duplicate" is not an error.
 */
final class LinkWriter {
    private record Link(String reportId, String id1, String id2) {
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
            existing = existing(links);
        } catch (DataverseException e) {
            links.forEach(l -> failed(l.reportId(), WriteResult.failed(e)));
            return;
        }
        List<Link> toCreate = new ArrayList<>();
        for (Link link : links) {
            if (existing.contains(link.id1() + "|" + link.id2())) {
                table.unchanged.incrementAndGet();
            } else {
                toCreate.add(link);
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
        List<WriteResult> results = run.write(operations);
        for (int i = 0; i < toCreate.size(); i++) {
            WriteResult result = results.get(i);
            if (result.succeeded()) {
                table.created.incrementAndGet();
            } else if (result.duplicateKey()) {
                table.unchanged.incrementAndGet(); // the link exists: not an error
            } else {
                failed(toCreate.get(i).reportId(), result);
            }
        }
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
