package org.dataversebackup.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, started from a folder with no config/ or routes/: it must use its bundled copies. */
class CommandLineIT {
    @TempDir
    Path emptyFolder;

    @Test
    void helpListsTheCommands() throws Exception {
        PackagedJar.Result result = PackagedJar.run(emptyFolder, "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("run", "backup", "restore", "check", "verify", "snapshots", "emulator");
    }

    @Test
    void unknownCommandAndBadOptionExit2WithOneLine() throws Exception {
        PackagedJar.Result unknown = PackagedJar.run(emptyFolder, "frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr().strip().lines()).hasSize(1);

        PackagedJar.Result badOption = PackagedJar.run(emptyFolder, "backup", "--bogus");
        assertThat(badOption.exitCode()).isEqualTo(2);
        assertThat(badOption.stderr().strip().lines()).hasSize(1).first().asString().contains("--bogus");
    }

    @Test
    void theServiceStartsFromAnyFolderWithTheBundledRoutesAndConfiguration() throws Exception {
        // camel-main stops by itself after the given time: the bundled YAML routes loaded and ran
        PackagedJar.Result result = PackagedJar.run(emptyFolder, Duration.ofSeconds(60),
                List.of("-Dcamel.main.duration-max-seconds=2"), Map.of(), "run");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.exists(emptyFolder.resolve("config"))).isFalse();
    }

    @Test
    void environmentVariablesWinOverTheFilesAndSystemPropertiesOverThem() throws Exception {
        PackagedJar.Result environment = PackagedJar.run(emptyFolder, Duration.ofSeconds(60), List.of(),
                Map.of("BACKUP_TABLES", "contact"), "config", "show");
        assertThat(environment.exitCode()).as(environment.stderr()).isZero();
        assertThat(environment.stdout()).containsPattern("backup\\.tables = contact +# environment variable BACKUP_TABLES");

        PackagedJar.Result both = PackagedJar.run(emptyFolder, Duration.ofSeconds(60), List.of("-Dbackup.tables=account"),
                Map.of("BACKUP_TABLES", "contact"), "config", "show");
        assertThat(both.stdout()).containsPattern("backup\\.tables = account +# -Dbackup\\.tables");
    }

    @Test
    void helpFitsTheColumnsOfTheTerminal() throws Exception {
        PackagedJar.Result help = PackagedJar.run(emptyFolder, Duration.ofSeconds(60), List.of(), Map.of("COLUMNS", "60"),
                "restore", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
    }
}
