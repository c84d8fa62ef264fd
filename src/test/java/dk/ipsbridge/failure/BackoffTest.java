package dk.ipsbridge.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.RetrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server's Retry-After sets the next attempt when it asks for longer than our backoff, but never beyond
 * {@code ips.operations.max-retry-backoff}; one we cannot read leaves the normal backoff.
 */
class BackoffTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final RetrySettings OPS = Operations.with(RetrySettings.class, Map.of("retry-backoff", "2s",
            "max-retry-backoff", "10m"));

    @ParameterizedTest
    @ValueSource(strings = {"99999999", "315360000", "99999999999999999999999"})
    void shouldCapAHugeRetryAfterInSecondsAtTheMaximumBackoff(String header) {
        assertThat(Backoff.delay(0, RetryAfter.parse(header, NOW), OPS)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldCapAnHttpDateFarInTheFutureAtTheMaximumBackoff() {
        String header = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plus(Duration.ofDays(3650))
                .atOffset(ZoneOffset.UTC));

        assertThat(RetryAfter.parse(header, NOW)).isEqualTo(Duration.ofDays(3650));
        assertThat(Backoff.delay(0, RetryAfter.parse(header, NOW), OPS)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldRespectASmallRetryAfterThatIsLongerThanTheBackoff() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));

        assertThat(Backoff.delay(0, RetryAfter.parse("30", NOW), OPS)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Backoff.delay(0, RetryAfter.parse(date, NOW), OPS)).isEqualTo(Duration.ofSeconds(90));
        assertThat(Backoff.delay(0, RetryAfter.parse("600", NOW), OPS)).isEqualTo(Duration.ofMinutes(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "-99999999", "soon", "1.5", "30s", "", " ", "Tue, 99 Foo 2026 25:61:00 GMT",
            "Mon, 01 Jan 2024 00:00:00 GMT", "0"})
    void shouldFallBackToTheNormalBackoffForANegativePastOrUnreadableRetryAfter(String header) {
        for (int attempt = 0; attempt < 5; attempt++) {
            long base = 2000L << attempt;
            assertThat(Backoff.delay(attempt, RetryAfter.parse(header, NOW), OPS).toMillis())
                    .as("attempt %d, Retry-After '%s'", attempt, header).isBetween(base / 2, base);
        }
    }

    @Test
    void shouldKeepTheNormalBackoffWhenItIsLongerThanTheRetryAfter() {
        long base = 2000L << 6;
        assertThat(Backoff.delay(6, RetryAfter.parse("1", NOW), OPS).toMillis()).isBetween(base / 2, base);
        assertThat(Backoff.delay(20, null, OPS)).isLessThanOrEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldDoubleTheBackoffPerAttemptWithJitterOfAtMostHalf() {
        for (int attempt = 0; attempt < 8; attempt++) {
            long base = Math.min(2000L << attempt, Duration.ofMinutes(10).toMillis());
            for (int sample = 0; sample < 50; sample++) {
                assertThat(Backoff.delay(attempt, null, OPS).toMillis()).as("attempt %d", attempt)
                        .isBetween(base / 2, base);
            }
        }
    }

    @Test
    void shouldStopGrowingAtTheMaximumBackoffHoweverManyAttempts() {
        for (int attempts : new int[] {9, 20, 21, 63, 64, Integer.MAX_VALUE}) {
            assertThat(Backoff.delay(attempts, null, OPS)).as("%d attempts", attempts)
                    .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
        }
    }
}
