package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The gate on its own, with a clock that moves only when a caller sleeps (or the test says so):
 * pauses shared by every caller, concurrency halved and grown back, and the limit of
 * {@code retry.max-throttle-wait}.
 */
class ServiceProtectionGateTest {
    private static final Duration MAX_THROTTLE_WAIT = Duration.ofMinutes(30);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    /** Sleeping moves the clock on by what was asked. */
    private final DataverseClient.Sleeper advancingSleeper = delay -> {
        sleeps.add(delay);
        now.addAndGet(delay.toNanos());
    };
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger gateLogger = (Logger) LoggerFactory.getLogger(ServiceProtectionGate.class);
    private ExecutorService threads;

    @BeforeEach
    void captureLogs() {
        logs.start();
        gateLogger.addAppender(logs);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        gateLogger.detachAppender(logs);
        threads.shutdownNow();
    }

    private ServiceProtectionGate gate(int concurrency, DataverseClient.Sleeper sleeper) {
        return new ServiceProtectionGate("https://contoso.crm.dynamics.com as application 1", concurrency, now::get, sleeper);
    }

    private static ServiceProtectionGate.Request request(ServiceProtectionGate gate) {
        return gate.request("GET https://contoso.crm.dynamics.com/api/data/v9.2/accounts", MAX_THROTTLE_WAIT);
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void oneThrottledRequestPausesEveryCallerUntilRetryAfterHasPassed() throws Exception {
        int callers = 3;
        CountDownLatch allAsleep = new CountDownLatch(callers);
        CountDownLatch wakeUp = new CountDownLatch(1);
        // the callers sleep until the test has moved the clock past the pause
        ServiceProtectionGate gate = gate(8, delay -> {
            sleeps.add(delay);
            allAsleep.countDown();
            wakeUp.await();
        });
        try (ServiceProtectionGate.Permit first = request(gate).enter()) {
            first.throttled(Duration.ofSeconds(5), "0x80072322");
        }

        List<Future<?>> entered = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            entered.add(threads.submit(() -> {
                request(gate).enter().close();
                return null;
            }));
        }
        allAsleep.await();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        wakeUp.countDown();
        for (Future<?> caller : entered) {
            caller.get();
        }
        assertThat(sleeps).hasSize(callers);
        assertThat(warnings()).singleElement().asString()
                .contains("https://contoso.crm.dynamics.com as application 1", "number of requests", "0x80072322", "5 s",
                        "at most 1 at a time (1 under way)");
    }

    @Test
    void answersToRequestsSentBeforeThePauseExtendItButDoNotHalveAgainOrLogAgain() throws Exception {
        ServiceProtectionGate gate = gate(8, advancingSleeper);
        List<ServiceProtectionGate.Permit> underWay = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            underWay.add(request(gate).enter());
        }
        underWay.get(0).throttled(Duration.ofSeconds(5), "0x80072322");
        assertThat(gate.concurrency()).as("half of the 4 under way").isEqualTo(2);
        underWay.get(1).throttled(Duration.ofSeconds(7), "0x80072322"); // the latest pause wins
        underWay.get(2).throttled(Duration.ofSeconds(3), "0x80072322"); // never shortens it
        underWay.forEach(ServiceProtectionGate.Permit::close);
        assertThat(gate.concurrency()).isEqualTo(2);
        assertThat(warnings()).hasSize(1);

        request(gate).enter().close();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void concurrencyHalvesOnEachNewPauseAndGrowsBackAfterRunsOfAnswers() throws Exception {
        ServiceProtectionGate gate = gate(8, advancingSleeper);
        List<ServiceProtectionGate.Permit> underWay = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            underWay.add(request(gate).enter());
        }
        underWay.get(0).throttled(Duration.ofSeconds(1), "0x80072326");
        underWay.forEach(ServiceProtectionGate.Permit::close);
        assertThat(gate.concurrency()).isEqualTo(4);

        // after the pause: a new 429 is a new pause and halves again
        ServiceProtectionGate.Permit again = request(gate).enter();
        again.throttled(Duration.ofSeconds(1), "0x80072326");
        again.close();
        assertThat(gate.concurrency()).as("half of what was under way (1), at least 1").isEqualTo(1);
        assertThat(warnings()).hasSize(2);

        // one more after each round of answers without a 429: 1 answer, then 2, 3, ...
        for (int expected = 2; expected <= 8; expected++) {
            for (int i = 1; i < expected - 1; i++) {
                try (ServiceProtectionGate.Permit permit = request(gate).enter()) {
                    permit.answered();
                }
            }
            assertThat(gate.concurrency()).isEqualTo(expected - 1);
            try (ServiceProtectionGate.Permit permit = request(gate).enter()) {
                permit.answered();
            }
            assertThat(gate.concurrency()).isEqualTo(expected);
        }
        for (int i = 0; i < 100; i++) {
            try (ServiceProtectionGate.Permit permit = request(gate).enter()) {
                permit.answered();
            }
        }
        assertThat(gate.concurrency()).as("never above where it started").isEqualTo(8);
    }

    @Test
    void aCallerBeyondTheConcurrencyWaitsForAPermit() throws Exception {
        ServiceProtectionGate gate = gate(1, advancingSleeper);
        ServiceProtectionGate.Permit only = request(gate).enter();
        CompletableFuture<Void> entered = new CompletableFuture<>();
        Thread second = new Thread(() -> {
            try {
                request(gate).enter().close();
                entered.complete(null);
            } catch (InterruptedException | RuntimeException e) {
                entered.completeExceptionally(e);
            }
        });
        second.start();
        while (second.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertThat(entered).isNotDone();
        only.close();
        entered.get();
    }

    @Test
    void aRequestFailsOnlyWhenThrottlingWouldHoldItBackLongerThanMaxThrottleWait() throws Exception {
        ServiceProtectionGate gate = gate(8, advancingSleeper);
        ServiceProtectionGate.Request request = request(gate);
        for (int answer = 1; answer <= 6; answer++) {
            try (ServiceProtectionGate.Permit permit = request.enter()) {
                permit.throttled(Duration.ofMinutes(5), "0x80072322"); // 5, 10, ..., 30 minutes: not beyond
            }
        }
        try (ServiceProtectionGate.Permit permit = request.enter()) {
            assertThat(sleeps).hasSize(6).allMatch(Duration.ofMinutes(5)::equals);
            assertThatThrownBy(() -> permit.throttled(Duration.ofMinutes(5), "0x80072322"))
                    .isInstanceOf(DataverseException.class)
                    .hasMessageContaining("GET https://contoso.crm.dynamics.com/api/data/v9.2/accounts")
                    .hasMessageContaining("number of requests")
                    .hasMessageContaining("held this request back for 30 min")
                    .hasMessageContaining("retry.max-throttle-wait (30 min)")
                    .satisfies(e -> assertThat(((DataverseException) e).status()).isEqualTo(429))
                    .satisfies(e -> assertThat(((DataverseException) e).code()).isEqualTo("0x80072322"));
        }
    }

    @Test
    void aRetryAfterLongerThanMaxThrottleWaitFailsAtOnceAndSoDoOthersFacingThatPause() throws Exception {
        ServiceProtectionGate gate = gate(8, advancingSleeper);
        try (ServiceProtectionGate.Permit permit = request(gate).enter()) {
            assertThatThrownBy(() -> permit.throttled(Duration.ofHours(2), "0x80072321"))
                    .isInstanceOf(DataverseException.class)
                    .hasMessageContaining("combined execution time")
                    .hasMessageContaining("asks to wait 2 h (Retry-After), longer than retry.max-throttle-wait (30 min)");
        }
        // another request would have to wait out the same pause: it fails too, without waiting
        assertThatThrownBy(() -> request(gate).enter()).isInstanceOf(DataverseException.class)
                .hasMessageContaining("combined execution time");
        assertThat(sleeps).isEmpty();
        // a request with a longer limit waits
        gate.request("GET accounts", Duration.ofHours(3)).enter().close();
        assertThat(sleeps).containsExactly(Duration.ofHours(2));
    }

    @Test
    void oneGatePerEnvironmentAndUserInTheJvm() {
        ServiceProtectionGate gate = ServiceProtectionGate.of(URI.create("https://Gate-Test.crm.dynamics.com/"), "application 1");
        assertThat(ServiceProtectionGate.of(URI.create("https://gate-test.crm.dynamics.com"), "application 1")).isSameAs(gate);
        assertThat(ServiceProtectionGate.of(URI.create("https://gate-test.crm.dynamics.com"), "application 2")).isNotSameAs(gate);
        assertThat(ServiceProtectionGate.of(URI.create("https://gate-test2.crm.dynamics.com"), "application 1")).isNotSameAs(gate);
    }

    @Test
    void durationsAreWrittenForPeople() {
        assertThat(ServiceProtectionGate.readable(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(ServiceProtectionGate.readable(Duration.ofSeconds(12))).isEqualTo("12 s");
        assertThat(ServiceProtectionGate.readable(Duration.ofSeconds(250))).isEqualTo("4 min 10 s");
        assertThat(ServiceProtectionGate.readable(Duration.ofMinutes(30))).isEqualTo("30 min");
        assertThat(ServiceProtectionGate.readable(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    }

    @Test
    void namesTheLimitThatBoundTheRunByItsPausesAndHowFarTheConcurrencyCameDown() throws Exception {
        ServiceProtectionGate gate = gate(8, advancingSleeper);
        assertThat(gate.limitedBy()).isEmpty();

        // eight under way, one answered 429 for concurrency: 8 -> 4
        List<ServiceProtectionGate.Permit> underWay = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            underWay.add(request(gate).enter());
        }
        underWay.get(0).throttled(Duration.ofSeconds(1), "0x80072326");
        underWay.forEach(ServiceProtectionGate.Permit::close);
        assertThat(gate.limitedBy()).contains("limited by https://contoso.crm.dynamics.com as application 1's"
                + " number of concurrent requests (1 pause, down to 4 at once)");

        // two later pauses for execution time (each sent after the pause before it): 4 -> 2 -> 1
        for (int pause = 0; pause < 2; pause++) {
            List<ServiceProtectionGate.Permit> round = new ArrayList<>();
            for (int i = 0; i < gate.concurrency(); i++) {
                round.add(request(gate).enter());
            }
            round.get(0).throttled(Duration.ofSeconds(2), "0x80072321");
            round.forEach(ServiceProtectionGate.Permit::close);
        }
        assertThat(gate.concurrency()).isEqualTo(1);
        assertThat(gate.limitedBy()).contains("limited by https://contoso.crm.dynamics.com as application 1's"
                + " combined execution time (3 pauses, down to 1 at once)");

        // growing back again does not change what bounded the run
        for (int i = 0; i < 10; i++) {
            try (ServiceProtectionGate.Permit permit = request(gate).enter()) {
                permit.answered();
            }
        }
        assertThat(gate.concurrency()).isGreaterThan(1);
        assertThat(gate.limitedBy()).get().asString().contains("combined execution time (3 pauses, down to 1 at once)");
    }

    @Test
    void aRunSeesOnlyThePausesSinceItsStart() throws Exception {
        ServiceProtectionGate gate = gate(8, advancingSleeper);
        try (ServiceProtectionGate.Permit permit = request(gate).enter()) {
            permit.throttled(Duration.ofSeconds(1), "0x80072326");
        }
        java.util.Map<String, Integer> runStart = gate.pausesByLimit();
        assertThat(gate.limitedBySince(runStart)).isEmpty();

        for (int pause = 0; pause < 2; pause++) {
            try (ServiceProtectionGate.Permit permit = request(gate).enter()) {
                permit.throttled(Duration.ofSeconds(1), "0x80072322");
            }
        }
        assertThat(gate.limitedBySince(runStart)).contains("limited by https://contoso.crm.dynamics.com as application 1's"
                + " number of requests (2 pauses)");
        assertThat(gate.limitedBySince(java.util.Map.of())).contains("limited by https://contoso.crm.dynamics.com as application 1's"
                + " number of requests (3 pauses)");
    }
}
