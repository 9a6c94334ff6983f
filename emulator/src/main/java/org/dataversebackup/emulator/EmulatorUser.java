package org.dataversebackup.emulator;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A person: an Entra ID account (user principal name, password, MFA) and its Dataverse user
 * (systemuser: access mode, disabled flag, business unit, roles). Add with
 * {@link EmulatorState#addUser(EmulatorUser)}.
 */
public final class EmulatorUser {
    private final String userPrincipalName;
    private String password = EmulatorIdentities.USER_PASSWORD;
    private UUID objectId = UUID.randomUUID();
    private UUID systemUserId = UUID.randomUUID();
    private String firstName;
    private String lastName;
    private int accessMode = EmulatorIdentities.ACCESS_MODE_READ_WRITE;
    private boolean disabled;
    private boolean mfaRequired;
    private boolean accountEnabled = true;
    private UUID businessUnitId = UUID.fromString(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID);
    private final Set<UUID> roleIds = new LinkedHashSet<>();

    public EmulatorUser(String userPrincipalName) {
        this.userPrincipalName = userPrincipalName;
        String local = userPrincipalName.contains("@")
                ? userPrincipalName.substring(0, userPrincipalName.indexOf('@')) : userPrincipalName;
        this.firstName = local.isEmpty() ? local : Character.toUpperCase(local.charAt(0)) + local.substring(1);
        this.lastName = "(emulator)";
    }

    public static EmulatorUser named(String userPrincipalName) {
        return new EmulatorUser(userPrincipalName);
    }

    public EmulatorUser password(String password) {
        this.password = password;
        return this;
    }

    /** Entra ID object id (the {@code oid} claim; systemuser.azureactivedirectoryobjectid). */
    public EmulatorUser objectId(UUID objectId) {
        this.objectId = objectId;
        return this;
    }

    public EmulatorUser systemUserId(UUID systemUserId) {
        this.systemUserId = systemUserId;
        return this;
    }

    public EmulatorUser name(String firstName, String lastName) {
        this.firstName = firstName;
        this.lastName = lastName;
        return this;
    }

    /** systemuser.accessmode: 0 Read-Write, 1 Administrative, 2 Read, 3 Support User, 4 Non-interactive. */
    public EmulatorUser accessMode(int accessMode) {
        this.accessMode = accessMode;
        return this;
    }

    /** Disabled in Dataverse (systemuser.isdisabled): Entra ID signs in, the Web API refuses. */
    public EmulatorUser disabled(boolean disabled) {
        this.disabled = disabled;
        return this;
    }

    /** The password grant answers AADSTS50076 (multi-factor authentication required). */
    public EmulatorUser mfaRequired(boolean mfaRequired) {
        this.mfaRequired = mfaRequired;
        return this;
    }

    /** Disabled in Entra ID: sign-in answers AADSTS50057. */
    public EmulatorUser accountEnabled(boolean accountEnabled) {
        this.accountEnabled = accountEnabled;
        return this;
    }

    public EmulatorUser businessUnit(UUID businessUnitId) {
        this.businessUnitId = businessUnitId;
        return this;
    }

    public EmulatorUser role(UUID roleId) {
        roleIds.add(roleId);
        return this;
    }

    public String userPrincipalName() {
        return userPrincipalName;
    }

    String key() {
        return userPrincipalName.toLowerCase(Locale.ROOT);
    }

    public String password() {
        return password;
    }

    public UUID objectId() {
        return objectId;
    }

    public UUID systemUserId() {
        return systemUserId;
    }

    public String firstName() {
        return firstName;
    }

    public String lastName() {
        return lastName;
    }

    public String fullName() {
        return (firstName == null ? "" : firstName + " ") + (lastName == null ? "" : lastName);
    }

    public int accessMode() {
        return accessMode;
    }

    public boolean disabled() {
        return disabled;
    }

    public boolean mfaRequired() {
        return mfaRequired;
    }

    public boolean accountEnabled() {
        return accountEnabled;
    }

    public UUID businessUnitId() {
        return businessUnitId;
    }

    public Set<UUID> roleIds() {
        return Collections.unmodifiableSet(roleIds);
    }
}
