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
}
