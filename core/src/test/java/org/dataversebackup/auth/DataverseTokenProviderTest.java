package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.dataversebackup.auth.AuthenticationException.Problem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider's caching, renewal and concurrency rules, with a fake token source and a settable clock. */
class DataverseTokenProviderTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));
    private final FakeSource source = new FakeSource();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private DataverseTokenProvider provider() {
        AuthSettings settings = AuthSettings.builder().dataverseUrl("https://contoso.crm.dynamics.com")
                .authority("https://login.microsoftonline.com/tenant").clientId("client").clientSecret("secret-value")
                .build();
        return DataverseTokenProvider.builder(settings).clock(clock).tokenSource(source).build();
    }

    @Test
    void firstCallFetchesLaterCallsUseTheToken() {
        DataverseTokenProvider provider = provider();
        String first = provider.current();
        clock.advance(Duration.ofMinutes(30));
        assertThat(provider.current()).isEqualTo(first);
        assertThat(source.requests.get()).isEqualTo(1);
    }

    @Test
    void renewsFiveMinutesBeforeExpiry() {
        DataverseTokenProvider provider = provider();
        String first = provider.current();
        clock.advance(Duration.ofMinutes(54));
        assertThat(provider.current()).isEqualTo(first);
        clock.advance(Duration.ofMinutes(2));
        String second = provider.current();
        assertThat(second).isNotEqualTo(first);
        assertThat(source.requests.get()).isEqualTo(2);
        assertThat(source.forced.get()).isZero();
    }

    @Test
    void shortLivedTokensAreRenewedAfterFourFifthsOfTheirLifetime() {
        source.lifetime = Duration.ofSeconds(5);
        DataverseTokenProvider provider = provider();
        String first = provider.current();
        clock.advance(Duration.ofMillis(3900));
        assertThat(provider.current()).isEqualTo(first);
        clock.advance(Duration.ofMillis(200));
        assertThat(provider.current()).isNotEqualTo(first);
    }

    @Test
    void anExpiredTokenIsNeverHandedOut() {
        DataverseTokenProvider provider = provider();
        String first = provider.current();
        clock.advance(Duration.ofHours(2));
        source.failWith = new AuthenticationException(Problem.AUTHORITY_UNREACHABLE, null, "unreachable", null);
        assertThatThrownBy(provider::current).isSameAs(source.failWith);
        source.failWith = null;
        assertThat(provider.current()).isNotEqualTo(first);
    }

    @Test
    void aFailedRenewalKeepsTheStillValidTokenAndRetriesLater() {
        DataverseTokenProvider provider = provider();
        String first = provider.current();
        clock.advance(Duration.ofMinutes(56));
        source.failWith = new AuthenticationException(Problem.AUTHORITY_UNREACHABLE, null, "unreachable", null);
        assertThat(provider.current()).isEqualTo(first);
        assertThat(provider.current()).isEqualTo(first);
        assertThat(source.requests.get()).as("no second attempt within the back-off").isEqualTo(2);
        source.failWith = null;
        clock.advance(Duration.ofSeconds(6));
        assertThat(provider.current()).isNotEqualTo(first);
    }

    @Test
    void eightConcurrentFirstCallersCauseOneRequest() throws Exception {
        source.delay = Duration.ofMillis(300);
        DataverseTokenProvider provider = provider();
        List<String> tokens = Concurrently.run(pool, 8, provider::current);
        assertThat(tokens).hasSize(8).containsOnly(tokens.get(0));
        assertThat(source.requests.get()).isEqualTo(1);
    }

    @Test
    void concurrentRejectionsOfTheSameTokenRenewItOnce() throws Exception {
        DataverseTokenProvider provider = provider();
        String rejected = provider.current();
        source.delay = Duration.ofMillis(300);
        List<String> renewed = Concurrently.run(pool, 8, () -> provider.renewAfterRejection(rejected));
        assertThat(renewed).containsOnly(renewed.get(0)).doesNotContain(rejected);
        assertThat(source.requests.get()).isEqualTo(2);
        assertThat(source.forced.get()).isEqualTo(1);
        assertThat(provider.current()).isEqualTo(renewed.get(0));
    }

    @Test
    void aLateRejectionOfAnOldTokenGetsTheNewOneWithoutARequest() {
        DataverseTokenProvider provider = provider();
        String old = provider.current();
        String renewed = provider.renewAfterRejection(old);
        assertThat(provider.renewAfterRejection(old)).isEqualTo(renewed);
        assertThat(source.forced.get()).isEqualTo(1);
        assertThat(provider.renewAfterRejection(renewed)).isNotEqualTo(renewed);
        assertThat(source.forced.get()).isEqualTo(2);
    }

    @Test
    void whileOneCallerRenewsTheOthersKeepTheValidToken() throws Exception {
        DataverseTokenProvider provider = provider();
        String first = provider.current();
        clock.advance(Duration.ofMinutes(56));
        CountDownLatch renewing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        source.onAcquire = () -> {
            renewing.countDown();
            await(release);
        };
        Future<String> renewer = pool.submit(provider::current);
        assertThat(renewing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(provider.current()).as("not blocked by the renewal").isEqualTo(first);
        release.countDown();
        assertThat(renewer.get(5, TimeUnit.SECONDS)).isNotEqualTo(first);
        assertThat(provider.current()).isEqualTo(renewer.get());
    }

    @Test
    void toStringShowsNoToken() {
        DataverseTokenProvider provider = provider();
        String token = provider.current();
        assertThat(provider.toString()).doesNotContain(token);
        assertThat(new IssuedToken(token, Instant.now(), "x").toString()).doesNotContain(token);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class FakeSource implements TokenSource {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger forced = new AtomicInteger();
        volatile Duration lifetime = Duration.ofHours(1);
        volatile Duration delay = Duration.ZERO;
        volatile AuthenticationException failWith;
        volatile Runnable onAcquire;

        @Override
        public IssuedToken acquire(boolean force) {
            int n = requests.incrementAndGet();
            if (force) {
                forced.incrementAndGet();
            }
            Runnable hook = onAcquire;
            if (hook != null) {
                onAcquire = null;
                hook.run();
            }
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failWith != null) {
                throw failWith;
            }
            return new IssuedToken("token-" + n, clock.instant().plus(lifetime), "application client");
        }
    }

    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
