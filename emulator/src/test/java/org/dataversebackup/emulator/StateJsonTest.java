package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Data generation, and the whole state dumped to and loaded from JSON. */
class StateJsonTest {
    @TempDir
    Path dir;

    private static String dump(EmulatorState state) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        state.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generationIsDeterministicAndSized() throws Exception {
        DataSetSpec spec = DataSetSpec.builder().accounts(30).contactsPerAccount(3).projects(12).contactsPerProject(2).seed(7).build();
        EmulatorState a = EmulatorState.generate(spec);
        EmulatorState b = EmulatorState.generate(spec);
        assertThat(dump(a)).isEqualTo(dump(b));
        assertThat(a.count("account")).isEqualTo(30);
        assertThat(a.count("contact")).isEqualTo(90);
        assertThat(a.count("dvb_project")).isEqualTo(12);
        assertThat(a.count("dvb_project_contact")).isEqualTo(24);
        EmulatorState other = EmulatorState.generate(DataSetSpec.builder().accounts(30).contactsPerAccount(3).projects(12).seed(8).build());
        assertThat(dump(other)).isNotEqualTo(dump(a));
    }

    @Test
    void generatedRowsUseEveryColumnKind() {
        EmulatorState state = EmulatorState.generate(DataSetSpec.sized(40, 3, 10));
        boolean contactParent = false;
        for (UUID id : state.ids("contact")) {
            ObjectNode row = state.row("contact", id).orElseThrow();
            assertThat(row.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isIn("account", "contact");
            contactParent |= row.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText().equals("contact");
            assertThat(row.get("fullname").asText()).isEqualTo(row.get("firstname").asText() + " " + row.get("lastname").asText());
        }
        assertThat(contactParent).isTrue();
        boolean parentProject = state.ids("dvb_project").stream()
                .anyMatch(id -> !state.row("dvb_project", id).orElseThrow().get("_dvb_parentprojectid_value").isNull());
        assertThat(parentProject).isTrue();
    }

    @Test
    void saveAndLoadGiveTheSameStateAndTheEmulatorServesIt() throws Exception {
        EmulatorState state = EmulatorState.generate(DataSetSpec.sized(25, 2, 5));
        state.addUser(EmulatorUser.named("extra@" + EmulatorIdentities.DOMAIN).accessMode(2)
                .role(UUID.fromString(EmulatorIdentities.SYSTEM_ADMINISTRATOR_ROLE_ID)));
        UUID deleted = state.ids("account").get(3);
        state.deleteRow("account", deleted);
        Path file = dir.resolve("state.json");
        state.save(file);
        EmulatorState loaded = EmulatorState.load(file);
        assertThat(dump(loaded)).isEqualTo(dump(state));
        assertThat(loaded.user("extra@" + EmulatorIdentities.DOMAIN).orElseThrow().accessMode()).isEqualTo(2);

        try (DataverseEmulator emulator = DataverseEmulator.builder().dataFile(file).start()) {
            TestClient client = new TestClient(emulator);
            assertThat(emulator.trustStore().getParent()).isEqualTo(dir);
            JsonNode body = client.api(client.appToken(), "accounts?$select=name&$count=true").json();
            assertThat(body.get("@odata.count").asInt()).isEqualTo(24);
            assertThat(client.api(client.userToken("extra@" + EmulatorIdentities.DOMAIN), "WhoAmI").status()).isEqualTo(200);
        }
        assertThat(Files.size(file)).isGreaterThan(1000);
    }

    @Test
    void rowsCanBeSeededInTheWebApiShape() {
        EmulatorState state = EmulatorState.standard();
        UUID id = UUID.randomUUID();
        ObjectNode row = TestClient.JSON.createObjectNode();
        row.put("accountid", id.toString());
        row.put("name", "Seeded");
        row.put("revenue", new java.math.BigDecimal("12.5"));
        row.put("_ownerid_value", EmulatorIdentities.ADMIN_TEAM_ID);
        row.put("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "team");
        long version = state.putRow("account", row);
        ObjectNode read = state.row("account", id).orElseThrow();
        assertThat(read.get("name").asText()).isEqualTo("Seeded");
        assertThat(read.get("revenue").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(read.get("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isEqualTo("team");
        assertThat(read.get("versionnumber").asLong()).isEqualTo(version);
        assertThat(read.get("@odata.etag").asText()).isEqualTo("W/\"" + version + "\"");
    }
}
