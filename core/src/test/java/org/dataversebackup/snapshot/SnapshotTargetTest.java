package org.dataversebackup.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.Test;

class SnapshotTargetTest {

    @Test
    void folders() {
        assertThat(SnapshotTarget.parse("file:backups")).isEqualTo(new SnapshotTarget.Folder(Path.of("backups").toAbsolutePath()));
        assertThat(SnapshotTarget.parse("file:///var/backups")).isEqualTo(new SnapshotTarget.Folder(Path.of("/var/backups")));
        assertThat(SnapshotTarget.parse("/var/backups/")).isEqualTo(new SnapshotTarget.Folder(Path.of("/var/backups")));
        assertThat(SnapshotTarget.parse("file:/var/backups").locationOf("contoso/20261129T020000Z-full"))
                .isEqualTo("/var/backups/contoso/20261129T020000Z-full");
    }

    @Test
    void s3() {
        SnapshotTarget.S3 s3 = (SnapshotTarget.S3) SnapshotTarget.parse("s3://my-bucket/nightly/dataverse/");
        assertThat(s3.bucket()).isEqualTo("my-bucket");
        assertThat(s3.prefix()).isEqualTo("nightly/dataverse");
        assertThat(s3.locationOf("contoso/x")).isEqualTo("s3://my-bucket/nightly/dataverse/contoso/x");
        assertThat(((SnapshotTarget.S3) SnapshotTarget.parse("s3://b")).key("a/b")).isEqualTo("a/b");
    }

    @Test
    void badTargetsSayWhatIsExpected() {
        assertThatThrownBy(() -> SnapshotTarget.parse("ftp://host/x")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("file:<folder> or s3://bucket/prefix");
        assertThatThrownBy(() -> SnapshotTarget.parse("s3:///prefix")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no bucket");
        assertThatThrownBy(() -> SnapshotTarget.parse(" ")).isInstanceOf(ConfigurationException.class);
    }
}
