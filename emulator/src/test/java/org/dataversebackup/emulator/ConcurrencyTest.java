package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Writers and paging readers at the same time: no request fails, every write is kept, pages stay consistent. */
class ConcurrencyTest {
    @Test
    void parallelWritersAndReaders() {
        try (DataverseEmulator emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(300, 1, 10)).start()) {
            String token = new TestClient(emulator).appToken();
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<?>> work = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int writer = w;
                TestClient client = new TestClient(emulator);
                work.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 20; i++) {
                        statuses.add(client.apiRequest("POST", token, "accounts", "{\"name\":\"parallel " + writer + "-" + i + "\"}").status());
                        statuses.add(client.apiRequest("PATCH", token, "dvb_projects(dvb_code='PAR-" + writer + "')",
                                "{\"dvb_name\":\"v" + i + "\"}").status());
                    }
                }));
            }
            ConcurrentLinkedQueue<Integer> pageSizes = new ConcurrentLinkedQueue<>();
            for (int r = 0; r < 3; r++) {
                TestClient client = new TestClient(emulator);
                work.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < 3; round++) {
                        Set<String> ids = new HashSet<>();
                        String url = emulator.webApiUrl() + "accounts?$select=name";
                        while (url != null) {
                            TestClient.Response page = client.api(token, url, "Prefer", "odata.maxpagesize=50");
                            statuses.add(page.status());
                            JsonNode body = page.json();
                            body.get("value").forEach(v -> assertThat(ids.add(v.get("accountid").asText())).isTrue());
                            url = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
                        }
                        pageSizes.add(ids.size());
                    }
                }));
            }
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
            assertThat(statuses).allMatch(s -> s == 204 || s == 200);
            assertThat(emulator.state().count("account")).isEqualTo(300 + 6 * 20);
            assertThat(pageSizes).allMatch(n -> n >= 300 && n <= 420);
            TestClient check = new TestClient(emulator);
            assertThat(check.api(token, "dvb_projects(dvb_code='PAR-3')?$select=dvb_name").json().get("dvb_name").asText()).isEqualTo("v19");
        }
    }
}
