package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.snapshot.SnapshotCatalog;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.snapshot.SnapshotStore;
import org.dataversebackup.snapshot.SnapshotTarget;
import org.dataversebackup.snapshot.SnapshotVerifier;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.dataversebackup.testsupport.InProcessS3;
import org.dataversebackup.testsupport.SnapshotFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** direct:backup to an S3-compatible server (s3proxy) through camel-aws2-s3. */
class BackupToS3Test {
    private static final String BUCKET = "dataverse-snapshots";
    private static EmulatorEnvironment environment;
    private static InProcessS3 s3;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        environment = EmulatorEnvironment.start(DataSetSpec.builder().accounts(17).contactsPerAccount(2).projects(6).build());
        s3 = InProcessS3.start(BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        environment.close();
        s3.close();
    }

    private CamelApplication app() {
        Map<String, String> settings = new HashMap<>(s3.settings());
        settings.put("backup.target", "s3://" + BUCKET + "/nightly/dataverse");
        settings.put("backup.page-size", "5");
        settings.put("backup.chunk-records", "8");
        settings.put("s3.part-size", String.valueOf(5 * 1024 * 1024));
        settings.put("backup.work-dir", work.toString());
        return environment.startApplication(settings);
    }

    @Test
    void aSnapshotInS3HoldsEveryRecordAndIsListedAndVerified() throws Exception {
        try (CamelApplication app = app()) {
            Exchange result = app.template().request("dataverse:backup",
                    e -> e.getIn().setHeader(BackupHeaders.TABLES, "account,contact,dvb_project,dvb_project_contact"));
            assertThat(result.getException()).isNull();
            String location = result.getMessage().getHeader(BackupHeaders.LOCATION, String.class);
            assertThat(location).startsWith("s3://" + BUCKET + "/nightly/dataverse/emulator/").endsWith("-full");

            S3Client client = s3.client();
            SnapshotStore snapshot = SnapshotStore.of(SnapshotTarget.parse(location), () -> client);
            SnapshotManifest manifest = SnapshotFiles.manifest(snapshot);
            for (SnapshotManifest.Table table : manifest.tables()) {
                assertThat(SnapshotFiles.records(snapshot, table)).as(table.logicalName())
                        .hasSize(environment.emulator().state().count(table.logicalName()));
            }
            assertThat(new SnapshotVerifier(snapshot).verify().problems()).isEmpty();

            List<SnapshotCatalog.Entry> listed = new SnapshotCatalog(SnapshotStore.of(
                    SnapshotTarget.parse("s3://" + BUCKET + "/nightly/dataverse"), () -> client)).list();
            assertThat(listed).extracting(e -> e.manifest().snapshotId()).contains(manifest.snapshotId());

            // the local copies of the parts are removed once uploaded
            try (var files = Files.walk(work)) {
                assertThat(files.filter(Files::isRegularFile)).isEmpty();
            }
            // the manifest is the newest object of the snapshot: uploaded last
            List<S3Object> objects = client.listObjectsV2(ListObjectsV2Request.builder().bucket(BUCKET)
                    .prefix("nightly/dataverse/emulator/" + manifest.snapshotId() + "/").build()).contents();
            Instant manifestAt = objects.stream().filter(o -> o.key().endsWith("manifest.json")).findFirst().orElseThrow()
                    .lastModified();
            assertThat(objects).allSatisfy(o -> assertThat(o.lastModified()).isBeforeOrEqualTo(manifestAt));
        }
    }

    @Test
    void aPartLargerThanTheMultipartSizeIsUploadedInParts() throws Exception {
        Path big = work.resolve("big.bin");
        byte[] content = new byte[11 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        Files.write(big, content);
        try (CamelApplication app = app()) {
            SnapshotRun run = new SnapshotRun(SnapshotRun.newId(Instant.now(), "full"), Instant.now(),
                    SnapshotTarget.parse("s3://" + BUCKET + "/multipart"),
                    new org.dataversebackup.snapshot.SnapshotManifest.Source("https://x", "org", "env"), List.of(), work, null);
            Exchange result = app.template().request("direct:dataverse-backup.default.snapshot-write", e -> {
                e.setProperty(SnapshotRun.PROPERTY, run);
                e.getIn().setHeader(BackupRoutes.STORAGE_KEY_HEADER, run.storageKey("data/big/part-00001.ndjson.gz"));
                e.getIn().setHeader("CamelAwsS3ContentLength", (long) content.length);
                e.getIn().setBody(new File(big.toString()));
            });
            assertThat(result.getException()).isNull();
            var head = s3.client().headObject(HeadObjectRequest.builder().bucket(BUCKET)
                    .key(run.storageKey("data/big/part-00001.ndjson.gz")).build());
            assertThat(head.contentLength()).isEqualTo(content.length);
            assertThat(head.eTag()).as("a multipart upload's ETag ends with the part count").contains("-3");
        }
    }

    @Test
    void aTargetTheCredentialsCannotUseIsFoundBeforeAnyTableIsRead() throws Exception {
        Map<String, String> settings = new HashMap<>(s3.settings());
        settings.put("backup.target", "s3://" + BUCKET + "/wrong-keys");
        settings.put("s3.secret-key", "not-the-secret");
        settings.put("backup.work-dir", work.toString());
        // a read of accounts would meet this fault: it must stay unused
        environment.emulator().faults().clear().failNext(1, 500, "accounts");
        try (CamelApplication app = environment.startApplication(settings)) {
            Exchange result = app.template().request("dataverse:backup", e -> e.getIn().setHeader(BackupHeaders.TABLES, "account"));
            assertThat(result.getException()).isNotNull();
            Throwable cause = result.getException();
            while (cause != null && !(cause instanceof org.dataversebackup.config.ConfigurationException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("a configuration error (exit 2)").isNotNull()
                    .hasMessageContaining("s3://" + BUCKET + "/wrong-keys cannot be used").hasMessageContaining("s3.secret-key");
        }
        assertThat(environment.emulator().faults().injectedCount()).as("no row of any table was read").isZero();
        environment.emulator().faults().clear();
    }
}
