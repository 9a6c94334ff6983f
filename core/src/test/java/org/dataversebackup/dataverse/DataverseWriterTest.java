package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The $batch writer against a scripted Web API on loopback: partial answers, throttled parts, refused batches. */
class DataverseWriterTest {
    private static final Pattern REQUEST_LINE = Pattern.compile("(?m)^(POST|PATCH|PUT|DELETE) (\\S+) HTTP/1.1\r?$");

    private HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Duration> sleeps = new ConcurrentLinkedQueue<>();
    private volatile Function<List<String>, String> batchAnswer;
    private volatile int batchStatus = 200;
    private DataverseWriter writer;

    private static final String[] TRUST = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};
    private final Map<String, String> trust = new java.util.HashMap<>();

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
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        AccessTokens tokens = FixedToken.INSTANCE;
        // waits are recorded, not slept: the gate's clock moves by what it waits
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        DataverseClient.Sleeper sleeper = d -> {
            sleeps.add(d);
            clock.addAndGet(d.toNanos());
        };
        ServiceProtectionGate gate = new ServiceProtectionGate(url + " as application 1", 4, clock::get, sleeper);
        DataverseClient client = new DataverseClient(url, "9.2", tokens,
                new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(10)), Duration.ofSeconds(10),
                true, JvmTrustStore.sslContext(), sleeper, gate);
        writer = new DataverseWriter(client, sleeper);
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
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        byte[] answer;
        int status;
        if (path.endsWith("$batch")) {
            assertThat(exchange.getRequestHeaders().getFirst("Prefer")).isEqualTo("odata.continue-on-error");
            List<String> operations = new ArrayList<>();
            Matcher m = REQUEST_LINE.matcher(body);
            while (m.find()) {
                operations.add(m.group(1) + " " + m.group(2));
            }
            answer = batchAnswer.apply(operations).getBytes(StandardCharsets.UTF_8);
            status = batchStatus;
            exchange.getResponseHeaders().add("Content-Type", "multipart/mixed; boundary=batchresponse_1");
        } else if (path.endsWith("Multiple")) {
            // a standard table's bulk message: all or nothing, one bad row fails the request; "boom" is a server error
            status = body.contains("boom") ? 500 : body.contains("bad") ? 400 : 204;
            answer = status == 204 ? new byte[0]
                    : "{\"error\":{\"code\":\"0x80044331\",\"message\":\"A validation error occurred.\"}}".getBytes(StandardCharsets.UTF_8);
            if (status != 204) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
        } else {
            boolean bad = path.contains("bad");
            status = bad ? 400 : 204;
            answer = bad ? "{\"error\":{\"code\":\"0x80044331\",\"message\":\"A validation error occurred.\"}}".getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            if (bad) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
        }
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    private static String part(String statusLine, String... headersAndBody) {
        StringBuilder part = new StringBuilder("--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .append("HTTP/1.1 ").append(statusLine).append("\r\n");
        for (String line : headersAndBody) {
            part.append(line).append("\r\n");
        }
        return part.append("\r\n").toString();
    }

    private static List<WriteOperation> operations(String... paths) {
        List<WriteOperation> operations = new ArrayList<>();
        for (String path : paths) {
            operations.add(new WriteOperation("PATCH", path, Map.of(), "{}".getBytes(StandardCharsets.UTF_8)));
        }
        return operations;
    }

    @Test
    void oneResultPerOperationInOrder() {
        batchAnswer = ops -> part("204 No Content") + part("400 Bad Request", "Content-Type: application/json", "",
                "{\"error\":{\"code\":\"0x80044331\",\"message\":\"too long\"}}") + part("204 No Content") + "--batchresponse_1--\r\n";
        List<WriteResult> results = writer.batch(operations("accounts(1)", "accounts(2)", "accounts(3)"));
        assertThat(results).extracting(WriteResult::status).containsExactly(204, 400, 204);
        assertThat(results.get(1).code()).isEqualTo("0x80044331");
        assertThat(requests).containsExactly("POST /api/data/v9.2/$batch");
    }

    @Test
    void throttledPartsAreSentAgainAfterTheirRetryAfter() {
        batchAnswer = ops -> {
            StringBuilder answer = new StringBuilder();
            for (String op : ops) {
                boolean throttle = op.endsWith("accounts(2)") && requests.size() == 1;
                answer.append(throttle ? part("429 Too Many Requests", "Retry-After: 7") : part("204 No Content"));
            }
            return answer + "--batchresponse_1--\r\n";
        };
        List<WriteResult> results = writer.batch(operations("accounts(1)", "accounts(2)", "accounts(3)"));
        assertThat(results).allMatch(WriteResult::succeeded);
        // the gate holds every request of the user back until Retry-After has passed
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
        // the retry holds only the throttled operation, so it goes alone
        assertThat(requests).containsExactly("POST /api/data/v9.2/$batch", "PATCH /api/data/v9.2/accounts(2)");
    }

    @Test
    void throttledPartsAreNoFailedAttemptsHoweverOftenTheyAreThrottled() {
        // the client allows 3 attempts for failures; a part throttled 6 times is still written
        batchAnswer = ops -> {
            StringBuilder answer = new StringBuilder();
            for (String op : ops) {
                answer.append(requests.size() <= 6 ? part("429 Too Many Requests", "Retry-After: 1") : part("204 No Content"));
            }
            return answer + "--batchresponse_1--\r\n";
        };
        List<WriteResult> results = writer.batch(operations("accounts(1)", "accounts(2)"));
        assertThat(results).allMatch(WriteResult::succeeded);
        assertThat(requests).hasSize(7);
        assertThat(sleeps).hasSize(6);
    }

    @Test
    void operationsTheServerDidNotExecuteAreSentAgain() {
        batchAnswer = ops -> ops.size() == 3
                ? part("204 No Content") + "--batchresponse_1--\r\n"
                : part("204 No Content") + part("204 No Content") + "--batchresponse_1--\r\n";
        List<WriteResult> results = writer.batch(operations("accounts(1)", "accounts(2)", "accounts(3)"));
        assertThat(results).hasSize(3).allMatch(WriteResult::succeeded);
        assertThat(requests).containsExactly("POST /api/data/v9.2/$batch", "POST /api/data/v9.2/$batch");
    }

    @Test
    void aBatchRefusedAsAWholeIsSentOneByOneSoEachRowGetsItsAnswer() {
        batchStatus = 400;
        batchAnswer = ops -> part("400 Bad Request", "Content-Type: application/json", "",
                "{\"error\":{\"code\":\"0x80044331\",\"message\":\"A validation error occurred.\"}}") + "--batchresponse_1--\r\n";
        List<WriteResult> results = writer.batch(operations("accounts(1)", "bad(2)", "accounts(3)"));
        assertThat(results).extracting(WriteResult::status).containsExactly(204, 400, 204);
        assertThat(results.get(1).message()).isEqualTo("A validation error occurred.");
        assertThat(requests).containsExactly("POST /api/data/v9.2/$batch", "PATCH /api/data/v9.2/accounts(1)",
                "PATCH /api/data/v9.2/bad(2)", "PATCH /api/data/v9.2/accounts(3)");
    }

    private static List<DataverseWriter.BulkItem> bulkItems(String... names) {
        List<DataverseWriter.BulkItem> items = new ArrayList<>();
        for (String name : names) {
            com.fasterxml.jackson.databind.node.ObjectNode target = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode().put("@odata.type", "Microsoft.Dynamics.CRM.account").put("name", name);
            items.add(new DataverseWriter.BulkItem(target, new WriteOperation("PATCH", "accounts(" + name + ")", Map.of(),
                    "{}".getBytes(StandardCharsets.UTF_8))));
        }
        return items;
    }

    @Test
    void aBulkRequestRefusedForOneRowIsSplitInHalvesUntilThatRowIsAloneAndSentOnItsOwn() {
        List<WriteResult> results = writer.bulk("accounts", "CreateMultiple",
                bulkItems("r0", "r1", "r2", "r3", "r4", "bad5", "r6", "r7"));
        assertThat(results).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(results.get(i).succeeded()).as("row " + i).isEqualTo(i != 5);
        }
        assertThat(results.get(5).status()).isEqualTo(400);
        assertThat(results.get(5).code()).isEqualTo("0x80044331");
        String bulk = "POST /api/data/v9.2/accounts/Microsoft.Dynamics.CRM.CreateMultiple";
        // 8 refused; 0-3 pass, 4-7 refused; 4-5 refused: 4 alone and 5 alone as their own requests; 6-7 pass
        assertThat(requests).containsExactly(bulk, bulk, bulk, bulk, "PATCH /api/data/v9.2/accounts(r4)",
                "PATCH /api/data/v9.2/accounts(bad5)", bulk);
        assertThat(writer.requests()).isEqualTo(7);
    }

    @Test
    void aServerErrorFailsTheBulkRowsUnsplit() {
        List<WriteResult> results = writer.bulk("accounts", "UpsertMultiple", bulkItems("r0", "boom1", "r2", "r3"));
        assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(500));
        assertThat(requests).as("sent again by the client's retries, never split").hasSize(3)
                .allMatch(r -> r.equals("POST /api/data/v9.2/accounts/Microsoft.Dynamics.CRM.UpsertMultiple"));
    }
}
