package dk.ipsbridge.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InjectedFaultTest {

    @Test
    void shouldGiveThrottlingAndUnavailabilityARetryAfterOfOneSecondUnlessTold() {
        assertThat(InjectedFault.status(429).retryAfterSeconds()).isEqualTo(1);
        assertThat(InjectedFault.status(503).retryAfterSeconds()).isEqualTo(1);
        assertThat(InjectedFault.status(500).retryAfterSeconds()).isNull();
        assertThat(InjectedFault.status(429, 30).retryAfterSeconds()).isEqualTo(30);
    }

    @Test
    void shouldRefuseAFaultThatContradictsItself() {
        assertThatThrownBy(() -> new InjectedFault(InjectedFault.Kind.CONNECTION_RESET, 503, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InjectedFault(InjectedFault.Kind.MALFORMED_BODY, 200, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InjectedFault.status(700)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InjectedFault.status(429, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InjectedFault(InjectedFault.Kind.BARE_STATUS, 404, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InjectedFault.bareStatus(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGiveABareStatusNoRetryAfter() {
        assertThat(InjectedFault.bareStatus(404))
                .isEqualTo(new InjectedFault(InjectedFault.Kind.BARE_STATUS, 404, null));
    }
}
