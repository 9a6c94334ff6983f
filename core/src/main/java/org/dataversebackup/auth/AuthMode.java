package org.dataversebackup.auth;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.dataversebackup.config.ConfigurationException;

/** How the connection account signs in ({@code auth.mode}). */
public enum AuthMode {
    /** Application user, client credentials with a client secret (confidential client). */
    CLIENT_SECRET("client-secret", true),
    /** Application user, client credentials with a certificate: PKCS#12, or PEM key and certificate. */
    CERTIFICATE("certificate", true),
    /** A user account, signed in once through the device code flow; the token cache keeps it signed in. */
    DEVICE_CODE("device-code", false),
    /** A user account with user name and password (ROPC, deprecated by Microsoft; no MFA). */
    PASSWORD("password", false);

    private final String configValue;
    private final boolean confidential;

    AuthMode(String configValue, boolean confidential) {
        this.configValue = configValue;
        this.confidential = confidential;
    }

    /** The value of {@code auth.mode}. */
    public String configValue() {
        return configValue;
    }

    /** True for the application (client credentials) modes, false for the user (delegated) modes. */
    public boolean confidential() {
        return confidential;
    }

    public static AuthMode fromConfig(String value) {
        String clean = value == null ? "" : value.trim().toLowerCase();
        return Arrays.stream(values()).filter(m -> m.configValue.equals(clean)).findFirst()
                .orElseThrow(() -> new ConfigurationException("Setting '" + AuthSettings.MODE + "' must be one of "
                        + Arrays.stream(values()).map(AuthMode::configValue).collect(Collectors.joining(", "))
                        + ", not '" + value + "'."));
    }

    @Override
    public String toString() {
        return configValue;
    }
}
