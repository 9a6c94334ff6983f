package org.dataversebackup.emulator;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * An application registration (client id, secrets, certificate, tenant admin consent) and, when
 * {@link #applicationUser} is set, its Dataverse application user (a systemuser with access mode 4
 * and roles). Add with {@link EmulatorState#addApplication(EmulatorApp)}.
 */
public final class EmulatorApp {
    private final String clientId;
    private String name;
    private UUID objectId = UUID.randomUUID();
    private final Set<String> secrets = new LinkedHashSet<>();
    private X509Certificate certificate;
    private boolean adminConsent = true;
    private UUID applicationUserId;
    private int applicationUserAccessMode = EmulatorIdentities.ACCESS_MODE_NON_INTERACTIVE;
    private boolean applicationUserDisabled;
    private UUID businessUnitId = UUID.fromString(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID);
    private final Set<UUID> roleIds = new LinkedHashSet<>();

    public EmulatorApp(String clientId) {
        this.clientId = clientId;
        this.name = "app " + clientId;
    }

    public static EmulatorApp withClientId(String clientId) {
        return new EmulatorApp(clientId);
    }

    public EmulatorApp name(String name) {
        this.name = name;
        return this;
    }

    /** Object id of the service principal (the {@code oid} claim of its app-only tokens). */
    public EmulatorApp objectId(UUID objectId) {
        this.objectId = objectId;
        return this;
    }

    public EmulatorApp secret(String secret) {
        secrets.add(secret);
        return this;
    }

    /** A certificate whose key signs client assertions (verified by signature and x5t thumbprint). */
    public EmulatorApp certificate(X509Certificate certificate) {
        this.certificate = certificate;
        return this;
    }

    /** false: every token request answers AADSTS65001 (consent not granted for the tenant). */
    public EmulatorApp adminConsent(boolean adminConsent) {
        this.adminConsent = adminConsent;
        return this;
    }

    /** Creates the application user (systemuser with applicationid = client id) with this id. */
    public EmulatorApp applicationUser(UUID systemUserId) {
        this.applicationUserId = systemUserId;
        return this;
    }

    public EmulatorApp applicationUserAccessMode(int accessMode) {
        this.applicationUserAccessMode = accessMode;
        return this;
    }

    public EmulatorApp applicationUserDisabled(boolean disabled) {
        this.applicationUserDisabled = disabled;
        return this;
    }

    public EmulatorApp businessUnit(UUID businessUnitId) {
        this.businessUnitId = businessUnitId;
        return this;
    }

    /** A role of the application user. */
    public EmulatorApp role(UUID roleId) {
        roleIds.add(roleId);
        return this;
    }

    public String clientId() {
        return clientId;
    }

    public String name() {
        return name;
    }

    public UUID objectId() {
        return objectId;
    }

    public Set<String> secrets() {
        return Collections.unmodifiableSet(secrets);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public boolean adminConsent() {
        return adminConsent;
    }

    public UUID applicationUserId() {
        return applicationUserId;
    }

    public int applicationUserAccessMode() {
        return applicationUserAccessMode;
    }

    public boolean applicationUserDisabled() {
        return applicationUserDisabled;
    }

    public UUID businessUnitId() {
        return businessUnitId;
    }

    public Set<UUID> roleIds() {
        return Collections.unmodifiableSet(roleIds);
    }
}
