package org.dataversebackup.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.Urls;
import org.dataversebackup.snapshot.SnapshotJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a table's schema for {@code schema/<table>.json}: its EntityDefinition with attributes and
 * 1:N, N:1 and N:N relationships, as the Web API returns it, with each lookup attribute's
 * {@code Targets} filled in from the {@code LookupAttributeMetadata} cast (restore needs them).
 */
public class TableSchemas {
    private final Supplier<DataverseClient> client;

    public TableSchemas(Supplier<DataverseClient> client) {
        this.client = client;
    }

    public byte[] read(TableScope table) {
        String entity = "EntityDefinitions(LogicalName='" + Urls.encode(table.logicalName()) + "')";
        ObjectNode definition = (ObjectNode) client.get().getJson(entity
                + "?$expand=Attributes,ManyToOneRelationships,OneToManyRelationships,ManyToManyRelationships");
        definition.remove("@odata.context");
        JsonNode lookups = client.get().getJson(entity + "/Attributes/Microsoft.Dynamics.CRM.LookupAttributeMetadata"
                + "?$select=LogicalName,Targets");
        Map<String, JsonNode> targets = new HashMap<>();
        lookups.path("value").forEach(l -> targets.put(l.path("LogicalName").asText(), l.path("Targets")));
        for (JsonNode attribute : definition.path("Attributes")) {
            JsonNode lookupTargets = targets.get(attribute.path("LogicalName").asText());
            if (lookupTargets != null && !attribute.has("Targets")) {
                ((ObjectNode) attribute).set("Targets", lookupTargets);
            }
        }
        // CanStoreFullImage from the ImageAttributeMetadata cast: the backup asks for full-sized images only where kept
        Map<String, JsonNode> images = new HashMap<>();
        client.get().getJson(entity + "/Attributes/Microsoft.Dynamics.CRM.ImageAttributeMetadata"
                + "?$select=LogicalName,CanStoreFullImage,MaxSizeInKB").path("value")
                .forEach(i -> images.put(i.path("LogicalName").asText(), i));
        for (JsonNode attribute : definition.path("Attributes")) {
            JsonNode image = images.get(attribute.path("LogicalName").asText());
            if (image != null && !attribute.has("CanStoreFullImage")) {
                ((ObjectNode) attribute).set("CanStoreFullImage", image.path("CanStoreFullImage"));
                ((ObjectNode) attribute).set("MaxSizeInKB", image.path("MaxSizeInKB"));
            }
        }
        try {
            return SnapshotJson.MAPPER.writeValueAsBytes(definition);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String path(TableScope table) {
        return "schema/" + table.logicalName() + ".json";
    }
}
