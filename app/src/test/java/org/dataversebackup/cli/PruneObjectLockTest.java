package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.dataversebackup.snapshot.SnapshotJson;
import org.dataversebackup.snapshot.SnapshotManifest;
import org.dataversebackup.testing.CommandConsole;
import org.dataversebackup.testsupport.InProcessS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * prune on an S3 target with S3 Object Lock (s3.object-lock-*): a snapshot no rule keeps but
 * whose objects are still locked is kept, saying until when, and so is a failed backup's folder
 * within its lock; what is no longer locked goes. (s3proxy does not enforce locks: the decision is
 * prune's own, from the manifest's time.)
 */
class PruneObjectLockTest {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @RegisterExtension
    final CommandConsole console = new CommandConsole();

    @Test
    void pruneKeepsWhatTheLockHoldsAndRemovesTheRest() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (InProcessS3 server = InProcessS3.start("locked"); S3Client client = server.client()) {
            String old = snapshot(client, now.minus(Duration.ofDays(60)), true);
            String lockedNotKept = snapshot(client, now.minus(Duration.ofDays(10)), true);
            String newest = snapshot(client, now.minus(Duration.ofDays(1)), true);
            String failedLongAgo = snapshot(client, now.minus(Duration.ofDays(61)), false);
            String failedRecently = snapshot(client, now.minus(Duration.ofDays(5)), false);
            server.settings().forEach(console::set);
            console.set("s3.object-lock-mode", "COMPLIANCE");
            console.set("s3.object-lock-days", "30");
            console.set("retention.keep-last", "1");

            assertThat(DataverseBackupCommand.execute("prune", "--target", "s3://locked/root"))
                    .as(console.out() + console.err()).isEqualTo(ExitCodes.SUCCESS);

            String lockedUntil = now.minus(Duration.ofDays(10)).plusSeconds(60).plus(Duration.ofDays(30)).toString();
            assertThat(console.out()).contains("KEEP        s3://locked/root/contoso/" + newest + "  (last 1)")
                    .contains("KEEP        s3://locked/root/contoso/" + lockedNotKept + "  (no rule keeps it, but S3 Object Lock does until "
                            + lockedUntil + ")")
                    .contains("PRUNED      s3://locked/root/contoso/" + old)
                    .contains("PRUNED      s3://locked/root/contoso/" + failedLongAgo)
                    .doesNotContain(failedRecently)
                    .contains("2 kept, 1 pruned, 1 incomplete removed");
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket("locked")).contents().stream().map(o -> o.key()).toList();
            assertThat(keys).anyMatch(k -> k.contains(newest)).anyMatch(k -> k.contains(lockedNotKept))
                    .anyMatch(k -> k.contains(failedRecently)).noneMatch(k -> k.contains(old)).noneMatch(k -> k.contains(failedLongAgo));
        }
    }

    /** A snapshot of environment contoso under s3://locked/root, complete (a manifest, written a minute after it began) or not. */
    private static String snapshot(S3Client client, Instant time, boolean complete) throws IOException {
        String id = ID_TIME.format(time) + "-" + String.format("%04x", time.getEpochSecond() & 0xffff) + "-full";
        String prefix = "root/contoso/" + id + "/";
        client.putObject(b -> b.bucket("locked").key(prefix + "data/account/part-00001.ndjson.gz"), RequestBody.fromString("x"));
        if (complete) {
            SnapshotManifest manifest = new SnapshotManifest(1, null, id, "full", null, null, null, time.toString(),
                    time.plusSeconds(60).toString(), null, List.of());
            client.putObject(b -> b.bucket("locked").key(prefix + SnapshotManifest.FILE_NAME),
                    RequestBody.fromBytes(SnapshotJson.MAPPER.writeValueAsBytes(manifest)));
        }
        return id;
    }
}
