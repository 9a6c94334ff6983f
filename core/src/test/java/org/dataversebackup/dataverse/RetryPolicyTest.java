package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(5));

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        for (int attempt = 1; attempt <= 8; attempt++) {
            long expected = Math.min(1000L << (attempt - 1), 8000);
            assertThat(policy.backoff(attempt).toMillis()).isBetween(expected * 3 / 4, expected);
        }
    }

    @Test
    void retryAfterWinsOverBackoff() {
        assertThat(policy.delay(3, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void attemptsAreLimited() {
        assertThat(policy.canRetry(4)).isTrue();
        assertThat(policy.canRetry(5)).isFalse();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(DataverseClient.parseRetryAfter("5")).contains(Duration.ofSeconds(5));
        assertThat(DataverseClient.parseRetryAfter("0.5")).contains(Duration.ofMillis(500));
        String in10s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(DataverseClient.parseRetryAfter(in10s).orElseThrow().toSeconds()).isBetween(8L, 10L);
        assertThat(DataverseClient.parseRetryAfter("soon")).isEmpty();
    }
}
