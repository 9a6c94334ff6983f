package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.dataversebackup.dataverse.FileColumn;
import org.dataversebackup.snapshot.SnapshotEncryption;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Attachment bodies taken out of note records: decoded into a file, the record keeping null and the marker. */
class RecordBodiesTest {
    static final String ID = "0b6e3a55-9f1d-4e55-8a11-3c1e0c7a0001";

    @TempDir
    Path dir;

    RecordBodies bodies() {
        return new RecordBodies(dir, "annotation", "annotationid",
                List.of(new FileColumn("dvb_file", false, false), new FileColumn("documentbody", false, false, true)),
                SnapshotEncryption.none(), "snap");
    }

    @Test
    void theBodyIsDecodedIntoAFileAndTheRecordKeepsTheMarkerWhateverThePropertyOrder() throws Exception {
        byte[] content = new byte[300_001];
        new java.util.Random(4).nextBytes(content);
        String record = "{\"@odata.etag\":\"W/\\\"7\\\"\",\"subject\":\"Contract\",\"documentbody\":\""
                + Base64.getEncoder().encodeToString(content) + "\",\"filename\":\"c.pdf\",\"mimetype\":\"application/pdf\","
                + "\"_objectid_value\":\"a1\",\"annotationid\":\"" + ID + "\"}";
        RecordBodies.Result result = bodies().extract(record.getBytes(StandardCharsets.UTF_8));

        assertThat(result.bodies()).hasSize(1);
        RecordBodies.Extracted body = result.bodies().get(0);
        assertThat(Files.readAllBytes(body.local())).isEqualTo(content);
        assertThat(body.size()).isEqualTo(content.length);
        assertThat(body.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(body.storedPath()).isEqualTo("files/annotation/" + ID + "/documentbody");
        assertThat(body.fileName()).isEqualTo("c.pdf");
        assertThat(body.mimeType()).isEqualTo("application/pdf");

        JsonNode kept = SnapshotJson.MAPPER.readTree(result.record());
        assertThat(kept.get("documentbody").isNull()).isTrue();
        assertThat(kept.get("documentbody@dvb.file").asText()).isEqualTo("files/annotation/" + ID + "/documentbody");
        assertThat(kept.get("subject").asText()).isEqualTo("Contract");
        assertThat(kept.get("@odata.etag").asText()).isEqualTo("W/\"7\"");
        assertThat(kept.get("annotationid").asText()).isEqualTo(ID);
        assertThat(result.record().length).isLessThan(400);
    }

    @Test
    void aRecordWithoutABodyIsLeftAsItIsAndABodyThatIsNotBase64IsRefusedNamingTheRecord() throws Exception {
        byte[] plain = ("{\"annotationid\":\"" + ID + "\",\"subject\":\"x\",\"documentbody\":null}").getBytes(StandardCharsets.UTF_8);
        RecordBodies.Result result = bodies().extract(plain);
        assertThat(result.record()).isSameAs(plain);
        assertThat(result.bodies()).isEmpty();

        byte[] bad = ("{\"annotationid\":\"" + ID + "\",\"documentbody\":\"not base64!\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> bodies().extract(bad)).hasMessageContaining(ID).hasMessageContaining("documentbody");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
