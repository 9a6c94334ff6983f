package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.cli.DataverseBackupCommand;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.testing.CommandConsole;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on chains of incremental snapshots. verify checks a whole chain and snapshots shows
 * it; prune on a target holding two chains (full, incremental, full, incremental) and a
 * failed backup's folder: what a dry run lists, what goes, that a kept incremental keeps the
 * snapshots it needs and stays restorable, and that incomplete folders go after the grace period.
 */
class ChainCommandsEmulatorTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CommandConsole console = new CommandConsole();

    private static String backup(CamelApplication app, String kind) {
        Exchange result = app.template().request("dataverse:backup", e -> {
            e.getIn().setHeader(BackupHeaders.TABLES, "account,contact");
            e.getIn().setHeader(BackupHeaders.KIND, kind);
        });
        if (result.getException() != null) {
            throw new IllegalStateException(result.getException());
        }
        return Path.of(result.getMessage().getHeader(BackupHeaders.LOCATION, String.class)).getFileName().toString();
    }

    @Test
    void aDryRunListsThenPruneDeletesWhatNoRuleKeepsAndKeepsTheChainOfWhatItKeeps() throws Exception {
        Path target = dir.resolve("backups");
        List<String> ids = new java.util.ArrayList<>();
        Path environment;
        try (DataverseEmulator source = RestoreEmulator.generated(DataSetSpec.sized(4, 1, 0));
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("app"), Map.of("backup.target", "file:" + target))) {
            for (String kind : List.of("full", "incremental", "full", "incremental")) {
                ids.add(backup(app, kind));
                Thread.sleep(1_100); // snapshot ids and start times are to the second: one chain after the other
            }
            environment = Files.list(target).filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path failedLongAgo = Files.createDirectories(environment.resolve("20200101T000000Z-0bad-full"));
        Files.writeString(failedLongAgo.resolve("backup-failed.json"), "{\"reason\": \"disk full\"}");
        console.set("backup.target", "file:" + target);
        console.set("retention.keep-last", "1");

        assertThat(DataverseBackupCommand.execute("prune", "--dry-run")).as(console.err())
                .isEqualTo(ExitCodes.SUCCESS);
        String plan = console.out();
        assertThat(plan).contains("KEEP        " + environment.resolve(ids.get(3)) + "  (last 1)")
                .contains("KEEP        " + environment.resolve(ids.get(2)) + "  (needed by " + ids.get(3) + ")")
                .contains("WOULD PRUNE " + environment.resolve(ids.get(1)))
                .contains("WOULD PRUNE " + environment.resolve(ids.get(0)))
                .contains("WOULD PRUNE " + failedLongAgo + "  (incomplete: the backup failed")
                .contains("2 kept, 2 would be pruned, 1 incomplete would be removed");
        assertThat(environment.resolve(ids.get(0))).exists();

        console.clear();
        assertThat(DataverseBackupCommand.execute("prune")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(console.out()).contains("2 kept, 2 pruned, 1 incomplete removed");
        assertThat(environment.resolve(ids.get(0))).doesNotExist();
        assertThat(environment.resolve(ids.get(1))).doesNotExist();
        assertThat(failedLongAgo).doesNotExist();
        assertThat(environment.resolve(ids.get(2)).resolve("manifest.json")).exists();
        assertThat(environment.resolve(ids.get(3)).resolve("manifest.json")).exists();

        try (DataverseEmulator empty = RestoreEmulator.emptied(DataSetSpec.sized(4, 1, 0));
                CamelApplication app = RestoreEmulator.app(empty, dir.resolve("restore"),
                        Map.of("restore.allowed-snapshot-roots", "file:" + target))) {
            var report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, environment.resolve(ids.get(3)).toString()));
            assertThat(report.path("ok").asBoolean()).as("the kept incremental is restorable").isTrue();
            assertThat(empty.state().count("account")).isEqualTo(4);
        }
    }

    @Test
    void verifyChecksTheWholeChainAndSnapshotsShowsIt() throws Exception {
        Path target = dir.resolve("backups");
        String full;
        String incremental;
        try (DataverseEmulator source = RestoreEmulator.generated(DataSetSpec.sized(4, 1, 0));
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("app"), Map.of("backup.target", "file:" + target))) {
            full = backup(app, "full");
            incremental = backup(app, "incremental");
        }
        Path environment = Files.list(target).filter(Files::isDirectory).findFirst().orElseThrow();
        console.set("backup.target", "file:" + target);

        assertThat(DataverseBackupCommand.execute("snapshots")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(console.out()).contains(incremental).contains("(changes since " + full
                + ", chain of " + full + ")");

        console.clear();
        assertThat(DataverseBackupCommand.execute("verify", "--snapshot", environment.resolve(incremental).toString()))
                .isEqualTo(ExitCodes.SUCCESS);
        assertThat(console.out()).contains(environment.resolve(incremental) + ": incremental (its parent "
                + full + " follows)").contains(environment.resolve(full) + ": ").contains("all match the manifest");

        console.clear();
        assertThat(DataverseBackupCommand.execute("show", "--snapshot", environment.resolve(incremental).toString()))
                .isEqualTo(ExitCodes.SUCCESS);
        assertThat(console.out()).contains("(incremental)").contains("Chain: " + full + " <- " + incremental)
                .containsPattern("account +0 +0 +\\d+ +[\\d,]+ +\\d+  changes");
        console.clear();
        assertThat(DataverseBackupCommand.execute("show", "--snapshot", environment.resolve(full).toString(), "--table",
                "account")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(console.out()).containsPattern("\\nname +String +yes +yes").contains("columns in account");

        // a part of the full snapshot changed: verifying the incremental finds it
        Path part = Files.walk(environment.resolve(full).resolve("data")).filter(Files::isRegularFile).findFirst().orElseThrow();
        Files.write(part, new byte[] {1, 2, 3});
        console.clear();
        assertThat(DataverseBackupCommand.execute("verify", "--snapshot", environment.resolve(incremental).toString()))
                .isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(console.out()).contains("FAILED " + environment.resolve(full).relativize(part)
                .toString().replace('\\', '/'));
    }

    @Test
    void withoutARetentionRuleNothingIsPrunedAndTheCommandSaysWhatToSet() {
        console.set("backup.target", "file:" + dir.resolve("backups"));
        assertThat(DataverseBackupCommand.execute("prune")).isEqualTo(ExitCodes.USAGE);
        assertThat(console.err()).contains("retention.keep-daily=7");
    }
}
