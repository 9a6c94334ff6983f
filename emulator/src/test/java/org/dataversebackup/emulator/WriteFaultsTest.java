package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults of writes: failing before being applied, and applied but unanswered (the idempotency case). */
class WriteFaultsTest {
    DataverseEmulator emulator;
    TestClient client;
    String token;

    @BeforeEach
    void start() {
        emulator = DataverseEmulator.builder().start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private int accounts(String name) {
        return Integer.parseInt(client.api(token, "accounts/$count?$filter=" + TestClient.q("name eq '" + name + "'")).body().trim());
    }

    @Test
    void writesFailBeforeBeingApplied() {
        emulator.faults().failNextWrites(2, 503);
        assertThat(client.apiRequest("POST", token, "accounts", "{\"name\":\"f1\"}").status()).isEqualTo(503);
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200);
        assertThat(client.apiRequest("POST", token, "accounts", "{\"name\":\"f1\"}").status()).isEqualTo(503);
        assertThat(accounts("f1")).isZero();
        assertThat(client.apiRequest("POST", token, "accounts", "{\"name\":\"f1\"}").status()).isEqualTo(204);
        assertThat(accounts("f1")).isEqualTo(1);
    }

    @Test
    void droppedWritesAreAppliedButGetNoResponse() {
        emulator.faults().dropNextWrites(1);
        assertThatThrownBy(() -> client.apiRequest("POST", token, "accounts", "{\"name\":\"dropped\"}"))
                .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(accounts("dropped")).isEqualTo(1);
        assertThat(client.apiRequest("POST", token, "accounts", "{\"name\":\"answered\"}").status()).isEqualTo(204);
    }

    @Test
    void seededRandomFailuresRepeat() {
        List<Integer> first = pattern(emulator, 42);
        try (DataverseEmulator other = DataverseEmulator.builder().start()) {
            assertThat(pattern(other, 42)).isEqualTo(first);
        }
        assertThat(first).contains(204, 500);
    }

    private static List<Integer> pattern(DataverseEmulator e, long seed) {
        TestClient c = new TestClient(e);
        String t = c.appToken();
        e.faults().randomWriteFailures(seed, 0.5, 500);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            statuses.add(c.apiRequest("POST", t, "accounts", "{\"name\":\"r" + i + "\"}").status());
        }
        e.faults().clear();
        return statuses;
    }
}
