package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Change tracking with Prefer: odata.track-changes and delta links, as documented. */
class ChangeTrackingTest {
    static TestClock clock = new TestClock(Instant.parse("2024-06-01T10:00:00Z"));
    static DataverseEmulator emulator;
    static TestClient client;
    static String token;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().clock(clock).tokenLifetime(Duration.ofDays(400))
                .generate(DataSetSpec.sized(0, 0, 25)).start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static TestClient.Response get(String url, String... headers) {
        return client.api(token, url, headers);
    }

    /** Follows the initial sync to its delta link; returns {rows seen, delta link}. */
    private static String initialSync(String set, Set<String> seen, int pageSize) {
        String url = emulator.webApiUrl() + set + "?$select=dvb_name,dvb_code";
        while (true) {
            TestClient.Response r = get(url, "Prefer", "odata.track-changes", "Prefer", "odata.maxpagesize=" + pageSize);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode body = r.json();
            body.get("value").forEach(v -> seen.add(v.get("dvb_projectid").asText()));
            if (body.has("@odata.deltaLink")) {
                assertThat(body.has("@odata.nextLink")).isFalse();
                return body.get("@odata.deltaLink").asText();
            }
            url = body.get("@odata.nextLink").asText();
            assertThat(url).contains("istracking=%22True%22");
        }
    }

    @Test
    void initialSyncThenDeltaWithNewUpdatedAndDeletedRows() {
        Set<String> seen = new HashSet<>();
        String deltaLink = initialSync("dvb_projects", seen, 10);
        assertThat(seen).hasSize(emulator.state().count("dvb_project"));
        assertThat(deltaLink).startsWith(emulator.webApiUrl() + "dvb_projects?$select=dvb_name,dvb_code&$deltatoken=")
                .matches(".*\\$deltatoken=\\d+%21\\d\\d%2f\\d\\d%2f\\d{4}%20\\d\\d%3a\\d\\d%3a\\d\\d$");

        EmulatorState state = emulator.state();
        List<UUID> ids = state.ids("dvb_project");
        UUID updated = ids.get(0);
        UUID deleted = ids.get(1);
        ObjectNode row = state.row("dvb_project", updated).orElseThrow();
        row.put("dvb_name", "Renamed");
        state.putRow("dvb_project", row);
        state.deleteRow("dvb_project", deleted);
        UUID created = UUID.randomUUID();
        ObjectNode fresh = TestClient.JSON.createObjectNode().put("dvb_projectid", created.toString()).put("dvb_name", "New one")
                .put("_ownerid_value", EmulatorIdentities.ADMIN_USER_ID)
                .put("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "systemuser");
        state.putRow("dvb_project", fresh);

        TestClient.Response delta = get(deltaLink);
        assertThat(delta.status()).isEqualTo(200);
        JsonNode body = delta.json();
        assertThat(body.get("@odata.context").asText()).isEqualTo(emulator.webApiUrl() + "$metadata#dvb_projects(dvb_name,dvb_code)/$delta");
        List<String> order = new ArrayList<>();
        body.get("value").forEach(v -> order.add(v.has("reason") ? "deleted:" + v.get("id").asText() : v.get("dvb_projectid").asText()));
        assertThat(order).containsExactly(updated.toString(), created.toString(), "deleted:" + deleted);
        JsonNode deletedEntry = body.get("value").get(2);
        assertThat(deletedEntry.get("@odata.context").asText()).isEqualTo(emulator.webApiUrl() + "$metadata#dvb_projects/$deletedEntity");
        assertThat(deletedEntry.get("reason").asText()).isEqualTo("deleted");
        assertThat(body.get("value").get(0).get("dvb_name").asText()).isEqualTo("Renamed");

        String next = body.get("@odata.deltaLink").asText();
        TestClient.Response empty = get(next);
        assertThat(empty.json().get("value")).isEmpty();
        assertThat(empty.json().get("@odata.deltaLink").asText()).contains("$deltatoken=");
        TestClient.Response count = get(deltaLink.replace("dvb_projects?", "dvb_projects/$count?"));
        assertThat(count.body().trim()).isEqualTo("3");
    }

    @Test
    void deltaPagesWhenThereAreMoreChangesThanThePageSize() {
        String deltaLink = initialSync("dvb_projects", new HashSet<>(), 1000);
        EmulatorState state = emulator.state();
        List<UUID> ids = state.ids("dvb_project");
        for (int i = 2; i < 9; i++) {
            ObjectNode row = state.row("dvb_project", ids.get(i)).orElseThrow();
            row.put("dvb_hours", i);
            state.putRow("dvb_project", row);
        }
        state.deleteRow("dvb_project", ids.get(9));
        state.deleteRow("dvb_project", ids.get(10));
        List<String> entries = new ArrayList<>();
        String url = deltaLink;
        String finalDelta = null;
        while (url != null) {
            JsonNode body = get(url, "Prefer", "odata.maxpagesize=3").json();
            assertThat(body.get("value").size()).isLessThanOrEqualTo(3);
            body.get("value").forEach(v -> entries.add(v.has("reason") ? "d" : "u"));
            url = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
            if (body.has("@odata.deltaLink")) {
                finalDelta = body.get("@odata.deltaLink").asText();
            }
        }
        assertThat(entries).containsExactly("u", "u", "u", "u", "u", "u", "u", "d", "d");
        assertThat(finalDelta).isNotNull();
    }

    /** A page filled exactly by the changed rows, deletions still to come: the next page goes on with them (it once looped). */
    @Test
    void aPageFilledExactlyByChangedRowsGoesOnWithTheDeletions() {
        String deltaLink = initialSync("dvb_projects", new HashSet<>(), 1000);
        EmulatorState state = emulator.state();
        List<UUID> ids = state.ids("dvb_project");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            UUID created = UUID.randomUUID();
            state.putRow("dvb_project", TestClient.JSON.createObjectNode().put("dvb_projectid", created.toString())
                    .put("dvb_name", "New " + i).put("_ownerid_value", EmulatorIdentities.ADMIN_USER_ID)
                    .put("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "systemuser"));
            expected.add(created.toString());
        }
        for (int i = 11; i < 13; i++) {
            state.deleteRow("dvb_project", ids.get(i));
            expected.add("deleted:" + ids.get(i));
        }
        List<String> entries = new ArrayList<>();
        String url = deltaLink;
        for (int pages = 0; url != null; pages++) {
            assertThat(pages).as("pages of four changes, two at a time").isLessThan(3);
            JsonNode body = get(url, "Prefer", "odata.maxpagesize=2").json();
            body.get("value").forEach(v -> entries.add(v.has("reason") ? "deleted:" + v.get("id").asText()
                    : v.get("dvb_projectid").asText()));
            url = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
        }
        assertThat(entries).containsExactlyElementsOf(expected);
    }

    @Test
    void queryOptionsThatChangeTrackingDoesNotSupportAreRejected() {
        for (String option : new String[] {"$filter=dvb_name%20eq%20'x'", "$orderby=dvb_name", "$top=3", "$expand=dvb_AccountId"}) {
            TestClient.Response r = get("dvb_projects?$select=dvb_name&" + option, "Prefer", "odata.track-changes");
            assertThat(r.status()).isEqualTo(400);
            String name = option.substring(0, option.indexOf('='));
            assertThat(r.json().get("error").get("message").asText())
                    .isEqualTo("The \"" + name + "\" query parameter isn't supported when Change Tracking is enabled.");
        }
    }

    @Test
    void untrackedTableIsAnError() {
        TestClient.Response r = get("transactioncurrencies?$select=currencyname", "Prefer", "odata.track-changes");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("0x80072491");
    }

    @Test
    void expiredDeltaTokenAsksForAFullSync() {
        String deltaLink = initialSync("dvb_projects", new HashSet<>(), 1000);
        clock.advance(Duration.ofDays(8));
        TestClient.Response r = get(deltaLink);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("0x80044352");
        assertThat(r.json().get("error").get("message").asText())
                .isEqualTo("Version stamp associated with the client has expired. Please perform a full sync.");
    }

    @Test
    void changeTrackingNeedsGlobalRead() {
        TestClient.Response r = client.api(client.userToken(EmulatorIdentities.BASIC_READ_USER),
                "dvb_projects?$select=dvb_name", "Prefer", "odata.track-changes");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("0x80040220");
    }
}
