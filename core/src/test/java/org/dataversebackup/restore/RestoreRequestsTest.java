package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreRequestsTest {
    private static final String ID1 = "aaaaaaaa-0000-4000-8000-000000000001";
    private static final String ID2 = "AAAAAAAA-0000-4000-8000-000000000002";

    private static RestoreRequest json(String text) {
        return RestoreRequests.fromJson(text.getBytes(StandardCharsets.UTF_8), "request.json");
    }

    @Test
    void aFullRequestFile() {
        RestoreRequest request = json("{\"snapshot\":\"s3://bucket/backups/contoso/20260101T020000Z-full\",\"tables\":[\"account\",\"contact\"],"
                + "\"mode\":\"create\",\"ids\":[\"" + ID1 + "\",\"{" + ID2 + "}\"],\"dryRun\":true,\"allowOtherEnvironment\":true,"
                + "\"filter\":\"statecode=0\",\"mapping\":\"mapping.json\",\"rerun\":true}");
        assertThat(request.snapshot()).isEqualTo("s3://bucket/backups/contoso/20260101T020000Z-full");
        assertThat(request.tables()).containsExactly("account", "contact");
        assertThat(request.mode()).contains(RestoreMode.CREATE);
        assertThat(request.ids()).containsExactlyInAnyOrder(ID1, ID2.toLowerCase());
        assertThat(request.dryRun()).isTrue();
        assertThat(request.allowOtherEnvironment()).isTrue();
        assertThat(request.filter()).contains("statecode=0");
        assertThat(request.mapping()).contains("mapping.json");
        assertThat(request.rerun()).isTrue();
    }

    @Test
    void onlyTheSnapshotIsRequired() {
        RestoreRequest request = json("{\"snapshot\":\"backups/contoso/x\"}");
        assertThat(request.tables()).isEmpty();
        assertThat(request.mode()).isEmpty();
        assertThat(request.dryRun()).isFalse();
    }

    @Test
    void unknownKeysWrongTypesAndMissingSnapshotAreErrors() {
        assertThatThrownBy(() -> json("{\"snapshot\":\"x\",\"dryrun\":true}")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown key 'dryrun'");
        assertThatThrownBy(() -> json("{\"tables\":[\"account\"]}")).hasMessageContaining("'snapshot' is required");
        assertThatThrownBy(() -> json("{\"snapshot\":\"x\",\"dryRun\":\"yes\"}")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> json("{\"snapshot\":\"x\",\"ids\":[\"not-a-guid\"]}")).hasMessageContaining("not a primary key");
        assertThatThrownBy(() -> json("{\"snapshot\":\"x\",\"mode\":\"merge\"}")).hasMessageContaining("upsert, create, update");
        assertThatThrownBy(() -> json("{\"snapshot\":")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> json("[]")).hasMessageContaining("JSON object");
    }

    @Test
    void headersWinOverTheBody() {
        Map<String, Object> headers = new HashMap<>();
        headers.put(RestoreHeaders.TABLES, "account, contact");
        headers.put(RestoreHeaders.DRY_RUN, "true");
        headers.put(RestoreHeaders.IDS, ID1 + "," + ID2);
        RestoreRequest request = RestoreRequests.fromMessage(headers, "{\"snapshot\":\"snap\",\"tables\":[\"x\"],\"mode\":\"update\"}");
        assertThat(request.snapshot()).isEqualTo("snap");
        assertThat(request.tables()).containsExactly("account", "contact");
        assertThat(request.mode()).contains(RestoreMode.UPDATE);
        assertThat(request.dryRun()).isTrue();
        assertThat(request.ids()).hasSize(2);
        assertThatThrownBy(() -> RestoreRequests.fromMessage(Map.of(), null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(RestoreHeaders.SNAPSHOT);
        assertThat(RestoreRequests.fromMessage(Map.of(RestoreHeaders.SNAPSHOT, "only/headers"), "").snapshot()).isEqualTo("only/headers");
    }

    @Test
    void idsFromAListOrAFile(@TempDir Path dir) throws Exception {
        assertThat(RestoreRequests.idsArgument(ID1 + "," + ID2)).containsExactly(ID1, ID2.toLowerCase());
        Path file = dir.resolve("ids.txt");
        Files.writeString(file, "# accounts to bring back\n" + ID1 + "\n\n" + ID2 + "\n");
        assertThat(RestoreRequests.idsArgument("@" + file)).containsExactly(ID1, ID2.toLowerCase());
        assertThat(RestoreRequests.idsArgument(file.toString())).hasSize(2);
        assertThatThrownBy(() -> RestoreRequests.idsArgument("@" + dir.resolve("none.txt"))).hasMessageContaining("cannot be read");
        assertThat(org.dataversebackup.config.Selection.split(" a, b  c ")).isEqualTo(List.of("a", "b", "c"));
    }

    /** An empty selection must never widen to "every row": the inbox, direct:/component headers and the CLI share this. */
    @Test
    void anEmptyOrBlankSelectionIsAnErrorNeverEverything() {
        for (String selection : List.of("\"ids\": []", "\"ids\": \"\"", "\"ids\": \" , \"", "\"ids\": [\"\"]",
                "\"tables\": []", "\"tables\": \"\"", "\"tables\": \",,\"", "\"tables\": [\" \"]", "\"filter\": \"\"",
                "\"filter\": \"  \"")) {
            assertThatThrownBy(() -> json("{\"snapshot\":\"x\", " + selection + "}")).as(selection)
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("request.json")
                    .hasMessageContaining("is empty").hasMessageContaining("never means everything");
        }
        for (String header : List.of(RestoreHeaders.TABLES, RestoreHeaders.IDS, RestoreHeaders.FILTER)) {
            for (Object blank : List.of("", " ", ",,", List.of())) {
                if (header.equals(RestoreHeaders.FILTER) && !(blank instanceof String s && s.isBlank())) {
                    continue;
                }
                Map<String, Object> headers = new HashMap<>();
                headers.put(RestoreHeaders.SNAPSHOT, "snap");
                headers.put(header, blank);
                assertThatThrownBy(() -> RestoreRequests.fromMessage(headers, null)).as(header + "=" + blank)
                        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Header " + header + " is empty");
            }
        }
        assertThatThrownBy(() -> RestoreRequests.idsArgument(",")).hasMessageContaining("--ids is empty");
        assertThatThrownBy(() -> RestoreRequests.tablesArgument(" , ")).hasMessageContaining("--tables is empty");
        assertThatThrownBy(() -> RestoreRequests.filterArgument("")).hasMessageContaining("--filter is empty");
    }

    @Test
    void anIdsFileWithNoIdIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ids.txt");
        Files.writeString(file, "# nothing yet\n\n");
        assertThatThrownBy(() -> RestoreRequests.idsArgument("@" + file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("The ids file " + file + " is empty");
    }
}
