package org.dataversebackup.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.dataversebackup.dataverse.JvmTrustStore;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.testsupport.EmulatorTrust;

/**
 * The emulator's settings per mode, the JVM trust store pointing at its certificate, and a
 * WhoAmI call: what the emulator tests of this package share.
 */
final class EmulatorSupport {
    private final EmulatorTrust trust;

    final DataverseEmulator emulator;

    EmulatorSupport(DataverseEmulator emulator) {
        this.emulator = emulator;
        this.trust = EmulatorTrust.of(emulator);
    }

    /** Stops the emulator and restores the trust store properties. */
    void close() {
        emulator.close();
        trust.close();
    }

    /** The ways of signing in the tests cover. */
    enum Mode {
        CLIENT_SECRET, CERTIFICATE_PKCS12, CERTIFICATE_PEM, PASSWORD, DEVICE_CODE;

        boolean user() {
            return this == PASSWORD || this == DEVICE_CODE;
        }
    }

    AuthSettings.Builder base(AuthMode mode) {
        return AuthSettings.builder().mode(mode).dataverseUrl(emulator.environmentUrl())
                .authority(emulator.authority()).clientId(EmulatorIdentities.APP_CLIENT_ID);
    }

    AuthSettings settings(Mode mode, Path tokenCache) {
        return switch (mode) {
            case CLIENT_SECRET -> base(AuthMode.CLIENT_SECRET).clientSecret(EmulatorIdentities.APP_CLIENT_SECRET).build();
            case CERTIFICATE_PKCS12 -> base(AuthMode.CERTIFICATE).certificatePath(emulator.appCertificatePkcs12())
                    .certificatePassword(EmulatorIdentities.APP_CERTIFICATE_PASSWORD).build();
            case CERTIFICATE_PEM -> base(AuthMode.CERTIFICATE).certificatePath(emulator.appCertificatePem())
                    .certificateKeyPath(emulator.appPrivateKeyPem()).build();
            case PASSWORD -> base(AuthMode.PASSWORD).username(EmulatorIdentities.ADMIN_USER)
                    .password(EmulatorIdentities.USER_PASSWORD).build();
            case DEVICE_CODE -> base(AuthMode.DEVICE_CODE).tokenCache(tokenCache).build();
        };
    }

    /** The systemuserid WhoAmI answers for the mode's account. */
    static String expectedUserId(Mode mode) {
        return mode.user() ? EmulatorIdentities.ADMIN_USER_ID : EmulatorIdentities.APP_USER_ID;
    }

    /** A device code prompt that signs the admin user in at the emulator, as a person at a browser would. */
    DeviceCodePrompt approvingPrompt(java.util.List<String> shown) {
        return (url, code, expiresIn) -> {
            shown.add(url + " " + code);
            emulator.approveDeviceCode(code, EmulatorIdentities.ADMIN_USER);
        };
    }

    /** GET WhoAmI with the token: the status and body. */
    HttpResponse<String> whoAmI(String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(JvmTrustStore.sslContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.environmentUrl() + "/api/data/v9.2/WhoAmI"))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
