package org.dataversebackup.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartWriterTest {
    @TempDir
    Path work;

    @Test
    void writesGzipNdjsonAndDescribesTheFileExactly() throws Exception {
        List<byte[]> records = IntStream.range(0, 1000)
                .mapToObj(i -> ("{\"accountid\":\"" + i + "\",\"name\":\"Account " + i + "\"}").getBytes(StandardCharsets.UTF_8))
                .toList();
        PartFile part = new PartWriter(work).write(records.iterator(), "account", 3);

        assertThat(part.relativePath()).isEqualTo("data/account/part-00003.ndjson.gz");
        assertThat(part.records()).isEqualTo(1000);
        byte[] file = Files.readAllBytes(part.localFile());
        assertThat(part.bytes()).isEqualTo(file.length);
        assertThat(part.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(part.localFile()))) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).hasSize(1000);
            assertThat(lines.get(999)).isEqualTo("{\"accountid\":\"999\",\"name\":\"Account 999\"}");
        }
    }

    @Test
    void aPartThatFailsMidwayIsDeletedNotLeftInTheWorkFolder() throws Exception {
        java.util.Iterator<byte[]> failing = new java.util.Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public byte[] next() {
                if (n++ == 500) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
                }
                return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PartWriter(work).write(failing, "account", 1))
                .hasMessageContaining("No space left on device");
        try (var left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aWriteThatFailedForWantOfSpaceSaysDiskFullWhereAndHowMuchIsFree() {
        String message = DiskSpace.describe("Cannot write data part 3 of account in " + work, work,
                new java.io.IOException("No space left on device"));
        assertThat(message).contains("Cannot write data part 3 of account").contains("disk full at " + work.toAbsolutePath())
                .containsPattern("[\\d,]+ bytes free").contains("backup.work-dir");
        assertThat(DiskSpace.describe("Cannot write x", work, new java.io.IOException("Permission denied")))
                .isEqualTo("Cannot write x: Permission denied");
    }

    @Test
    void aSnapshotFolderIsClaimedOnceNeverReused() throws Exception {
        SnapshotStore store = SnapshotStore.of(SnapshotTarget.parse(work.toString()), () -> null);
        assertThat(store.claim("contoso/20260101T000000Z-0001-full")).isTrue();
        assertThat(store.claim("contoso/20260101T000000Z-0001-full")).isFalse();
        assertThat(work.resolve("contoso/20260101T000000Z-0001-full")).isDirectory();
    }
}
