package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The history command lists what the backup command did, in process; settings as -D system properties. */
class HistoryCommandTest {
    private static EmulatorEnvironment environment;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<String> properties = new ArrayList<>();
    private PrintStream originalOut;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        environment = EmulatorEnvironment.start(DataSetSpec.builder().accounts(5).contactsPerAccount(1).projects(0).build());
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @BeforeEach
    void capture() {
        originalOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        Map<String, String> settings = new java.util.HashMap<>(environment.settings());
        settings.put("backup.target", "file:" + folder.resolve("backups"));
        settings.put("backup.work-dir", folder.resolve("work").toString());
        settings.put("backup.tables", "account,contact");
        settings.forEach((key, value) -> {
            System.setProperty(key, value);
            properties.add(key);
        });
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        properties.forEach(System::clearProperty);
    }

    @Test
    void listsTheBackupsThatRanAndTheirLinesWithJson() throws Exception {
        assertThat(DataverseBackupCommand.execute("history")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 runs in " + folder.resolve("backups/history.ndjson"));

        assertThat(DataverseBackupCommand.execute("backup")).isEqualTo(ExitCodes.SUCCESS);
        assertThat(DataverseBackupCommand.execute("backup", "--tables", "nosuchtable")).isNotEqualTo(ExitCodes.SUCCESS);
        out.reset();
        assertThat(DataverseBackupCommand.execute("history")).isEqualTo(ExitCodes.SUCCESS);
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("FINISHED", "OUTCOME", "2 runs in").containsPattern("backup +default +success")
                .containsPattern("backup +default +failed").contains("nosuchtable");

        out.reset();
        assertThat(DataverseBackupCommand.execute("history", "--json", "--last", "1")).isEqualTo(ExitCodes.SUCCESS);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(new ObjectMapper().readTree(lines.get(0)).path("outcome").asText()).isEqualTo("failed");
    }
}
