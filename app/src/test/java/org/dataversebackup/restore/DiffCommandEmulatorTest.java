package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.diff.DiffHeaders;
import org.dataversebackup.testing.CommandConsole;
import org.dataversebackup.cli.DataverseBackupCommand;
import org.dataversebackup.cli.ExitCodes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * diff on a known change set made in the emulator between a full snapshot and the next ones: two
 * accounts renamed, one deleted, one created. The full-to-incremental comparison (the chain's state)
 * and the full-to-full one give the same answer. A snapshot compared with the live rows
 * ({@code diff SNAPSHOT live}, {@code dataverse:diff?newer=live}) finds the changes made since.
 */
class DiffCommandEmulatorTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CommandConsole console = new CommandConsole();

    private static Path backup(CamelApplication app, String kind) {
        return Path.of(RestoreEmulator.backup(app, "account,contact", kind));
    }

    @Test
    void reportsTheRowsAddedRemovedAndChangedWithTheirColumns() throws Exception {
        Path target = dir.resolve("backups");
        Path full;
        Path incremental;
        Path fullAgain;
        List<UUID> renamed;
        UUID deleted;
        UUID created = UUID.randomUUID();
        try (DataverseEmulator source = RestoreEmulator.generated(DataSetSpec.sized(6, 2, 0));
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("app"), Map.of("backup.target", "file:" + target))) {
            full = backup(app, "full");
            Thread.sleep(1_100); // snapshot ids are to the second
            List<UUID> accounts = source.state().ids("account");
            renamed = accounts.subList(0, 2);
            deleted = accounts.get(2);
            for (UUID id : renamed) {
                ObjectNode row = source.state().row("account", id).orElseThrow();
                row.put("name", row.path("name").asText() + " (renamed)");
                source.state().putRow("account", row);
            }
            source.state().deleteRow("account", deleted);
            ObjectNode added = source.state().row("account", accounts.get(3)).orElseThrow().deepCopy();
            added.put("accountid", created.toString());
            added.put("accountnumber", "X-" + created.toString().substring(0, 8));
            added.put("name", "Created between the snapshots");
            source.state().putRow("account", added);
            incremental = backup(app, "incremental");
            Thread.sleep(1_100);
            fullAgain = backup(app, "full");
        }

        for (Path newer : List.of(incremental, fullAgain)) {
            console.clear();
            assertThat(DataverseBackupCommand.execute("diff", full.toString(), newer.toString(), "--ids"))
                    .as(console.err()).isEqualTo(ExitCodes.SUCCESS);
            String text = console.out();
            assertThat(text).containsPattern("account +1 added, 1 removed, 2 changed, 3 unchanged")
                    .containsPattern("contact +0 added, 0 removed, 0 changed, 12 unchanged")
                    .contains("+ account " + created).contains("- account " + deleted)
                    .containsPattern("~ account " + renamed.get(0) + " \\(.*name.*\\)");
        }

        console.clear();
        assertThat(DataverseBackupCommand.execute("diff", full.toString(), incremental.toString(), "--table", "account", "--json"))
                .isEqualTo(ExitCodes.SUCCESS);
        List<String> lines = console.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode summary = org.dataversebackup.snapshot.SnapshotJson.MAPPER.readTree(lines.get(0));
        assertThat(summary.path("table").asText()).isEqualTo("account");
        assertThat(summary.path("added").asInt()).isEqualTo(1);
        assertThat(summary.path("removed").asInt()).isEqualTo(1);
        assertThat(summary.path("changed").asInt()).isEqualTo(2);

        console.clear();
        assertThat(DataverseBackupCommand.execute("diff", full.toString(), incremental.toString(), "--table", "nosuchtable"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(console.err()).contains("nosuchtable");

        // a damaged part is a failed comparison that names the file
        Path part = Files.walk(full.resolve("data")).filter(Files::isRegularFile).findFirst().orElseThrow();
        Files.write(part, new byte[] {1, 2, 3});
        console.clear();
        assertThat(DataverseBackupCommand.execute("diff", full.toString(), fullAgain.toString())).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(console.err()).contains(part.getFileName().toString());
    }

    @Test
    void comparesASnapshotWithTheLiveRowsThroughTheCommandAndTheComponent() throws Exception {
        Path changes = dir.resolve("out/changes.ndjson");
        try (DataverseEmulator source = RestoreEmulator.generated(DataSetSpec.sized(6, 2, 0));
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("app"), Map.of("backup.target", "file:" + dir.resolve("backups")))) {
            Path full = backup(app, "full");
            // right after the backup, the live rows are the snapshot's
            Exchange same = app.template().request("dataverse:diff?newer=live&older=" + full, e -> {
            });
            assertThat(same.getException()).isNull();
            assertThat(same.getMessage().getHeader(DiffHeaders.SAME, Boolean.class)).isTrue();

            List<UUID> accounts = source.state().ids("account");
            ObjectNode row = source.state().row("account", accounts.get(0)).orElseThrow();
            row.put("name", "Renamed after the backup");
            source.state().putRow("account", row);
            source.state().deleteRow("account", accounts.get(1));

            Exchange result = app.template().request("dataverse:diff", e -> {
                e.getIn().setHeader(DiffHeaders.OLDER, full.toString());
                e.getIn().setHeader(DiffHeaders.NEWER, "live");
                e.getIn().setHeader(DiffHeaders.TABLES, "account");
                e.getIn().setHeader(DiffHeaders.CHANGES_FILE, changes.toString());
            });
            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getHeader(DiffHeaders.SAME, Boolean.class)).isFalse();
            JsonNode report = org.dataversebackup.snapshot.SnapshotJson.MAPPER.readTree(result.getMessage().getBody(String.class));
            assertThat(report.path("newer").asText()).isEqualTo("live");
            assertThat(report.path("tables")).hasSize(1);
            JsonNode account = report.path("tables").get(0);
            assertThat(account.path("table").asText()).isEqualTo("account");
            assertThat(account.path("changed").asInt()).isEqualTo(1);
            assertThat(account.path("removed").asInt()).isEqualTo(1);
            assertThat(account.path("added").asInt()).isZero();
            assertThat(account.path("unchanged").asInt()).isEqualTo(4);
            List<String> lines = Files.readAllLines(changes);
            assertThat(lines).hasSize(2).anySatisfy(line -> assertThat(line).contains(accounts.get(0).toString())
                    .contains("\"change\":\"changed\"").contains("\"name\""))
                    .anySatisfy(line -> assertThat(line).contains(accounts.get(1).toString()).contains("\"removed\""));

            // the command, against the same emulator
            console.set("dataverse.url", source.environmentUrl());
            console.set("auth.mode", "client-secret");
            console.set("auth.tenant-id", EmulatorIdentities.TENANT_ID);
            console.set("auth.authority", source.authority());
            console.set("auth.client-id", EmulatorIdentities.APP_CLIENT_ID);
            console.set("auth.client-secret", EmulatorIdentities.APP_CLIENT_SECRET);
            console.set("auth.token-cache", dir.resolve("token-cache.json").toString());
            console.set("backup.work-dir", dir.resolve("work").toString());
            console.set("restore.inbox", dir.resolve("inbox").toString());
            assertThat(DataverseBackupCommand.execute("diff", full.toString(), "live", "--ids"))
                    .as(console.out() + "\n" + console.err()).isEqualTo(ExitCodes.SUCCESS);
            assertThat(console.out()).containsPattern("account +0 added, 1 removed, 1 changed, 4 unchanged")
                    .containsPattern("contact +0 added, 0 removed, 0 changed, 12 unchanged")
                    .contains("- account " + accounts.get(1))
                    .containsPattern("~ account " + accounts.get(0) + " \\(.*name.*\\)");

            // live is the newer side only: an older "live" is not a snapshot
            console.clear();
            assertThat(DataverseBackupCommand.execute("diff", "live", full.toString())).isNotEqualTo(ExitCodes.SUCCESS);
        }
    }
}
