package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorApp;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.UserStatistics;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One application user against three (auth.connections) restoring the same snapshot into an
 * emulator with Dataverse's service protection limits on per user: 6,000 requests and 1,200 s of
 * combined execution time per 5 minutes (both scaled to {@code benchmark.window}, default 30 s, so
 * a run of a few minutes meets them), 52 concurrent requests, every write taking
 * {@code benchmark.write-ms} (default 5,000 ms: a CreateMultiple of 1,000 wide rows). Excluded from the
 * default build:
 *
 * <pre>mvn -B -Pbenchmark test -pl emulator,core,app -Dtest=ConnectionsBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Results go to standard output and {@code target/benchmark/connections.md}.
 */
@Tag("benchmark")
class ConnectionsBenchmarkTest {
    static final int ACCOUNTS = Integer.getInteger("benchmark.accounts", 50_000);
    static final DataSetSpec SPEC = DataSetSpec.builder().accounts(ACCOUNTS).contactsPerAccount(1).projects(0).build();
    static final Duration WINDOW = Duration.ofSeconds(Integer.getInteger("benchmark.window", 30));
    static final Duration WRITE = Duration.ofMillis(Integer.getInteger("benchmark.write-ms", 5_000));

    @TempDir
    Path dir;

    record Run(String name, double seconds, long rows, Map<String, UserStatistics> users, String limitedBy) {
    }

    @Test
    void threeApplicationUsersNextToOne() throws Exception {
        Path snapshot;
        try (DataverseEmulator source = RestoreEmulator.generated(SPEC);
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            snapshot = SnapshotFixture.backup(app, dir.resolve("snapshots"), "account,contact", 50_000);
        }
        List<Run> runs = new ArrayList<>();
        runs.add(run("one application user", snapshot, 0));
        runs.add(run("three application users (auth.connections)", snapshot, 2));

        long requests = 6_000L * WINDOW.toMillis() / 300_000L;
        long executionSeconds = 1_200L * WINDOW.toMillis() / 300_000L;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%,d rows (%,d accounts, %,d contacts); per user and"
                + " %d s window: %,d requests, %,d s of execution time, 52 at once; %,d ms per write request; CreateMultiple of"
                + " 1,000, restore.parallelism 24; %d available processors, Java %s%n%n", 2L * ACCOUNTS, ACCOUNTS, ACCOUNTS,
                WINDOW.toSeconds(), requests, executionSeconds, WRITE.toMillis(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        table.append("| run | seconds | rows/s | requests (429s) per user | bound by |\n|---|---:|---:|---|---|\n");
        for (Run run : runs) {
            StringBuilder users = new StringBuilder();
            run.users().forEach((name, stats) -> users.append(users.length() == 0 ? "" : ", ").append(name).append(": ")
                    .append(String.format(Locale.ROOT, "%,d (%,d)", stats.requests(), stats.throttled())));
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %,.0f | %s | %s |%n", run.name(), run.seconds(),
                    run.rows() / run.seconds(), users, run.limitedBy()));
        }
        table.append(String.format(Locale.ROOT, "%nThree users: %.1fx the rows/s of one.%n", runs.get(0).seconds() / runs.get(1).seconds()));
        System.out.println(table);
        Files.createDirectories(Path.of("target/benchmark"));
        Files.writeString(Path.of("target/benchmark/connections.md"), table);
    }

    private Run run(String name, Path snapshot, int extraUsers) throws Exception {
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC)) {
            Map<String, String> settings = new HashMap<>(Map.of("restore.batch-size", "1000", "restore.parallelism", "24"));
            Map<UUID, String> names = new HashMap<>();
            names.put(UUID.fromString(EmulatorIdentities.APP_USER_ID), "main");
            List<String> connections = new ArrayList<>();
            for (int i = 1; i <= extraUsers; i++) {
                String clientId = UUID.randomUUID().toString();
                UUID user = UUID.randomUUID();
                target.state().addApplication(EmulatorApp.withClientId(clientId).name("benchmark app " + i)
                        .objectId(UUID.randomUUID()).secret("secret-" + i).applicationUser(user)
                        .applicationUserAccessMode(EmulatorIdentities.ACCESS_MODE_NON_INTERACTIVE)
                        .role(UUID.fromString(EmulatorIdentities.SYSTEM_ADMINISTRATOR_ROLE_ID)));
                String connection = "app" + (i + 1);
                connections.add(connection);
                names.put(user, connection);
                settings.put("auth.connections." + connection + ".client-id", clientId);
                settings.put("auth.connections." + connection + ".client-secret", "secret-" + i);
            }
            if (!connections.isEmpty()) {
                settings.put("auth.connections", String.join(",", connections));
            }
            target.serviceProtection((int) (6_000L * WINDOW.toMillis() / 300_000L), WINDOW, 52);
            target.faults().writeLatency(WRITE);
            try (CamelApplication app = RestoreEmulator.app(target, dir.resolve("target-" + UUID.randomUUID()), settings)) {
                long started = System.nanoTime();
                Exchange result = RestoreEmulator.restore(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot.toString()));
                double seconds = (System.nanoTime() - started) / 1e9;
                if (result.getException() != null) {
                    throw result.getException();
                }
                JsonNode report = SnapshotJson.MAPPER.readTree(result.getMessage().getBody(String.class));
                assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
                long rows = report.path("totals").path("created").asLong();
                assertThat(rows).isEqualTo(2L * ACCOUNTS);
                Map<String, UserStatistics> users = new java.util.TreeMap<>();
                target.userStatistics().forEach((user, stats) -> users.put(names.getOrDefault(user, user.toString()), stats));
                String limitedBy = report.path("limitedBy").asText("-");
                System.out.printf(Locale.ROOT, "%s: %.1f s, %s, %s%n", name, seconds, users, limitedBy);
                return new Run(name, seconds, rows, users, limitedBy.isEmpty() ? "-" : limitedBy);
            }
        }
    }
}
