package dk.ipsbridge.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import dk.ipsbridge.store.SettableClock;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.util.unit.DataSize;

/** The lock's time: it holds for the window after the failures, and a success clears the username's count. */
class LoginThrottleTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(
            new InboundProperties(3, Duration.ofMinutes(15), DataSize.ofMegabytes(1)), clock);

    @Test
    void shouldLockForTheWindowAfterTheLastOfTheFailuresThatCount() throws Exception {
        fail("anna", "10.0.0.1");
        clock.advance(Duration.ofMinutes(10));
        fail("anna", "10.0.0.2");
        fail("anna", "10.0.0.3");
        assertThat(attempt("anna", "10.0.0.4").getStatus()).isEqualTo(429);
        assertThat(attempt("anna", "10.0.0.4").getHeader("Retry-After")).isEqualTo("300");

        clock.advance(Duration.ofMinutes(5)); // the first failure leaves the window
        assertThat(attempt("anna", "10.0.0.4").getStatus()).isEqualTo(200);
    }

    @Test
    void shouldClearAUsernamesCountOnASuccessfulLogin() throws Exception {
        fail("anna", "10.0.0.1");
        fail("anna", "10.0.0.2");
        throttle.succeeded(new AuthenticationSuccessEvent(UsernamePasswordAuthenticationToken.authenticated("anna", null, null)));
        fail("anna", "10.0.0.3");
        assertThat(attempt("anna", "10.0.0.4").getStatus()).isEqualTo(200);
    }

    @Test
    void shouldLetRequestsWithoutAPasswordLoginThrough() throws Exception {
        for (int i = 0; i < 3; i++) {
            fail("user-" + i, "10.0.0.9");
        }
        MockHttpServletRequest anonymous = new MockHttpServletRequest("GET", "/api/status");
        anonymous.setRemoteAddr("10.0.0.9");
        MockHttpServletResponse response = new MockHttpServletResponse();
        throttle.filter().doFilter(anonymous, response, new MockFilterChain());
        assertThat(response.getStatus()).as("no credentials: refused by authorization, not by the throttle").isEqualTo(200);
        assertThat(attempt("someone", "10.0.0.9").getStatus()).isEqualTo(429);
    }

    private void fail(String username, String address) {
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(username, "x");
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(address);
        attempt.setDetails(new WebAuthenticationDetails(request));
        throttle.failed(new AuthenticationFailureBadCredentialsEvent(attempt, new BadCredentialsException("bad")));
    }

    private MockHttpServletResponse attempt(String username, String address) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/status");
        request.setRemoteAddr(address);
        request.addHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((username + ":secret").getBytes(UTF_8)));
        MockHttpServletResponse response = new MockHttpServletResponse();
        throttle.filter().doFilter(request, response, new MockFilterChain());
        return response;
    }
}
