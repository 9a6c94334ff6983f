package org.dataversebackup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.snapshot.Sha256;
import org.dataversebackup.snapshot.SnapshotManifest;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What identifies a restore for its {@link RestoreJournal}: what was asked, never when or how. The
 * snapshot (its id and source organization: ids are unique per environment only), the target
 * (URL and organization), the mode and the selection (tables, ids, filter, the mapping file's
 * content). The same request run again, from the command line, a {@code direct:}/{@code dataverse:}
 * route or an inbox file, has the same key, so it finds the journal of the attempts before it.
 * Dry run, {@code allowOtherEnvironment} and settings such as the batch size are not part of it.
 *
 * @param folderName  the restore's folder in {@code restore.work-dir}: readable, then a hash of the rest
 * @param description what was asked, for people looking at the folder
 */
public record RestoreKey(String folderName, Map<String, Object> description) {

    /**
     * @param tables the tables chosen (the request's, or the snapshot's less {@code restore.exclude})
     */
    public static RestoreKey of(SnapshotManifest manifest, String targetUrl, String targetOrganizationId, RestoreMode mode,
            Collection<String> tables, Collection<String> ids, Optional<String> filter, Optional<String> mapping) {
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("snapshotId", manifest.snapshotId());
        asked.put("sourceOrganizationId", manifest.source() == null ? null : lower(manifest.source().organizationId()));
        asked.put("targetUrl", lower(targetUrl.replaceAll("/+$", "")));
        asked.put("targetOrganizationId", lower(targetOrganizationId));
        asked.put("mode", mode.label());
        asked.put("tables", List.copyOf(new TreeSet<>(tables.stream().map(RestoreKey::lower).toList())));
        asked.put("ids", List.copyOf(new TreeSet<>(ids.stream().map(RestoreKey::lower).toList())));
        asked.put("filter", filter.orElse(null));
        asked.put("mappingSha256", mapping.map(RestoreKey::contentHash).orElse(null));
        String hash;
        try {
            hash = Sha256.hex(RestoreJson.MAPPER.writeValueAsBytes(asked)).substring(0, 16);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }

        Map<String, Object> description = new LinkedHashMap<>(asked);
        description.put("ids", ids.size()); // the ids themselves can be many: they are in the hash
        mapping.ifPresent(m -> description.put("mapping", m));
        String readable = (manifest.snapshotId() + "-" + mode.label()).replaceAll("[^A-Za-z0-9._-]", "_");
        return new RestoreKey(readable + "-" + hash, description);
    }

    private static String contentHash(String mappingFile) {
        try {
            return Sha256.hex(Files.readAllBytes(Path.of(mappingFile)));
        } catch (IOException e) {
            throw new ConfigurationException("The mapping file " + mappingFile + " cannot be read: " + e.getMessage());
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }
}
