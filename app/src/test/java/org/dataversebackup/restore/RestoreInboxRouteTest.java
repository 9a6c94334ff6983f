package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.apache.camel.builder.RouteBuilder;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox route with the project's routes and configuration; {@code direct:dataverse-backup.default.restore} is replaced by a
 * stub, so this is about the file handling: .done/.error, reasons and reports, the read lock, duplicates.
 */
class RestoreInboxRouteTest {
    @TempDir
    Path dir;

    private CamelApplication app;
    private final List<String> restored = new CopyOnWriteArrayList<>();

    private Path inbox() {
        return dir.resolve("inbox");
    }

    private void start() throws Exception {
        AppLocations locations = AppLocations.resolve(null, null, null, Path.of("").toAbsolutePath());
        app = CamelApplication.create(locations, Map.of(
                "restore.inbox", inbox().toString(),
                "restore.inbox-poll-delay", "100",
                "restore.inbox-read-lock-interval", "600")).start();
        app.context().getRouteController().stopRoute("dataverse-backup.default.restore");
        app.context().removeRoute("dataverse-backup.default.restore");
        app.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dataverse-backup.default.restore").routeId("restore-stub").process(exchange -> {
                    String body = exchange.getMessage().getBody(String.class);
                    RestoreRequest request = RestoreRequests.fromMessage(exchange.getMessage().getHeaders(), body);
                    restored.add(request.snapshot());
                    if (request.snapshot().contains("bad-config")) {
                        throw new ConfigurationException("Snapshot " + request.snapshot() + " does not exist.");
                    }
                    boolean ok = !request.snapshot().contains("failing");
                    exchange.getMessage().setHeader(RestoreHeaders.OK, ok);
                    exchange.getMessage().setHeader(RestoreHeaders.FAILED, ok ? 0 : 3);
                    exchange.getMessage().setHeader(RestoreHeaders.RESTORE_ID, "20260101T000000Z-test");
                    exchange.getMessage().setBody("{\"restoreId\":\"20260101T000000Z-test\",\"ok\":" + ok + "}");
                });
            }
        });
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private void drop(String name, String json) throws IOException {
        Path temp = dir.resolve(name + ".tmp");
        Files.writeString(temp, json);
        Files.move(temp, inbox().resolve(name));
    }

    private List<String> files(String folder) throws IOException {
        Path path = inbox().resolve(folder);
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(path)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String read(String folder, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(inbox().resolve(folder))) {
            Path file = list.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
            return Files.readString(file);
        }
    }

    @Test
    void aRequestMovesToDoneWithItsReportBeside() throws Exception {
        start();
        drop("nightly-fix.json", "{\"snapshot\":\"backups/contoso/x\",\"tables\":[\"account\"]}");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".done").size() == 2);
        assertThat(files(".done")).satisfiesExactly(
                request -> assertThat(request).matches("nightly-fix-\\d{8}T\\d{9}Z\\.json"),
                report -> assertThat(report).matches("nightly-fix-\\d{8}T\\d{9}Z\\.result\\.json"));
        assertThat(read(".done", ".result.json")).contains("\"ok\":true");
        assertThat(restored).containsExactly("backups/contoso/x");
        assertThat(files("")).containsOnly(".done", ".processed-requests");
    }

    @Test
    void badRequestsMoveToErrorWithTheReason() throws Exception {
        start();
        drop("typo.json", "{\"snapshot\":\"backups/contoso/x\",\"dryrun\":true}");
        drop("broken.json", "{\"snapshot\":");
        drop("config.json", "{\"snapshot\":\"backups/bad-config\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".error").size() == 6);
        assertThat(read(".error", ".error.txt")).isNotBlank();
        String reasons = String.join("\n", Stream.of("broken", "config", "typo").map(n -> {
            try (Stream<Path> list = Files.list(inbox().resolve(".error"))) {
                return Files.readString(list.filter(p -> p.getFileName().toString().startsWith(n + "-")
                        && p.getFileName().toString().endsWith(".error.txt")).findFirst().orElseThrow());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList());
        assertThat(reasons).contains("unknown key 'dryrun'").contains("not valid JSON").contains("bad-config does not exist");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(inbox().resolve(".error"))))
                .isEqualTo("rwx------");
        try (Stream<Path> list = Files.list(inbox().resolve(".error"))) {
            list.filter(p -> p.toString().endsWith(".error.txt")).forEach(p -> {
                try {
                    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                            .as(p.toString()).isEqualTo("rw-------");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        assertThat(restored).containsExactly("backups/bad-config");
    }

    @Test
    void anEmptySelectionGoesToErrorAndRestoresNothing() throws Exception {
        start();
        drop("no-ids.json", "{\"snapshot\":\"backups/contoso/x\",\"ids\":[]}");
        drop("blank-ids.json", "{\"snapshot\":\"backups/contoso/x\",\"ids\":\"\"}");
        drop("no-tables.json", "{\"snapshot\":\"backups/contoso/x\",\"tables\":[]}");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".error").size() == 6);
        try (Stream<Path> list = Files.list(inbox().resolve(".error"))) {
            for (Path reason : list.filter(p -> p.getFileName().toString().endsWith(".error.txt")).toList()) {
                assertThat(Files.readString(reason)).as(reason.getFileName().toString()).contains("is empty")
                        .contains("never means everything");
            }
        }
        assertThat(restored).as("no restore ran").isEmpty();
    }

    @Test
    void requestsOutsideTheAllowedRootsOrTooBigOrEmptyOrLinkedGoToErrorWithoutQuotingThem() throws Exception {
        start();
        drop("elsewhere.json", "{\"snapshot\":\"/etc/backups/contoso/x\"}");
        drop("escape.json", "{\"snapshot\":\"backups/../../etc/x\"}");
        drop("mapping.json", "{\"snapshot\":\"backups/contoso/x\",\"mapping\":\"/etc/passwd\"}");
        drop("big.json", "{\"snapshot\":\"backups/contoso/x\",\"filter\":\"" + "x".repeat(1 << 20) + "\"}");
        drop("empty.json", "");
        drop("secret.json", "password=hunter2-not-json");
        Path outside = Files.writeString(dir.resolve("outside.json"), "{\"snapshot\":\"backups/contoso/x\"}");
        Files.createSymbolicLink(inbox().resolve("link.json"), outside);
        await().atMost(Duration.ofSeconds(20)).until(() -> files(".error").stream().filter(f -> f.endsWith(".error.txt")).count() == 7);
        String reasons = String.join("\n", files(".error").stream().filter(f -> f.endsWith(".error.txt")).map(f -> {
            try {
                return Files.readString(inbox().resolve(".error").resolve(f));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList());
        assertThat(reasons).contains("not under restore.allowed-snapshot-roots").contains("not under restore.allowed-mapping-roots")
                .contains("restore.max-request-bytes").contains("is empty").contains("is a symbolic link")
                .contains("secret.json is not valid JSON (line 1").doesNotContain("hunter2");
        assertThat(restored).as("nothing was restored").isEmpty();
    }

    @Test
    void theSameRequestWrittenDifferentlyIsTheSameRequest() throws Exception {
        start();
        drop("one.json", "{\"snapshot\":\"backups/contoso/x\",\"tables\":[\"account\",\"contact\"]}");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".done").size() == 2);
        drop("two.json", "{ \"tables\": [\"contact\", \"Account\"],\n  \"snapshot\": \"backups/contoso/x\" }");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".error").size() == 2);
        assertThat(read(".error", ".error.txt")).contains("has already run successfully");
        assertThat(restored).containsExactly("backups/contoso/x");
    }

    @Test
    void aRestoreWithFailuresMovesToErrorWithItsReport() throws Exception {
        start();
        drop("partial.json", "{\"snapshot\":\"backups/failing\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".error").size() == 3);
        assertThat(read(".error", ".error.txt")).contains("3 records, links or tables failed");
        assertThat(read(".error", ".result.json")).contains("\"ok\":false");
    }

    @Test
    void theSameRequestDroppedTwiceRunsOnceUnlessAskedEvenAfterARestart() throws Exception {
        start();
        String request = "{\"snapshot\":\"backups/contoso/once\"}";
        drop("first.json", request);
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".done").size() == 2);
        drop("again.json", request);
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".error").size() == 2);
        assertThat(read(".error", ".error.txt")).contains("already run").contains("\"rerun\": true");
        assertThat(restored).containsExactly("backups/contoso/once");

        app.close();
        restored.clear();
        start();
        drop("after-restart.json", request);
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".error").size() == 4);
        assertThat(restored).isEmpty();
        drop("rerun.json", "{\"snapshot\":\"backups/contoso/once\",\"rerun\":true}");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".done").size() == 4);
        assertThat(restored).containsExactly("backups/contoso/once");
    }

    @Test
    void aRequestThatFailedMayBeDroppedAgain() throws Exception {
        start();
        drop("first.json", "{\"snapshot\":\"backups/failing-once\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".error").size() == 3);
        drop("second.json", "{\"snapshot\":\"backups/failing-once\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".error").size() == 6);
        assertThat(restored).containsExactly("backups/failing-once", "backups/failing-once");
    }

    @Test
    void aFileStillBeingWrittenIsNotPickedUp() throws Exception {
        start();
        Files.createDirectories(inbox());
        Path file = inbox().resolve("slow.json");
        String json = "{\"snapshot\": \"backups/contoso/slow\", \"tables\": [\"account\", \"contact\"]}";
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < json.length(); i += 8) {
                out.write(json.substring(i, Math.min(json.length(), i + 8)).getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(150); // well inside the 600 ms read lock interval
                assertThat(files(".done")).isEmpty();
                assertThat(files(".error")).as("never read half-written").isEmpty();
            }
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> files(".done").size() == 2);
        assertThat(restored).containsExactly("backups/contoso/slow");
    }
}
