package org.dataversebackup.emulator;

/**
 * The well-known identities present in every emulator state (generated, loaded or empty). Tests and
 * the demo profile sign in with these; add more through {@link DataverseEmulator#state()}.
 *
 * <p>All user accounts share {@link #USER_PASSWORD}. The application accepts the client secret
 * {@link #APP_CLIENT_SECRET} and its client certificate (written by the emulator as PKCS#12 and PEM,
 * see {@link DataverseEmulator#appCertificatePkcs12()}); it may also be used for the public-client
 * flows (password and device code).
 */
public final class EmulatorIdentities {
    private EmulatorIdentities() {
    }

    /** The directory (tenant) id: the path segment of the authority. */
    public static final String TENANT_ID = "3b1f7c2a-9d4e-4f6a-8b2c-5e7d9f1a3c5e";
    /** The Dataverse organization id ({@code WhoAmI} OrganizationId). */
    public static final String ORGANIZATION_ID = "7d2e4f6a-1b3c-4d5e-9f7a-2c4e6a8b0d1f";
    /** The root business unit. */
    public static final String ROOT_BUSINESS_UNIT_ID = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
    /** The organization's base currency (US Dollar). */
    public static final String BASE_CURRENCY_ID = "c5d6e7f8-0a1b-4c2d-9e3f-4a5b6c7d8e9f";
    /** Domain of the user principal names. */
    public static final String DOMAIN = "emulator.test";

    /** The SYSTEM user: creator of the organization's own rows (business unit, currency, users). */
    public static final String SYSTEM_USER_ID = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";

    // --- the application (confidential client; also allowed for public-client flows) ---
    /** Application (client) id of the registered, consented application. */
    public static final String APP_CLIENT_ID = "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
    /** Its client secret. */
    public static final String APP_CLIENT_SECRET = "emulator-client-secret-do-not-use-in-production";
    /** Display name of the application. */
    public static final String APP_NAME = "dataverse-backup emulator app";
    /** Object id of the application's service principal (the {@code oid} claim of app-only tokens). */
    public static final String APP_OBJECT_ID = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    /** systemuserid of the application user (access mode 4 Non-interactive, System Administrator). */
    public static final String APP_USER_ID = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
    /** Password of the PKCS#12 file holding the application's client certificate and key. */
    public static final String APP_CERTIFICATE_PASSWORD = "emulator";

    /** An application registered in the tenant, but without tenant admin consent: AADSTS65001. */
    public static final String UNCONSENTED_CLIENT_ID = "3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b";
    /** Client secret of the application without consent. */
    public static final String UNCONSENTED_CLIENT_SECRET = "unconsented-client-secret";
    /** Not registered anywhere: any client id that is not registered gets AADSTS700016; this is one. */
    public static final String UNKNOWN_CLIENT_ID = "4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c";

    // --- users (all with USER_PASSWORD) ---
    /** Password of every well-known user. */
    public static final String USER_PASSWORD = "Emulator-Passw0rd!";

    /** Read-Write (0) user with the System Administrator role. */
    public static final String ADMIN_USER = "admin@" + DOMAIN;
    public static final String ADMIN_USER_ID = "5a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d";
    public static final String ADMIN_OBJECT_ID = "6b7c8d9e-0f1a-4b2c-9d3e-5f6a7b8c9d0e";

    /** Access mode Read (2) user with the System Administrator role: reads everything, writes nothing. */
    public static final String READ_ONLY_USER = "reader@" + DOMAIN;
    public static final String READ_ONLY_USER_ID = "7c8d9e0f-1a2b-4c3d-8e4f-6a7b8c9d0e1f";

    /** Read-Write user whose role has every privilege except prvWriteContact. */
    public static final String NO_CONTACT_WRITE_USER = "nocontactwrite@" + DOMAIN;
    public static final String NO_CONTACT_WRITE_USER_ID = "8d9e0f1a-2b3c-4d4e-9f5a-7b8c9d0e1f2a";

    /** Administrative (1) access mode user with the System Administrator role. */
    public static final String ADMINISTRATIVE_USER = "administrative@" + DOMAIN;
    public static final String ADMINISTRATIVE_USER_ID = "9e0f1a2b-3c4d-4e5f-8a6b-8c9d0e1f2a3b";

    /** A Dataverse user that is disabled (signs in to Entra ID, the Web API refuses it). */
    public static final String DISABLED_USER = "disabled@" + DOMAIN;
    public static final String DISABLED_USER_ID = "0f1a2b3c-4d5e-4f6a-9b7c-9d0e1f2a3b4c";

    /** A user whose sign-in requires multi-factor authentication: the password grant answers AADSTS50076. */
    public static final String MFA_USER = "mfa@" + DOMAIN;
    public static final String MFA_USER_ID = "1a2b3c4d-5e6f-4a7b-8c8d-0e1f2a3b4c5d";

    /** Read-Write user whose role reads account, contact, dvb_project and activities only at Basic (own records) depth. */
    public static final String BASIC_READ_USER = "basicreader@" + DOMAIN;
    public static final String BASIC_READ_USER_ID = "2b3c4d5e-6f7a-4b8c-9d9e-1f2a3b4c5d6e";

    /** Read-Write user with no role of its own, System Administrator through {@link #ADMIN_TEAM_ID}. */
    public static final String TEAM_USER = "teamuser@" + DOMAIN;
    public static final String TEAM_USER_ID = "3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f";

    // --- security roles and teams ---
    /** System Administrator: every privilege at Global depth. */
    public static final String SYSTEM_ADMINISTRATOR_ROLE_ID = "4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f8a";
    public static final String SYSTEM_ADMINISTRATOR_ROLE = "System Administrator";
    /** Every privilege at Global depth except prvWriteContact. */
    public static final String NO_CONTACT_WRITE_ROLE_ID = "5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a9b";
    public static final String NO_CONTACT_WRITE_ROLE = "Salesperson (no contact write)";
    /** Basic-depth read of account, contact, dvb_project and activities (email, activityparty); Global read of users, teams, currencies. */
    public static final String BASIC_READ_ROLE_ID = "6f7a8b9c-0d1e-4f2a-9b3c-5d6e7f8a9b0c";
    public static final String BASIC_READ_ROLE = "Basic reader";
    /** Owner team holding the System Administrator role; TEAM_USER is its member. */
    public static final String ADMIN_TEAM_ID = "7a8b9c0d-1e2f-4a3b-8c4d-6e7f8a9b0c1d";
    public static final String ADMIN_TEAM = "Administrators team";

    // --- systemuser.accessmode values ---
    public static final int ACCESS_MODE_READ_WRITE = 0;
    public static final int ACCESS_MODE_ADMINISTRATIVE = 1;
    public static final int ACCESS_MODE_READ = 2;
    public static final int ACCESS_MODE_SUPPORT_USER = 3;
    public static final int ACCESS_MODE_NON_INTERACTIVE = 4;
    public static final int ACCESS_MODE_DELEGATED_ADMIN = 5;
}
