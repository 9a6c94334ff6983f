package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.auth.AuthenticationException.Problem;
import org.dataversebackup.cli.DataverseBackupCommand;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device code flow end to end: sign in once (the provider or {@code dataverse-backup login}),
 * the sign-in saved in an owner-only token cache file, and later runs (new provider instances, as a
 * new process would build them) signing in silently from that file.
 */
class DeviceCodeLoginEmulatorTest {
    private static EmulatorSupport support;
    private static DataverseEmulator emulator;

    @TempDir
    Path folder;
    private Path cache;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.builder().port(0).deviceCodeInterval(Duration.ofSeconds(1)).start();
        support = new EmulatorSupport(emulator);
    }

    @AfterAll
    static void stop() {
        support.close();
    }

    @BeforeEach
    void cacheFile() {
        cache = folder.resolve("home/.dataverse-backup/token-cache.json");
    }

    @AfterEach
    void defaults() {
        emulator.tokenLifetime(Duration.ofHours(1));
        emulator.autoApproveDeviceCodes(null);
    }

    private AuthSettings settings() {
        return support.base(AuthMode.DEVICE_CODE).tokenCache(cache).build();
    }

    /** A later run: must not show a device code. */
    private DataverseTokenProvider laterRun() {
        return DataverseTokenProvider.builder(settings()).interactive(false)
                .deviceCodePrompt((url, code, ttl) -> {
                    throw new AssertionError("a later run must not ask for a device code sign-in");
                }).build();
    }

    private String signInOnce(List<String> shown) {
        DataverseTokenProvider first = DataverseTokenProvider.builder(settings())
                .deviceCodePrompt(support.approvingPrompt(shown)).build();
        return first.current();
    }

    @Test
    void aSecondRunUsesTheSavedTokenWithoutAnyRequest() throws Exception {
        List<String> shown = new CopyOnWriteArrayList<>();
        String first = signInOnce(shown);
        assertThat(shown).hasSize(1);
        assertThat(cache).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.getParent()))).isEqualTo("rwx------");

        long before = emulator.tokenRequests();
        String second = laterRun().current();
        assertThat(second).isEqualTo(first);
        assertThat(emulator.tokenRequests()).isEqualTo(before);
        assertThat(support.whoAmI(second).statusCode()).isEqualTo(200);
    }

    @Test
    void aSecondRunAfterTheTokenExpiredRefreshesSilently() throws Exception {
        emulator.tokenLifetime(Duration.ofSeconds(5));
        List<String> shown = new CopyOnWriteArrayList<>();
        String first = signInOnce(shown);
        long before = emulator.tokenRequests();
        DataverseTokenProvider later = laterRun();
        String second = later.current();
        assertThat(second).isNotEqualTo(first);
        assertThat(emulator.tokenRequests() - before).as("one refresh-token request").isEqualTo(1);
        assertThat(support.whoAmI(second).body()).contains(EmulatorIdentities.ADMIN_USER_ID);
        // and the later run renews by itself as its tokens expire
        Thread.sleep(4300);
        String third = later.current();
        assertThat(third).isNotEqualTo(second);
        assertThat(support.whoAmI(third).statusCode()).isEqualTo(200);
        assertThat(shown).hasSize(1);
    }

    @Test
    void aRefreshThatANewSignInCannotFixIsReportedWithoutAskingForOne() {
        emulator.tokenLifetime(Duration.ofSeconds(5));
        signInOnce(new CopyOnWriteArrayList<>());
        var admin = emulator.state().user(EmulatorIdentities.ADMIN_USER).orElseThrow();
        admin.accountEnabled(false);
        try {
            DataverseTokenProvider later = DataverseTokenProvider.builder(settings())
                    .deviceCodePrompt((url, code, ttl) -> {
                        throw new AssertionError("a disabled account must not be asked to sign in again");
                    }).build();
            AuthenticationException e = catchThrowableOfType(AuthenticationException.class, later::current);
            assertThat(e.errorCode()).isEqualTo("AADSTS50057");
            assertThat(e.getMessage()).contains("disabled in Entra ID");
        } finally {
            admin.accountEnabled(true);
        }
    }

    @Test
    void withoutASavedSignInANonInteractiveRunSaysToLogIn() {
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class, laterRun()::current);
        assertThat(e.problem()).isEqualTo(Problem.SIGN_IN_REQUIRED);
        assertThat(e.getMessage()).contains("dataverse-backup login", cache.toString());
    }

    @Test
    void theLoginCommandSignsInOnceAndLaterRunsAreSilent() throws Exception {
        Path config = Files.createDirectories(folder.resolve("config"));
        Files.writeString(config.resolve("application.properties"), String.join("\n",
                "dataverse.url = " + emulator.environmentUrl(),
                "auth.mode = device-code",
                "auth.tenant-id = " + EmulatorIdentities.TENANT_ID,
                "auth.authority = " + emulator.authority(),
                "auth.client-id = " + EmulatorIdentities.APP_CLIENT_ID,
                "auth.token-cache = " + cache,
                ""));
        emulator.autoApproveDeviceCodes(EmulatorIdentities.ADMIN_USER);

        Output first = run("login", "--config", config.toString());
        assertThat(first.exitCode).as(first.err).isEqualTo(ExitCodes.SUCCESS);
        assertThat(first.err).contains(emulator.environmentUrl() + "/devicelogin", "enter the code");
        assertThat(first.out).contains("as " + EmulatorIdentities.ADMIN_USER, "device-code mode", cache.toString());
        assertThat(cache).exists();

        Output again = run("login", "--config", config.toString());
        assertThat(again.exitCode).isEqualTo(ExitCodes.SUCCESS);
        assertThat(again.err).as("already signed in: no device code").doesNotContain("devicelogin");

        Output forced = run("login", "--force", "--config", config.toString());
        assertThat(forced.exitCode).isEqualTo(ExitCodes.SUCCESS);
        assertThat(forced.err).contains("devicelogin");

        emulator.autoApproveDeviceCodes(null);
        assertThat(support.whoAmI(laterRun().current()).statusCode()).isEqualTo(200);
    }

    @Test
    void theLoginCommandMapsAuthenticationFailuresToExitCodes() throws Exception {
        Path config = Files.createDirectories(folder.resolve("config"));
        Files.writeString(config.resolve("application.properties"), String.join("\n",
                "dataverse.url = " + emulator.environmentUrl(),
                "auth.mode = client-secret",
                "auth.authority = " + emulator.authority(),
                "auth.client-id = " + EmulatorIdentities.UNCONSENTED_CLIENT_ID,
                "auth.client-secret = " + EmulatorIdentities.UNCONSENTED_CLIENT_SECRET,
                ""));
        Output consent = run("login", "--config", config.toString());
        assertThat(consent.exitCode).isEqualTo(ExitCodes.PREFLIGHT_FAILED);
        assertThat(consent.err).contains("AADSTS65001", "/adminconsent?client_id=");

        Files.writeString(config.resolve("application.properties"), "auth.mode = client-secret\n");
        Output missing = run("login", "--config", config.toString());
        assertThat(missing.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err).contains("'dataverse.url'");
    }

    private record Output(int exitCode, String out, String err) {
    }

    private static Output run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = DataverseBackupCommand.execute(args);
            return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
