package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.dataversebackup.snapshot.SnapshotManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restore's key is what was asked: the same request however written has it, another request has another. */
class RestoreKeyTest {
    private static final SnapshotManifest MANIFEST = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION,
            new SnapshotManifest.Tool("dataverse-backup", "test"), "20260101T020000Z-full", "full",
            new SnapshotManifest.Source("https://contoso.crm.dynamics.com", "11111111-2222-4333-8444-555555555555", "contoso"),
            "2026-01-01T02:00:00Z", "2026-01-01T02:10:00Z", List.of());
    private static final String ORG = "aaaaaaaa-2222-4333-8444-555555555555";
    private static final String ID1 = "5a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d";
    private static final String ID2 = "6a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d";

    @TempDir
    Path dir;

    private static RestoreKey key(String url, RestoreMode mode, List<String> tables, List<String> ids, Optional<String> mapping) {
        return RestoreKey.of(MANIFEST, url, ORG, mode, tables, ids, Optional.empty(), mapping);
    }

    @Test
    void theSameRequestHasTheSameKeyAndAnotherRequestAnother() throws Exception {
        RestoreKey key = key("https://test.crm.dynamics.com", RestoreMode.CREATE, List.of("account", "contact"), List.of(ID1, ID2),
                Optional.empty());
        assertThat(key.folderName()).startsWith("20260101T020000Z-full-create-").hasSize("20260101T020000Z-full-create-".length() + 16);
        assertThat(key("https://TEST.crm.dynamics.com/", RestoreMode.CREATE, List.of("contact", "account"), List.of(ID2, ID1),
                Optional.empty())).isEqualTo(key);
        assertThat(key("https://test.crm.dynamics.com", RestoreMode.UPSERT, List.of("account", "contact"), List.of(ID1, ID2),
                Optional.empty()).folderName()).isNotEqualTo(key.folderName());
        assertThat(key("https://test.crm.dynamics.com", RestoreMode.CREATE, List.of("account"), List.of(ID1, ID2),
                Optional.empty()).folderName()).isNotEqualTo(key.folderName());
        assertThat(key("https://test.crm.dynamics.com", RestoreMode.CREATE, List.of("account", "contact"), List.of(ID1),
                Optional.empty()).folderName()).isNotEqualTo(key.folderName());

        Path mapping = dir.resolve("mapping.json");
        Files.writeString(mapping, "{\"systemuser\": {}}");
        RestoreKey mapped = key("https://test.crm.dynamics.com", RestoreMode.CREATE, List.of("account", "contact"), List.of(ID1, ID2),
                Optional.of(mapping.toString()));
        assertThat(mapped.folderName()).isNotEqualTo(key.folderName());
        Files.writeString(mapping, "{\"systemuser\": {\"" + ID1 + "\": \"" + ID2 + "\"}}");
        assertThat(key("https://test.crm.dynamics.com", RestoreMode.CREATE, List.of("account", "contact"), List.of(ID1, ID2),
                Optional.of(mapping.toString())).folderName()).as("the mapping's content counts").isNotEqualTo(mapped.folderName());
        assertThat(key.description()).containsEntry("ids", 2).containsEntry("mode", "create");
    }
}
