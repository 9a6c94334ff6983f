package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Which account a request goes to, and taking one out. */
class ConnectionsTest {
    private final AtomicLong now = new AtomicLong();

    private Connection connection(String name) {
        return new Connection(name, null, new ServiceProtectionGate(name, 4, now::get, delay -> now.addAndGet(delay.toNanos())));
    }

    @Test
    void requestsGoInTurnToIdleAccountsAndAroundAPausedOne() throws Exception {
        Connection a = connection("a");
        Connection b = connection("b");
        Connections connections = new Connections(List.of(a, b));
        assertThat(List.of(connections.pick(), connections.pick(), connections.pick(), connections.pick()))
                .containsExactly(a, b, a, b);

        // a busy account is given less: b holds two of its four permits
        ServiceProtectionGate.Permit one = b.gate().request("GET x", Duration.ofMinutes(1)).enter();
        ServiceProtectionGate.Permit two = b.gate().request("GET y", Duration.ofMinutes(1)).enter();
        assertThat(List.of(connections.pick(), connections.pick())).containsOnly(a);
        one.answered();
        one.close();
        two.answered();
        two.close();

        // a throttled account is avoided while its pause lasts
        ServiceProtectionGate.Permit throttled = a.gate().request("GET z", Duration.ofMinutes(1)).enter();
        throttled.throttled(Duration.ofSeconds(30), "0x80072322");
        throttled.close();
        assertThat(List.of(connections.pick(), connections.pick(), connections.pick())).containsOnly(b);
        assertThat(connections.pausesByLimit()).hasSize(1);
        assertThat(connections.limitedBy()).hasValueSatisfying(text -> assertThat(text).contains("a's"));
    }

    @Test
    void aFailingAccountIsTakenOutButNeverTheLastOne() {
        Connection a = connection("a");
        Connection b = connection("b");
        Connections connections = new Connections(List.of(a, b));
        assertThat(connections.takeOut(a, "no token")).isTrue();
        assertThat(connections.active()).containsExactly("b");
        assertThat(connections.takenOut()).containsEntry("a", "no token");
        assertThat(List.of(connections.pick(), connections.pick())).containsOnly(b);
        assertThat(connections.takeOut(b, "no token either")).isFalse();
        assertThat(connections.active()).containsExactly("b");
    }

    @Test
    void theDefaultParallelismIsTheHintForEachAccount() {
        EnvironmentInfo hinted = new EnvironmentInfo("u", "b", "o", java.util.Optional.of(6));
        assertThat(hinted.parallelism(16, 4, 1)).isEqualTo(6);
        assertThat(hinted.parallelism(16, 4, 3)).isEqualTo(18);
        assertThat(hinted.parallelism(4, 4, 3)).as("the cap is per account").isEqualTo(12);
        assertThat(new EnvironmentInfo("u", "b", "o", java.util.Optional.empty()).parallelism(16, 4, 2)).isEqualTo(8);
    }
}
