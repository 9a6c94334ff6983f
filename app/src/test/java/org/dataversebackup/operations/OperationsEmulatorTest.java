package org.dataversebackup.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The service's management port (health and Prometheus metrics) and the job history, over real HTTP and files. */
class OperationsEmulatorTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static EmulatorEnvironment environment;

    @TempDir
    Path target;
    @TempDir
    Path work;

    @BeforeAll
    static void startEmulator() {
        environment = EmulatorEnvironment.start(DataSetSpec.builder().accounts(12).contactsPerAccount(2).projects(0).build());
    }

    @AfterAll
    static void stopEmulator() {
        environment.close();
    }

    private CamelApplication service(int port, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("backup.target", "file:" + target,
                "backup.work-dir", work.toString(), "backup.tables", "account,contact",
                "management.port", String.valueOf(port), "management.host", "127.0.0.1",
                "restore.inbox", work.resolve("inbox").toString()));
        settings.putAll(extra);
        return environment.startApplication(settings);
    }

    @Test
    void metricsAfterAKnownBackupNameTheEnvironmentTableAndCounts() throws Exception {
        int port = freePort();
        try (CamelApplication app = service(port, Map.of())) {
            Exchange result = app.template().request("dataverse:backup", e -> { });
            assertThat(result.getException()).isNull();

            String metrics = get(port, "/observe/metrics").body();
            long accounts = environment.emulator().state().count("account");
            long contacts = environment.emulator().state().count("contact");
            assertThat(value(metrics, "dataverse_backup_records_written_total", "account")).isEqualTo(accounts);
            assertThat(value(metrics, "dataverse_backup_records_read_total", "contact")).isEqualTo(contacts);
            assertThat(value(metrics, "dataverse_backup_bytes_written_total", "account")).isPositive();
            assertThat(value(metrics, "dataverse_backup_bytes_read_total", "account")).isPositive();
            assertThat(metrics).containsPattern(
                    "dataverse_backup_runs_total\\{environment=\"default\",operation=\"backup\",outcome=\"success\"} 1\\.0");
            Matcher lastSuccess = Pattern.compile(
                    "dataverse_backup_last_success_timestamp_seconds\\{environment=\"default\",operation=\"backup\"} (\\S+)")
                    .matcher(metrics);
            assertThat(lastSuccess.find()).isTrue();
            assertThat(Double.parseDouble(lastSuccess.group(1))).isCloseTo(System.currentTimeMillis() / 1000.0,
                    org.assertj.core.data.Offset.offset(60.0));
            // Camel's own metrics are there too
            assertThat(metrics).contains("camel_exchanges_total");
        }
    }

    @Test
    void requestMetricsCountThe429sAndTheRetriesOfABackup() throws Exception {
        int port = freePort();
        try (CamelApplication app = service(port, Map.of())) {
            environment.emulator().faults().throttleNext(2, Duration.ofMillis(200)).failNext(1, 503);
            Exchange result;
            try {
                result = app.template().request("dataverse:backup", e -> { });
            } finally {
                environment.emulator().faults().clear();
            }
            assertThat(result.getException()).isNull();

            String metrics = get(port, "/observe/metrics").body();
            assertThat(counter(metrics, "dataverse_backup_throttled_total{environment=\"default\"}")).isEqualTo(2);
            assertThat(counter(metrics, "dataverse_backup_retries_total{environment=\"default\",kind=\"server-error\"}"))
                    .isEqualTo(1);
            assertThat(counter(metrics, "dataverse_backup_retries_total{environment=\"default\",kind=\"no-answer\"}"))
                    .isZero();
            // every attempt counts: at least the two refused, the failed one and a page of each table
            assertThat(counter(metrics, "dataverse_backup_requests_total{environment=\"default\"}")).isGreaterThan(5);
            assertThat(metrics).contains("dataverse_backup_token_renewals_total{environment=\"default\"} 0.0");
        }
    }

    @Test
    void aRestoreIsMeasuredAndInTheHistory() throws Exception {
        int port = freePort();
        try (CamelApplication app = service(port, Map.of())) {
            Exchange backup = app.template().request("dataverse:backup", e -> { });
            String snapshot = backup.getMessage().getHeader(org.dataversebackup.backup.BackupHeaders.LOCATION, String.class);
            Exchange restore = app.template().request("dataverse:restore",
                    e -> e.getIn().setHeader(org.dataversebackup.restore.RestoreHeaders.SNAPSHOT, snapshot));
            assertThat(restore.getException()).isNull();

            String metrics = get(port, "/observe/metrics").body();
            assertThat(metrics).containsPattern(
                    "dataverse_backup_runs_total\\{environment=\"default\",operation=\"restore\",outcome=\"success\"} 1\\.0");
            Matcher read = Pattern.compile("dataverse_backup_records_read_total\\{environment=\"default\",operation=\"restore\","
                    + "table=\"account\"} (\\S+)").matcher(metrics);
            assertThat(read.find()).as(metrics).isTrue();
            assertThat((long) Double.parseDouble(read.group(1))).isEqualTo(environment.emulator().state().count("account"));
            assertThat(metrics).contains("dataverse_backup_last_success_duration_seconds{environment=\"default\",operation=\"restore\"}");
        }
        List<String> history = Files.readAllLines(target.resolve("history.ndjson"));
        assertThat(history).hasSize(2);
        JsonNode restored = new ObjectMapper().readTree(history.get(1));
        assertThat(restored.path("type").asText()).isEqualTo("restore");
        assertThat(restored.path("outcome").asText()).isEqualTo("success");
        assertThat(restored.path("snapshotId").asText()).endsWith("-full");
    }

    @Test
    void readinessTurnsDownWhenTheLastBackupIsOlderThanAllowedAndUpAfterABackup() throws Exception {
        int port = freePort();
        try (CamelApplication app = service(port, Map.of("health.max-backup-age", "PT2S"))) {
            HttpResponse<String> live = get(port, "/observe/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            // ready once the inbox has been looked at (Camel's consumer checks) and the connection works
            awaitReady(port);

            Thread.sleep(2500);
            HttpResponse<String> ready = get(port, "/observe/health/ready?exposureLevel=full");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("backup-age-default").contains("health.max-backup-age");
            // liveness stays up: a restart would not bring the backup back
            assertThat(get(port, "/observe/health/live").statusCode()).isEqualTo(200);

            assertThat(app.template().request("dataverse:backup", e -> { }).getException()).isNull();
            assertThat(get(port, "/observe/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readinessIsDownWhenDataverseCannotBeReached() throws Exception {
        int port = freePort();
        int nothing = freePort();
        try (CamelApplication app = service(port, Map.of("dataverse.url", "https://127.0.0.1:" + nothing,
                "dataverse.max-attempts", "1"))) {
            HttpResponse<String> ready = get(port, "/observe/health/ready?exposureLevel=full");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("connection-default").contains("Dataverse cannot be used");
        }
    }

    @Test
    void readinessIsDownWhenTheTargetCannotBeWritten() throws Exception {
        int port = freePort();
        Path notAFolder = Files.writeString(work.resolve("not-a-folder"), "x");
        try (CamelApplication app = service(port, Map.of("backup.target", "file:" + notAFolder.resolve("backups")))) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> ready = get(port, "/observe/health/ready?exposureLevel=full");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("connection-default").contains("cannot be written");
            });
        }
    }

    @Test
    void oneShotCommandsOpenNoManagementPort() throws Exception {
        int port = freePort();
        try (CamelApplication app = service(port, Map.of("service.triggers", "false"))) {
            try {
                get(port, "/observe/health");
                org.junit.jupiter.api.Assertions.fail("the management port answered in a one-shot command");
            } catch (ConnectException expected) {
                // nothing listens
            }
        }
    }

    @Test
    void everyBackupAddsAnOwnerOnlyLineToTheHistory() throws Exception {
        Path history = work.resolve("history/jobs.ndjson");
        try (CamelApplication app = service(freePort(), Map.of("service.triggers", "false", "history.file", history.toString()))) {
            Exchange ok = app.template().request("dataverse:backup", e -> { });
            assertThat(ok.getException()).isNull();
            Exchange failed = app.template().request("dataverse:backup?tables=nosuchtable", e -> { });
            assertThat(failed.getException()).isNotNull();
        }
        assertThat(Files.getPosixFilePermissions(history)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> lines = Files.readAllLines(history);
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.path("type").asText()).isEqualTo("backup");
        assertThat(first.path("environment").asText()).isEqualTo("default");
        assertThat(first.path("outcome").asText()).isEqualTo("success");
        assertThat(first.path("snapshotId").asText()).endsWith("-full");
        assertThat(first.path("records").asLong()).isEqualTo(environment.emulator().state().count("account")
                + environment.emulator().state().count("contact"));
        assertThat(first.path("seconds").asDouble()).isPositive();
        assertThat(first.path("tables")).hasSize(2);
        JsonNode second = json.readTree(lines.get(1));
        assertThat(second.path("outcome").asText()).isEqualTo("failed");
        assertThat(second.path("error").asText()).contains("nosuchtable");
    }

    @Test
    void theHistoryOfAFolderTargetIsBesideItsSnapshots() throws Exception {
        try (CamelApplication app = service(freePort(), Map.of("service.triggers", "false"))) {
            assertThat(app.template().request("dataverse:backup", e -> { }).getException()).isNull();
        }
        assertThat(Files.readAllLines(target.resolve("history.ndjson"))).hasSize(1);
    }

    private static void awaitReady(int port) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = get(port, "/observe/health/ready?exposureLevel=full");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        });
    }

    private static long counter(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(series + " in\n" + metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    /** The value of a counter of one table of the default environment's backups. */
    private static long value(String metrics, String name, String table) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "\\{environment=\"default\",operation=\"backup\",table=\"" + table
                + "\"} (\\S+)").matcher(metrics);
        assertThat(m.find()).as(name + " of " + table + " in\n" + metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
