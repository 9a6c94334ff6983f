package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.check.CheckHeaders;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorApp;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.emulator.UserStatistics;
import org.dataversebackup.snapshot.SnapshotJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Several application users of one environment (auth.connections): a restore and a backup spread
 * their requests over every account, each through its own service protection limits as the
 * emulator counts them per user; an account that cannot sign in is taken out by the preflight with
 * a warning and the restore goes on with the others.
 */
class ConnectionsEmulatorTest {
    private static final DataSetSpec SPEC = DataSetSpec.sized(40, 2, 0);

    @TempDir
    Path dir;

    /** A second application registration with its application user (System Administrator, non-interactive). */
    private static UUID register(DataverseEmulator emulator, String clientId, String secret) {
        UUID user = UUID.randomUUID();
        emulator.state().addApplication(EmulatorApp.withClientId(clientId).name("backup app " + clientId.substring(0, 4))
                .objectId(UUID.randomUUID()).secret(secret).applicationUser(user)
                .applicationUserAccessMode(EmulatorIdentities.ACCESS_MODE_NON_INTERACTIVE)
                .role(UUID.fromString(EmulatorIdentities.SYSTEM_ADMINISTRATOR_ROLE_ID)));
        return user;
    }

    private static void connection(Map<String, String> settings, String name, String clientId, String secret) {
        settings.put("auth.connections." + name + ".client-id", clientId);
        settings.put("auth.connections." + name + ".client-secret", secret);
    }

    @Test
    void aRestoreAndABackupSpreadTheirRequestsOverEveryApplicationUser() throws Exception {
        String snapshot;
        try (DataverseEmulator source = RestoreEmulator.generated(SPEC);
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            snapshot = RestoreEmulator.backup(app, "account,contact");
        }
        String second = UUID.randomUUID().toString();
        String third = UUID.randomUUID().toString();
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC)) {
            UUID secondUser = register(target, second, "second-secret");
            UUID thirdUser = register(target, third, "third-secret");
            // two requests at once per user: one user alone would be throttled all the time
            target.serviceProtection(Integer.MAX_VALUE, Duration.ofMinutes(5), 2);
            Map<String, String> settings = new HashMap<>();
            settings.put("auth.connections", "second,third");
            connection(settings, "second", second, "second-secret");
            connection(settings, "third", third, "third-secret");
            settings.put("restore.batch-size", "5");
            settings.put("restore.parallelism", "6"); // two at once per user, as the limit allows
            try (CamelApplication app = RestoreEmulator.app(target, dir.resolve("target"), settings)) {
                JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot));
                assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
                assertThat(target.state().count("account")).isEqualTo(SPEC.accounts());
                assertThat(target.state().count("contact")).isEqualTo(SPEC.accounts() * 2L);

                Map<UUID, UserStatistics> users = target.userStatistics();
                UserStatistics main = users.get(UUID.fromString(EmulatorIdentities.APP_USER_ID));
                long all = main.requests() + users.get(secondUser).requests() + users.get(thirdUser).requests();
                for (UUID user : new UUID[] {UUID.fromString(EmulatorIdentities.APP_USER_ID), secondUser, thirdUser}) {
                    assertThat(users.get(user).requests()).as("user " + user + " of " + users).isGreaterThan(all / 6);
                    assertThat(users.get(user).maxConcurrentRequests()).isLessThanOrEqualTo(2);
                }

                // a backup reads through the three accounts too
                long before = users.get(secondUser).requests() + users.get(thirdUser).requests();
                RestoreEmulator.backup(app, "account,contact");
                users = target.userStatistics();
                assertThat(users.get(secondUser).requests() + users.get(thirdUser).requests()).isGreaterThan(before);
            }
        }
    }

    @Test
    void anAccountThatCannotSignInIsTakenOutAndTheRestoreGoesOn() throws Exception {
        String snapshot;
        try (DataverseEmulator source = RestoreEmulator.generated(SPEC);
                CamelApplication app = RestoreEmulator.app(source, dir.resolve("source"), Map.of())) {
            snapshot = RestoreEmulator.backup(app, "account,contact");
        }
        String second = UUID.randomUUID().toString();
        try (DataverseEmulator target = RestoreEmulator.emptied(SPEC)) {
            UUID secondUser = register(target, second, "second-secret");
            Map<String, String> settings = new HashMap<>();
            settings.put("auth.connections", "second");
            connection(settings, "second", second, "a-wrong-secret");
            try (CamelApplication app = RestoreEmulator.app(target, dir.resolve("target"), settings)) {
                Exchange check = app.template().request("dataverse:check?purpose=restore&tables=account", e -> { });
                assertThat(check.getException()).isNull();
                assertThat(check.getMessage().getHeader(CheckHeaders.PASSED, Boolean.class)).isTrue();
                JsonNode steps = SnapshotJson.MAPPER.readTree(check.getMessage().getBody(String.class)).path("steps");
                assertThat(steps.toString()).contains("connection second").contains("is taken out, the others go on")
                        .as("names the key of that account").contains("auth.connections.second.client-secret")
                        .contains("\"result\":\"warn\"");

                JsonNode report = RestoreEmulator.report(app, Map.of(RestoreHeaders.SNAPSHOT, snapshot));
                assertThat(report.path("ok").asBoolean()).as(report + "\n" + (report.hasNonNull("failuresFile")
                        ? java.nio.file.Files.readString(Path.of(report.path("failuresFile").asText())) : "")).isTrue();
                assertThat(target.state().count("account")).isEqualTo(SPEC.accounts());
                assertThat(target.userStatistics().get(secondUser)).as("the taken-out account sent nothing").isNull();
            }
        }
    }
}
