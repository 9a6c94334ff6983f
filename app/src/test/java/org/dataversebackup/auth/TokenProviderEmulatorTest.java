package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.dataversebackup.auth.EmulatorSupport.Mode;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every mode against the emulator's HTTPS token endpoint (tokens live 5 seconds): the first call
 * fetches, later calls use the token, expiry renews it, a 401 renews it once for concurrent callers,
 * concurrent first callers cause one request, and no secret or token reaches the log.
 */
class TokenProviderEmulatorTest {
    private static EmulatorSupport support;
    private static DataverseEmulator emulator;
    private static CapturedLogs logs;
    private static final Set<String> issued = ConcurrentHashMap.newKeySet();
    private static ExecutorService pool;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        logs = new CapturedLogs();
        emulator = DataverseEmulator.builder().port(0).tokenLifetime(Duration.ofSeconds(5))
                .deviceCodeInterval(Duration.ofSeconds(1)).start();
        support = new EmulatorSupport(emulator);
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stopAndCheckTheLog() {
        pool.shutdownNow();
        support.close();
        logs.close();
        String formatted = logs.formatted();
        assertThat(formatted).as("the log says something").contains("Signed in to");
        assertNoSecrets(formatted);
        assertNoSecrets(logs.raw("org.dataversebackup"));
    }

    static void assertNoSecrets(String log) {
        assertThat(issued).isNotEmpty();
        for (String token : issued) {
            assertThat(log).doesNotContain(token);
        }
        // (the certificate password is the word "emulator", part of host and user names: not checked here)
        assertThat(log).doesNotContain(EmulatorIdentities.APP_CLIENT_SECRET, EmulatorIdentities.USER_PASSWORD,
                "0.EMU.", "eyJ");
    }

    private DataverseTokenProvider provider(Mode mode, List<String> prompts) {
        AuthSettings settings = support.settings(mode, folder.resolve("token-cache.json"));
        return DataverseTokenProvider.builder(settings).deviceCodePrompt(support.approvingPrompt(prompts)).build();
    }

    private static String track(String token) {
        issued.add(token);
        return token;
    }

    private static void assertWhoAmI(String token, Mode mode) throws Exception {
        var response = support.whoAmI(token);
        assertThat(response.statusCode()).as("WhoAmI with the %s token", mode).isEqualTo(200);
        assertThat(response.body()).contains("\"UserId\":\"" + EmulatorSupport.expectedUserId(mode) + "\"");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theFirstCallFetchesAndLaterCallsUseTheToken(Mode mode) throws Exception {
        List<String> prompts = new CopyOnWriteArrayList<>();
        DataverseTokenProvider provider = provider(mode, prompts);
        long before = emulator.tokenRequests();
        String first = track(provider.current());
        assertThat(provider.current()).isEqualTo(first);
        assertThat(provider.current()).isEqualTo(first);
        assertThat(emulator.tokenRequests() - before).isEqualTo(1);
        assertWhoAmI(first, mode);
        assertThat(prompts).hasSize(mode == Mode.DEVICE_CODE ? 1 : 0);
        if (mode == Mode.DEVICE_CODE) {
            assertThat(prompts.get(0)).startsWith(emulator.environmentUrl() + "/devicelogin ");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void expiryTriggersARefresh(Mode mode) throws Exception {
        List<String> prompts = new CopyOnWriteArrayList<>();
        DataverseTokenProvider provider = provider(mode, prompts);
        long before = emulator.tokenRequests();
        String first = track(provider.current());
        Instant issuedAt = Instant.now();
        // 5 s tokens are renewed after four fifths of their lifetime
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), issuedAt.plusMillis(4300)).toMillis()));
        String second = track(provider.current());
        assertThat(second).isNotEqualTo(first);
        assertThat(emulator.tokenRequests() - before).isEqualTo(2);
        assertThat(provider.current()).isEqualTo(second);
        assertWhoAmI(second, mode);
        // user modes renew with the refresh token: no second device code sign-in
        assertThat(prompts).hasSize(mode == Mode.DEVICE_CODE ? 1 : 0);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a401RenewsTheTokenOnceForConcurrentCallers(Mode mode) throws Exception {
        List<String> prompts = new CopyOnWriteArrayList<>();
        DataverseTokenProvider provider = provider(mode, prompts);
        String rejected = track(provider.current());
        emulator.revokeIssuedTokens();
        assertThat(support.whoAmI(rejected).statusCode()).isEqualTo(401);
        long before = emulator.tokenRequests();
        List<String> renewed = Concurrently.run(pool, 8, () -> provider.renewAfterRejection(rejected));
        renewed.forEach(TokenProviderEmulatorTest::track);
        assertThat(renewed).containsOnly(renewed.get(0)).doesNotContain(rejected);
        assertThat(emulator.tokenRequests() - before).as("one token request for eight rejections").isEqualTo(1);
        assertThat(provider.current()).isEqualTo(renewed.get(0));
        assertWhoAmI(renewed.get(0), mode);
        assertThat(prompts).hasSize(mode == Mode.DEVICE_CODE ? 1 : 0);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void eightConcurrentCallersCauseOneTokenRequest(Mode mode) throws Exception {
        DataverseTokenProvider provider = provider(mode, new CopyOnWriteArrayList<>());
        long before = emulator.tokenRequests();
        List<String> tokens = Concurrently.run(pool, 8, provider::current);
        tokens.forEach(TokenProviderEmulatorTest::track);
        assertThat(tokens).hasSize(8).containsOnly(tokens.get(0));
        assertThat(emulator.tokenRequests() - before).isEqualTo(1);
        if (mode == Mode.DEVICE_CODE) {
            Path cache = folder.resolve("token-cache.json");
            assertThat(cache).exists();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                    .isEqualTo("rw-------");
        }
    }
}
