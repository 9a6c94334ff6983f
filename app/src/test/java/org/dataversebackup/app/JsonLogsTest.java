package org.dataversebackup.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** logging.format=json: every line on standard error is one JSON object, secrets masked as in text lines. */
class JsonLogsTest {
    @TempDir
    Path folder;

    @Test
    void aBackupLogsOneMaskedJsonObjectPerLine() throws Exception {
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) ((LoggerContext) LoggerFactory
                .getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        Encoder<ILoggingEvent> text = console.getEncoder();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (EmulatorEnvironment environment = EmulatorEnvironment.start(
                DataSetSpec.builder().accounts(3).contactsPerAccount(1).projects(0).build());
                CamelApplication app = environment.startApplication(Map.of("logging.format", "json", "service.triggers", "false",
                        "backup.target", "file:" + folder.resolve("backups"), "backup.work-dir", folder.resolve("work").toString(),
                        "backup.tables", "account"))) {
            assertThat(app.template().request("dataverse:backup", e -> { }).getException()).isNull();
            LoggerFactory.getLogger("org.dataversebackup.test").warn("sent Authorization: Bearer abcdefghijklmnop0123",
                    new IllegalStateException("client_secret=hunter2hunter2"));
        } finally {
            System.setErr(originalErr);
            console.stop();
            console.setEncoder(text);
            console.start();
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        ObjectMapper json = new ObjectMapper();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode object = json.readTree(line);
            assertThat(object.has("time") && object.has("level") && object.has("logger") && object.has("message"))
                    .as(line).isTrue();
        }
        assertThat(lines).anyMatch(l -> l.contains("\"level\":\"INFO\"") && l.contains("complete"));
        String warning = lines.stream().filter(l -> l.contains("org.dataversebackup.test")).findFirst().orElseThrow();
        assertThat(warning).contains("Bearer ****").doesNotContain("abcdefghijklmnop0123").doesNotContain("hunter2hunter2")
                .contains("\"exception\":\"java.lang.IllegalStateException");
    }
}
