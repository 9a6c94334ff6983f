package org.dataversebackup.emulator;

import static org.dataversebackup.emulator.EmulatorIdentities.*;

import java.util.UUID;

/** Puts the {@link EmulatorIdentities well-known identities} into a state. */
final class WellKnown {
    private WellKnown() {
    }

    static void install(EmulatorState state) {
        UUID admin = UUID.fromString(SYSTEM_ADMINISTRATOR_ROLE_ID);
        state.addRole(new EmulatorRole(admin, SYSTEM_ADMINISTRATOR_ROLE).grantAll());
        state.addRole(new EmulatorRole(UUID.fromString(NO_CONTACT_WRITE_ROLE_ID), NO_CONTACT_WRITE_ROLE)
                .grantAll().revoke("prvWriteContact"));
        EmulatorRole basic = new EmulatorRole(UUID.fromString(BASIC_READ_ROLE_ID), BASIC_READ_ROLE);
        for (String table : new String[] {"account", "contact", "dvb_project", "email"}) { // email: prvReadActivity
            basic.grantTable(table, PrivilegeDepth.BASIC, "Read");
        }
        for (String table : new String[] {"systemuser", "team", "businessunit", "transactioncurrency", "role"}) {
            basic.grantTable(table, PrivilegeDepth.GLOBAL, "Read");
        }
        state.addRole(basic);

        state.addApplication(EmulatorApp.withClientId(APP_CLIENT_ID)
                .name(APP_NAME)
                .objectId(UUID.fromString(APP_OBJECT_ID))
                .secret(APP_CLIENT_SECRET)
                .certificate(Tls.appCertificateMaterial().certificate())
                .applicationUser(UUID.fromString(APP_USER_ID))
                .applicationUserAccessMode(ACCESS_MODE_NON_INTERACTIVE)
                .role(admin));
        state.addApplication(EmulatorApp.withClientId(UNCONSENTED_CLIENT_ID)
                .name("dataverse-backup emulator app without consent")
                .objectId(UUID.nameUUIDFromBytes(UNCONSENTED_CLIENT_ID.getBytes()))
                .secret(UNCONSENTED_CLIENT_SECRET)
                .adminConsent(false));

        state.addUser(EmulatorUser.named(ADMIN_USER).name("Ada", "Admin")
                .systemUserId(UUID.fromString(ADMIN_USER_ID)).objectId(UUID.fromString(ADMIN_OBJECT_ID))
                .role(admin));
        state.addUser(user(READ_ONLY_USER, READ_ONLY_USER_ID, "Reed", "Only").accessMode(ACCESS_MODE_READ).role(admin));
        state.addUser(user(NO_CONTACT_WRITE_USER, NO_CONTACT_WRITE_USER_ID, "Nora", "Nowrite")
                .role(UUID.fromString(NO_CONTACT_WRITE_ROLE_ID)));
        state.addUser(user(ADMINISTRATIVE_USER, ADMINISTRATIVE_USER_ID, "Adele", "Administrative")
                .accessMode(ACCESS_MODE_ADMINISTRATIVE).role(admin));
        state.addUser(user(DISABLED_USER, DISABLED_USER_ID, "Dave", "Disabled").disabled(true).role(admin));
        state.addUser(user(MFA_USER, MFA_USER_ID, "Mia", "Multifactor").mfaRequired(true).role(admin));
        state.addUser(user(BASIC_READ_USER, BASIC_READ_USER_ID, "Basil", "Reader")
                .role(UUID.fromString(BASIC_READ_ROLE_ID)));
        state.addUser(user(TEAM_USER, TEAM_USER_ID, "Tea", "Member"));
        state.addTeam(new EmulatorTeam(UUID.fromString(ADMIN_TEAM_ID), ADMIN_TEAM)
                .role(admin).member(UUID.fromString(TEAM_USER_ID)));
    }

    private static EmulatorUser user(String upn, String systemUserId, String first, String last) {
        return EmulatorUser.named(upn).name(first, last)
                .systemUserId(UUID.fromString(systemUserId))
                .objectId(UUID.nameUUIDFromBytes(("oid:" + upn).getBytes()));
    }
}
