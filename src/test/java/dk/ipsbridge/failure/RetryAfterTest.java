package dk.ipsbridge.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retry-After as seconds or as an HTTP date; anything else is no answer. */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldReadDelaySeconds() {
        assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse(" 7 ", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("0", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldReadAnHttpDateAsTheTimeUntilThen() {
        assertThat(RetryAfter.parse("Wed, 02 Dec 2026 10:01:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void shouldReadAnHttpDateInThePastAsNoWait() {
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 10:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldReadMoreDigitsThanALongHoldsAsTheLongestDelay() {
        assertThat(RetryAfter.parse("9".repeat(30), NOW)).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "-1", "1.5", "soon", "30s", "2026-12-02T10:01:30Z"})
    void shouldGiveNoAnswerForWhatItCannotRead(String header) {
        assertThat(RetryAfter.parse(header, NOW)).isNull();
    }

    @Test
    void shouldGiveNoAnswerWithoutAHeader() {
        assertThat(RetryAfter.parse(null)).isNull();
    }
}
