package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's configuration holds only the environment URL and the connection account: everything
 * else comes from the defaults bundled in the jar, layered under it.
 */
class MinimalConfigurationEmulatorTest {
    private static EmulatorEnvironment environment;

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeAll
    static void startEmulator() {
        environment = EmulatorEnvironment.start(DataSetSpec.sized(12, 1, 2));
    }

    @AfterAll
    static void stopEmulator() {
        environment.close();
    }

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    /** dataverse.url and auth.* only, as the README's "Against your environment" asks for. */
    private String minimalConfiguration() {
        return environment.settings().entrySet().stream()
                .filter(e -> e.getKey().equals("dataverse.url") || e.getKey().startsWith("auth."))
                .map(e -> e.getKey() + " = " + e.getValue())
                .sorted()
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void aFolderWithAMinimalApplicationPropertiesBacksUp() throws Exception {
        Path config = Files.createDirectories(folder.resolve("my-config"));
        Files.writeString(config.resolve("application.properties"), minimalConfiguration());

        int exitCode = DataverseBackupCommand.execute("--config", config.toString(), "backup", "--tables", "account",
                "--target", "file:" + folder.resolve("backups"));

        assertThat(exitCode).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).strip().lines().toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("TABLE +ROWS +BYTES +TIME +RESULT"))
                .anySatisfy(line -> assertThat(line).matches("account +12 +[\\d,]+ +[\\d.]+ s +ok"))
                .anySatisfy(line -> assertThat(line).matches("total \\(1 table\\) +12 +[\\d,]+ +[\\d.]+ s +complete"));
        assertThat(Path.of(lines.get(lines.size() - 1)).resolve("manifest.json")).isRegularFile();
    }

    @Test
    void aMinimalPropertiesFileNamedByConfigBacksUp() throws Exception {
        Path file = folder.resolve("dataverse.properties");
        Files.writeString(file, minimalConfiguration());

        int exitCode = DataverseBackupCommand.execute("backup", "--config", file.toString(), "--tables", "account",
                "--target", "file:" + folder.resolve("backups"));

        assertThat(exitCode).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }
}
