package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * 429 answers are waited out through the gate, not counted as failed attempts, until
 * {@code retry.max-throttle-wait}: against a Web API on loopback that throttles the first requests.
 */
class DataverseClientThrottlingTest {
    private static final String[] TRUST = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType"};
    private final Map<String, String> trust = new HashMap<>();

    private HttpServer server;
    private URI url;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int throttledRequests;
    private final AtomicLong now = new AtomicLong();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final DataverseClient.Sleeper sleeper = delay -> {
        sleeps.add(delay);
        now.addAndGet(delay.toNanos());
    };

    @BeforeEach
    void start() throws IOException {
        // plain HTTP: whatever trust store other tests set is not needed here
        for (String key : TRUST) {
            trust.put(key, System.getProperty(key));
            System.clearProperty(key);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        trust.forEach((key, value) -> {
            if (value != null) {
                System.setProperty(key, value);
            }
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean throttle = requests.incrementAndGet() <= throttledRequests;
        byte[] answer = (throttle
                ? "{\"error\":{\"code\":\"0x80072322\",\"message\":\"Number of requests exceeded the limit of 6000 over time window of 300 seconds.\"}}"
                : "{\"UserId\":\"00000000-0000-0000-0000-000000000001\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (throttle) {
            exchange.getResponseHeaders().add("Retry-After", "60");
        }
        exchange.sendResponseHeaders(throttle ? 429 : 200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private DataverseClient client(Duration maxThrottleWait) {
        AccessTokens tokens = FixedToken.INSTANCE;
        ServiceProtectionGate gate = new ServiceProtectionGate(url + " as application 1", 4, now::get, sleeper);
        // two attempts for failures: more 429s than that must still be waited out
        return new DataverseClient(url, "9.2", tokens, new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1),
                maxThrottleWait), Duration.ofSeconds(10), false, JvmTrustStore.sslContext(), sleeper, gate);
    }

    @Test
    void a429IsNoFailedAttemptTheRequestWaitsEachRetryAfter() {
        throttledRequests = 5;
        assertThat(client(Duration.ofMinutes(30)).getJson("WhoAmI").path("UserId").asText()).endsWith("1");
        assertThat(requests).hasValue(6);
        assertThat(sleeps).hasSize(5).allMatch(Duration.ofSeconds(60)::equals);
    }

    @Test
    void throttledForLongerThanMaxThrottleWaitTheRequestFailsNamingTheLimitAndTheTimeWaited() {
        throttledRequests = 1000;
        assertThatThrownBy(() -> client(Duration.ofMinutes(3)).getJson("WhoAmI"))
                .isInstanceOf(DataverseException.class)
                .hasMessageContaining("GET " + url + "/api/data/v9.2/WhoAmI")
                .hasMessageContaining("429 (0x80072322)")
                .hasMessageContaining("number of requests has held this request back for 3 min")
                .hasMessageContaining("retry.max-throttle-wait (3 min)");
        // answered 429 at 0, 1, 2 and 3 minutes; waiting a fourth minute would exceed 3
        assertThat(requests).hasValue(4);
    }

    @Test
    void theClientNamesTheLimitThatHeldItsUserBack() {
        DataverseClient unthrottled = client(Duration.ofMinutes(30));
        unthrottled.getJson("WhoAmI");
        assertThat(unthrottled.limitedBy()).isEmpty();

        throttledRequests = requests.get() + 2;
        DataverseClient throttled = client(Duration.ofMinutes(30));
        throttled.getJson("WhoAmI");
        // the two 429s came one after the other, each to a request sent after the previous pause began
        assertThat(throttled.limitedBy()).contains("limited by " + url
                + " as application 1's number of requests (2 pauses, down to 1 at once)");
    }
}
