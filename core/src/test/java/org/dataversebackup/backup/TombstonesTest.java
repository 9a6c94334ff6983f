package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TombstonesTest {

    private static boolean deletion(String json) {
        return Tombstones.isDeletion(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDeletedEntityIsToldFromARowEvenOneThatMentionsIt() {
        assertThat(deletion("{\"@odata.context\":\"https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#accounts/$deletedEntity\","
                + "\"id\":\"2e451703-c686-e811-a96b-000d3a1cd2f9\",\"reason\":\"deleted\"}")).isTrue();
        assertThat(deletion("{\"@odata.etag\":\"W/\\\"1\\\"\",\"accountid\":\"2e451703-c686-e811-a96b-000d3a1cd2f9\","
                + "\"name\":\"/$deletedEntity\"}")).as("a row whose name mentions it").isFalse();
        assertThat(deletion("{\"name\":\"$deletedEntity\"}")).isFalse();
        assertThat(deletion("not json")).isFalse();
    }
}
