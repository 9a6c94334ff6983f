package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code run} nodes sharing a cluster folder and an inbox: only the leader runs the schedules
 * (backup and drill) and the inbox, a dropped request is restored once, and when the leader stops the other node
 * takes over within a few check intervals.
 */
class ServiceClusterTest {
    static final DataSetSpec SPEC = DataSetSpec.sized(6, 0, 0); // no contacts: the accounts point to none
    static final String INBOX_ROUTE = "dataverse-backup.default.inbox";
    static final String SCHEDULE_ROUTE = "dataverse-backup.default.schedule";
    static final String DRILL_ROUTE = "dataverse-backup.default.drill-schedule";

    @TempDir
    Path dir;

    private CamelApplication node(DataverseEmulator target, String name, Path inbox) {
        Map<String, String> settings = new HashMap<>();
        settings.put("cluster.folder", dir.resolve("cluster").toString());
        settings.put("cluster.node-id", name);
        settings.put("cluster.check-interval", "PT0.5S");
        settings.put("service.triggers", "true");
        settings.put("restore.inbox-enabled", "true");
        settings.put("restore.inbox", inbox.toString());
        settings.put("restore.inbox-poll-delay", "100");
        settings.put("restore.inbox-read-lock-interval", "300");
        settings.put("restore.allowed-snapshot-roots", "file:" + dir);
        settings.put("drill.schedule", "0 0 3 1 1 ? 2099"); // a trigger that never fires in the test: whether it runs
        return RestoreEmulator.app(target, dir.resolve(name), settings);
    }

    private static boolean runs(CamelApplication node, String route) {
        return node.context().getRouteController().getRouteStatus(route) == ServiceStatus.Started;
    }

    private static List<Path> reports(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".result.json")).toList();
        }
    }

    private static void drop(Path inbox, String name, String json) throws Exception {
        Files.createDirectories(inbox);
        Path temp = inbox.resolve("." + name + ".tmp");
        Files.writeString(temp, json);
        Files.move(temp, inbox.resolve(name));
    }

    @Test
    void onlyTheLeaderRunsTheTriggersAndTheOtherTakesOverWhenItStops() throws Exception {
        Path snapshot;
        try (DataverseEmulator source = RestoreEmulator.generated(SPEC);
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            snapshot = Path.of(RestoreEmulator.backup(app, "account"));
        }
        Path inbox = dir.resolve("inbox");
        String request = "{\"snapshot\": \"" + snapshot.toString().replace("\\", "/") + "\", \"tables\": [\"account\"]}";
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC)) {
            CamelApplication a = node(target, "a", inbox);
            CamelApplication b = node(target, "b", inbox);
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runs(a, INBOX_ROUTE) || runs(b, INBOX_ROUTE));
                CamelApplication leader = runs(a, INBOX_ROUTE) ? a : b;
                CamelApplication standby = leader == a ? b : a;
                assertThat(runs(leader, SCHEDULE_ROUTE)).as("the leader's schedule").isTrue();
                assertThat(runs(standby, INBOX_ROUTE)).as("the standby's inbox").isFalse();
                assertThat(runs(standby, SCHEDULE_ROUTE)).as("the standby's schedule").isFalse();
                assertThat(runs(leader, DRILL_ROUTE)).as("the leader's drill schedule").isTrue();
                assertThat(runs(standby, DRILL_ROUTE)).as("the standby's drill schedule").isFalse();

                drop(inbox, "first.json", request);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> reports(inbox.resolve(".done")).size() == 1);
                assertThat(target.state().count("account")).isEqualTo(SPEC.accounts());

                leader.close();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runs(standby, INBOX_ROUTE));
                assertThat(runs(standby, SCHEDULE_ROUTE)).isTrue();
                assertThat(runs(standby, DRILL_ROUTE)).isTrue();
                drop(inbox, "second.json", request.replace("}", ", \"rerun\": true}"));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> reports(inbox.resolve(".done")).size() == 2);
                assertThat(reports(inbox.resolve(".error"))).isEmpty();
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
