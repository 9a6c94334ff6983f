package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Service protection limits (scaled down) and injected latency and faults on reads. */
class ServiceProtectionAndFaultsTest {
    DataverseEmulator emulator;
    TestClient client;
    String token;

    @BeforeEach
    void start() {
        emulator = DataverseEmulator.builder().generate(DataSetSpec.sized(20, 1, 2))
                .serviceProtection(5, Duration.ofSeconds(1), 2).start();
        client = new TestClient(emulator);
        token = client.appToken();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void requestsOverTheWindowAre429WithRetryAfterAndTheDocumentedCode() throws Exception {
        List<String> remaining = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestClient.Response r = client.api(token, "WhoAmI");
            assertThat(r.status()).isEqualTo(200);
            remaining.add(r.header("x-ms-ratelimit-burst-remaining-xrm-requests"));
        }
        assertThat(remaining).containsExactly("4", "3", "2", "1", "0");
        TestClient.Response limited = client.api(token, "WhoAmI");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 2);
        assertThat(limited.json().get("error").get("code").asText()).isEqualTo("0x80072322");
        assertThat(limited.json().get("error").get("message").asText())
                .isEqualTo("Number of requests exceeded the limit of 5 over time window of 1 seconds.");
        // another user has its own window
        assertThat(client.api(client.userToken(EmulatorIdentities.ADMIN_USER), "WhoAmI").status()).isEqualTo(200);
        Thread.sleep(1100);
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200);
    }

    @Test
    void requestsSentBeforeRetryAfterHasPassedAreRefusedAndExtendTheWait() {
        for (int i = 0; i < 5; i++) {
            assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200);
        }
        TestClient.Response first = client.api(token, "WhoAmI");
        assertThat(first.status()).isEqualTo(429);
        // each request sent meanwhile adds a fifth of the 1 s window: 10 of them, 2 s
        TestClient.Response last = null;
        for (int i = 0; i < 10; i++) {
            last = client.api(token, "WhoAmI");
            assertThat(last.status()).isEqualTo(429);
            assertThat(last.json().get("error").get("code").asText()).isEqualTo("0x80072322");
        }
        assertThat(Integer.parseInt(last.header("Retry-After"))).isGreaterThan(Integer.parseInt(first.header("Retry-After")));
        // lifting the limits ends the wait
        emulator.serviceProtection(100, Duration.ofSeconds(1), 2);
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200);
    }

    @Test
    void concurrentRequestsOverTheLimitAre429WithTheConcurrencyCode() {
        emulator.serviceProtection(100, Duration.ofSeconds(60), 1);
        emulator.faults().pageLatency(Duration.ofMillis(800));
        CompletableFuture<TestClient.Response> slow = CompletableFuture.supplyAsync(() -> client.api(token, "accounts?$select=name"));
        sleep(300);
        TestClient.Response second = client.api(token, "accounts?$select=name");
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.json().get("error").get("code").asText()).isEqualTo("0x80072326");
        assertThat(second.json().get("error").get("message").asText()).isEqualTo("Number of concurrent requests exceeded the limit of 1.");
        assertThat(second.header("Retry-After")).isNotNull();
        assertThat(slow.join().status()).isEqualTo(200);
    }

    @Test
    void statisticsPerUserCountTheMostConcurrentRequestsAndTheThrottledOnes() {
        emulator.serviceProtection(100, Duration.ofSeconds(60), 2);
        java.util.UUID user = java.util.UUID.fromString(client.api(token, "WhoAmI").json().get("UserId").asText());
        emulator.faults().pageLatency(Duration.ofMillis(800));
        List<CompletableFuture<TestClient.Response>> slow = List.of(
                CompletableFuture.supplyAsync(() -> client.api(token, "accounts?$select=name")),
                CompletableFuture.supplyAsync(() -> client.api(token, "accounts?$select=name")));
        sleep(300);
        TestClient.Response third = client.api(token, "accounts?$select=name");
        slow.forEach(s -> assertThat(s.join().status()).isEqualTo(200));
        assertThat(third.status()).isEqualTo(429);

        UserStatistics seen = emulator.userStatistics().get(user);
        assertThat(seen.maxConcurrentRequests()).isEqualTo(2);
        assertThat(seen.requests()).isEqualTo(3); // WhoAmI and the two slow reads
        assertThat(seen.throttled()).isEqualTo(1);
        assertThat(emulator.userStatistics()).containsOnlyKeys(user);
    }

    @Test
    void theCombinedExecutionTimeOfAUsersRequestsIsLimited() {
        emulator.serviceProtection(1000, Duration.ofSeconds(60), 50);
        emulator.executionTimeLimit(Duration.ofMillis(500));
        emulator.faults().requestLatency(Duration.ofMillis(300));
        try {
            assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200); // 300 ms spent
            TestClient.Response second = client.api(token, "WhoAmI"); // 600 ms spent: over the limit from now on
            assertThat(second.status()).isEqualTo(200);
            assertThat(Double.parseDouble(second.header("x-ms-ratelimit-time-remaining-xrm-requests"))).isLessThan(0.5);
            TestClient.Response refused = client.api(token, "WhoAmI");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("0x80072321").contains("Combined execution time of incoming requests exceeded"
                    + " limit of 500 milliseconds over time window of 60 seconds");
            // until the first request's time leaves the window: about a minute
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(55, 60);
        } finally {
            emulator.executionTimeLimit(null);
            emulator.faults().requestLatency(Duration.ZERO);
        }
    }

    @Test
    void latencyIsAddedPerRequestAndPerPage() {
        emulator.serviceProtection(1000, Duration.ofSeconds(60), 50);
        emulator.faults().requestLatency(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        emulator.faults().requestLatency(Duration.ZERO).pageLatency(Duration.ofMillis(300));
        start = System.nanoTime();
        assertThat(client.api(token, "accounts?$select=name").status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        start = System.nanoTime();
        client.api(token, "WhoAmI");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300);
    }

    @Test
    void injectedThrottlingAndServerErrorsAreConsumedOneByOne() {
        emulator.serviceProtection(1000, Duration.ofSeconds(60), 50);
        emulator.faults().throttleNext(2, Duration.ofSeconds(7));
        for (int i = 0; i < 2; i++) {
            TestClient.Response r = client.api(token, "WhoAmI");
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isEqualTo("7");
        }
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200);

        emulator.faults().failNext(1, 503);
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(503);
        assertThat(client.api(token, "WhoAmI").status()).isEqualTo(200);

        emulator.faults().failNext(2, 500, "contacts");
        assertThat(client.api(token, "accounts?$select=name").status()).isEqualTo(200);
        TestClient.Response failed = client.api(token, "contacts?$select=fullname");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().get("error").get("message").asText()).isNotEmpty();
        assertThat(client.api(token, "contacts(00000000-0000-0000-0000-000000000001)").status()).isEqualTo(500);
        assertThat(client.api(token, "contacts?$select=fullname").status()).isEqualTo(200);
        assertThat(emulator.faults().injectedCount()).isEqualTo(5);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
