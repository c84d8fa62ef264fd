package dk.ipsbridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What the one HTTP client notes of each peer's answers for the health endpoint. */
class PeerHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final PeerHealth health = new PeerHealth();

    @Test
    void shouldKnowNothingOfAPeerNotCalledYet() {
        assertThat(health.of("jobcenter/a")).isEmpty();
    }

    @Test
    void shouldCountFailuresInARowUntilAnAnswerThatIsNotRetryLater() {
        health.answered("jobcenter/a", 503, T0);
        health.failed("jobcenter/a", "no answer (HttpTimeoutException)", T0.plusSeconds(1));
        health.answered("jobcenter/a", 429, T0.plusSeconds(2));

        assertThat(health.of("jobcenter/a")).hasValue(new PeerHealth.State(null, T0.plusSeconds(2), "answered 429", 3));

        health.answered("jobcenter/a", 422, T0.plusSeconds(3)); // refused, but there and answering

        assertThat(health.of("jobcenter/a")).hasValue(new PeerHealth.State(T0.plusSeconds(3), T0.plusSeconds(2),
                "answered 429", 0));
        assertThat(health.of("source/ehr")).isEmpty();
    }
}
