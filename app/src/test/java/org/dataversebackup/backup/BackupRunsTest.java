package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups that overlap, fail or find what a crashed run left: one snapshot folder each, nothing left behind. */
class BackupRunsTest {
    private static EmulatorEnvironment environment;

    @TempDir
    Path target;
    @TempDir
    Path work;

    @BeforeAll
    static void startEmulator() {
        environment = EmulatorEnvironment.start(DataSetSpec.builder().accounts(12).contactsPerAccount(1).projects(0).build());
    }

    @AfterAll
    static void stopEmulator() {
        environment.close();
    }

    @AfterEach
    void clearFaults() {
        environment.emulator().faults().clear();
    }

    private CamelApplication app(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("backup.target", "file:" + target,
                "backup.work-dir", work.toString(), "backup.page-size", "5", "backup.chunk-records", "5",
                "backup.tables", "account,contact"));
        settings.putAll(extra);
        return environment.startApplication(settings);
    }

    private static Exchange backup(CamelApplication app) {
        return app.template().request("dataverse:backup", e -> { });
    }

    private SnapshotStore store() {
        return SnapshotStore.of(SnapshotTarget.parse(target.toString()), () -> null);
    }

    @Test
    void twoBackupsStartedTogetherGetTwoCompleteSnapshotsOfTheirOwn() throws Exception {
        try (CamelApplication app = app(Map.of())) {
            CompletableFuture<Exchange> first = CompletableFuture.supplyAsync(() -> backup(app));
            CompletableFuture<Exchange> second = CompletableFuture.supplyAsync(() -> backup(app));
            List<Exchange> results = List.of(first.get(), second.get());
            for (Exchange result : results) {
                assertThat(result.getException()).isNull();
            }
            List<String> ids = results.stream().map(r -> r.getMessage().getHeader(BackupHeaders.SNAPSHOT_ID, String.class)).toList();
            assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("\\d{8}T\\d{6}Z-[0-9a-f]{4}-full"));
            List<SnapshotCatalog.Entry> snapshots = new SnapshotCatalog(store()).list();
            assertThat(snapshots).hasSize(2);
            for (SnapshotCatalog.Entry entry : snapshots) {
                SnapshotStore one = SnapshotStore.of(SnapshotTarget.parse(store().location(entry.key())), () -> null);
                assertThat(new SnapshotVerifier(one).verify().problems()).isEmpty();
                assertThat(entry.manifest().totalRecords()).isEqualTo(environment.emulator().state().count("account")
                        + environment.emulator().state().count("contact"));
            }
        }
    }

    @Test
    void withConcurrentFailASecondBackupOfTheSameEnvironmentAndTargetStopsWithAClearMessage() throws Exception {
        try (CamelApplication app = app(Map.of("backup.concurrent", "fail"))) {
            // the environment's folder in the target (backup.environment-name of the emulator settings)
            Path lockFile = target.resolve("emulator").resolve(".backup.lock");
            try (BackupLock held = BackupLock.acquire(lockFile, BackupLock.WhenBusy.WAIT, "test", "held by the test")) {
                Exchange result = backup(app);
                assertThat(result.getException()).isNotNull();
                assertThat(cause(result.getException(), BackupAlreadyRunningException.class))
                        .hasMessageContaining("Another backup of").hasMessageContaining("backup.concurrent=fail")
                        .hasMessageContaining(lockFile.toString());
            }
            assertThat(new SnapshotCatalog(store()).list()).isEmpty();
            assertThat(new SnapshotCatalog(store()).incomplete()).as("no folder was claimed").isEmpty();
            assertThat(backup(app).getException()).as("free again").isNull();
        }
    }

    @Test
    void aFailedBackupSaysWhyInItsFolderAndLeavesNoWorkFiles() throws Exception {
        try (CamelApplication app = app(Map.of("dataverse.max-attempts", "1"))) {
            environment.emulator().faults().failNext(100, 500, "contacts");
            Exchange result = backup(app);
            assertThat(result.getException()).isNotNull();
        }
        List<SnapshotCatalog.Incomplete> incomplete = new SnapshotCatalog(store()).incomplete();
        assertThat(incomplete).singleElement().satisfies(i -> assertThat(i.reason()).startsWith("the backup failed at"));
        assertThat(new SnapshotCatalog(store()).list()).isEmpty();
        try (Stream<Path> left = Files.walk(work)) {
            assertThat(left.filter(Files::isRegularFile).filter(f -> !f.toString().contains(".locks")))
                    .as("no part, no work folder").isEmpty();
        }
        try (Stream<Path> left = Files.walk(target)) {
            assertThat(left.filter(f -> f.getFileName().toString().startsWith(".writing-"))).isEmpty();
        }
    }

    @Test
    void whatACrashedRunLeftInTheWorkFolderIsClearedByTheNextBackup() throws Exception {
        Path crashed = Files.createDirectories(work.resolve("20260101T000000Z-dead-full"));
        Files.write(crashed.resolve("account-part-1-123.ndjson.gz"), new byte[4096]);
        Files.createFile(crashed.resolve(WorkFolder.IN_USE));
        Path loose = Files.write(work.resolve("contact-part-2-456.ndjson.gz"), new byte[1024]);
        try (CamelApplication app = app(Map.of())) {
            assertThat(backup(app).getException()).isNull();
        }
        assertThat(crashed).doesNotExist();
        assertThat(loose).doesNotExist();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("the run's own folder is gone too").isEmpty();
        }
    }

    @Test
    void snapshotFoldersAreOwnerOnlyAndFilesTooWhateverTheUmask() throws Exception {
        Exchange result;
        try (CamelApplication app = app(Map.of())) {
            result = backup(app);
        }
        assertThat(result.getException()).isNull();
        Path snapshot = Path.of(result.getMessage().getHeader(BackupHeaders.LOCATION, String.class));
        assertThat(Files.getPosixFilePermissions(snapshot.getParent()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> all = Files.walk(snapshot)) {
            for (Path path : all.toList()) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                        .as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
            }
        }
    }

    @Test
    void aTargetWithPercentSignsIsUsedLiterallyAndOneWithAQuestionMarkIsRefused() throws Exception {
        Path literal = target.resolve("nightly%41%20copies");
        Exchange result;
        try (CamelApplication app = app(Map.of("backup.target", "file:" + literal))) {
            result = backup(app);
        }
        assertThat(result.getException()).isNull();
        String location = result.getMessage().getHeader(BackupHeaders.LOCATION, String.class);
        assertThat(location).startsWith(literal.toString());
        assertThat(Path.of(location).resolve("manifest.json")).exists();
        assertThat(target.resolve("nightlyA copies")).doesNotExist();

        // refused when the context starts (the inbox's limits read every target) or at the latest by the backup
        Throwable refused;
        try (CamelApplication app = app(Map.of("backup.target", "file:" + target.resolve("what?now")))) {
            refused = backup(app).getException();
        } catch (RuntimeException e) {
            refused = e;
        }
        assertThat(cause(refused, org.dataversebackup.config.ConfigurationException.class))
                .hasMessageContaining("what?now").hasMessageContaining("'?'");
    }

    private static Throwable cause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + e);
    }
}
