package dk.ipsbridge.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import dk.ipsbridge.http.PeerHealth;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** A peer's health component from what the HTTP client noted of it. */
class HealthConfigTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void shouldBeUnknownBeforeTheFirstCall() {
        assertThat(HealthConfig.health(Optional.empty()).getStatus()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void shouldBeDownFromTheThirdFailedCallInARowAndSayWhenAndHow() {
        Health two = HealthConfig.health(Optional.of(new PeerHealth.State(T0, T0.plusSeconds(5), "answered 503", 2)));
        Health three = HealthConfig.health(Optional.of(new PeerHealth.State(T0, T0.plusSeconds(9), "answered 503", 3)));

        assertThat(two.getStatus()).isEqualTo(Status.UP);
        assertThat(three.getStatus()).isEqualTo(Status.DOWN);
        assertThat(three.getDetails()).containsEntry("lastAnswer", "2026-12-03T10:00:00Z")
                .containsEntry("lastFailure", "2026-12-03T10:00:09Z").containsEntry("lastProblem", "answered 503")
                .containsEntry("failuresInARow", 3);
    }
}
