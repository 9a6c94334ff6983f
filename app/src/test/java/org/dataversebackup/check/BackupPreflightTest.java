package org.dataversebackup.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.backup.SnapshotRun;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.EmulatorUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup route runs the preflight check first (preflight.enabled) and stops before reading a record. */
class BackupPreflightTest {
    /** A System Administrator whose access mode (Support User) fails the check, though the emulator lets it read. */
    static final String SUPPORT_USER = "support-backup@" + EmulatorIdentities.DOMAIN;
    private static CheckEmulator env;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        env = new CheckEmulator();
        env.emulator.state().addUser(EmulatorUser.named(SUPPORT_USER).accessMode(3)
                .role(UUID.fromString(EmulatorIdentities.SYSTEM_ADMINISTRATOR_ROLE_ID)));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private Exchange backup(Map<String, String> settings) {
        Map<String, String> overrides = new HashMap<>(settings);
        overrides.put("backup.work-dir", folder.resolve("work").toString());
        try (CamelApplication app = CheckEmulator.start(overrides)) {
            return app.template().request("dataverse:backup", e -> {
                e.getIn().setHeader(BackupHeaders.TABLES, "account,contact");
                e.getIn().setHeader(BackupHeaders.TARGET, "file:" + folder.resolve("backups"));
            });
        }
    }

    private long filesUnder(String name) throws IOException {
        Path dir = folder.resolve(name);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aFailedCheckStopsTheBackupBeforeAnyRecordIsRead() throws Exception {
        Exchange exchange = backup(env.user(SUPPORT_USER));
        assertThat(exchange.getException()).isNotNull();
        PreflightFailedException failed = find(exchange.getException());
        assertThat(failed).as("the exception is %s", exchange.getException()).isNotNull();
        assertThat(failed.report().purpose()).isEqualTo(Purpose.BACKUP);
        assertThat(failed.report().tables()).containsExactly("account", "contact");
        assertThat(org.dataversebackup.cli.ExitCodes.of(failed.report())).isEqualTo(3);
        assertThat(failed.getMessage()).contains("access-mode", "Support User (3)");
        assertThat(filesUnder("backups")).as("nothing written to the target").isZero();
        assertThat(filesUnder("work")).as("no part written").isZero();
        assertThat(exchange.getProperty(SnapshotRun.PROPERTY)).as("the planner never ran").isNull();
    }

    @Test
    void withPreflightDisabledTheSameAccountBacksUp() throws Exception {
        Map<String, String> settings = new HashMap<>(env.user(SUPPORT_USER));
        settings.put("preflight.enabled", "false");
        Exchange exchange = backup(settings);
        assertThat(find(exchange.getException())).isNull();
        assertThat(exchange.getMessage().getHeader(CheckHeaders.PASSED)).as("the check did not run").isNull();
        assertThat(exchange.getProperty(CheckHeaders.REPORT_PROPERTY)).isNull();
        assertThat(exchange.getException()).isNull();
        assertThat(filesUnder("backups")).as("the snapshot").isPositive();
    }

    @Test
    void aPassingCheckLetsTheBackupRun() throws Exception {
        Exchange exchange = backup(env.application(EmulatorIdentities.APP_CLIENT_ID, EmulatorIdentities.APP_CLIENT_SECRET));
        assertThat(find(exchange.getException())).isNull();
        assertThat(exchange.getMessage().getHeader(CheckHeaders.PASSED)).isEqualTo(true);
        CheckReport report = exchange.getProperty(CheckHeaders.REPORT_PROPERTY, CheckReport.class);
        assertThat(report.tables()).containsExactly("account", "contact");
        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(BackupHeaders.LOCATION, String.class)).isNotBlank();
        assertThat(filesUnder("backups")).as("the snapshot").isPositive();
    }

    private static PreflightFailedException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PreflightFailedException p) {
                return p;
            }
        }
        return null;
    }
}
