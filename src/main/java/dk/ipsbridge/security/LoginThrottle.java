package dk.ipsbridge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Password guessing slowed down: after {@code ips.security.login-max-failures} failed password logins within
 * {@code login-window}, for one username or from one client address, every further password login of that username
 * or from that address gets 429 (with {@code Retry-After}) until the oldest failure leaves the window. A successful
 * login clears its username's count. Counts live in memory, per instance. Neither username nor address is logged.
 */
final class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    /** Beyond this many tracked keys, expired ones are swept; memory stays bounded under a flood of names. */
    private static final int SWEEP_ABOVE = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(InboundProperties properties, Clock clock) {
        this.maxFailures = properties.loginMaxFailures();
        this.window = properties.loginWindow();
        this.clock = clock;
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken attempt) {
            Instant now = clock.instant();
            keys(attempt).forEach(key -> record(key, now));
        }
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken login) {
            failures.remove(userKey(login.getName()));
        }
    }

    /** The filter that refuses a password login while its username or address is locked. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!refused(request, response)) {
                    chain.doFilter(request, response);
                }
            }
        };
    }

    private boolean refused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String username = attemptedUsername(request);
        if (username == null) {
            return false;
        }
        Duration wait = max(lockedFor(userKey(username)), lockedFor(addressKey(request.getRemoteAddr())));
        if (wait.isZero()) {
            return false;
        }
        log.warn("A password login was refused: too many failed logins for the username or the address");
        response.setHeader("Retry-After", Long.toString((wait.toMillis() + 999) / 1000));
        Problems.write(response, HttpStatus.TOO_MANY_REQUESTS,
                "Too many failed logins; try again after the time in Retry-After");
        return true;
    }

    /** The username of a password login on this request (HTTP Basic, or the login form), else null. */
    private static String attemptedUsername(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null; // not Base64: Spring's Basic filter refuses it
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            String username = request.getParameter("username");
            return username == null ? "" : username;
        }
        return null;
    }

    private static List<String> keys(UsernamePasswordAuthenticationToken attempt) {
        String address = attempt.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
        return address == null ? List.of(userKey(attempt.getName()))
                : List.of(userKey(attempt.getName()), addressKey(address));
    }

    private static String userKey(String username) {
        return "user:" + username;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private void record(String key, Instant now) {
        if (failures.size() > SWEEP_ABOVE) {
            failures.keySet().forEach(this::lockedFor); // drops what has expired
        }
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (times.size() > maxFailures) {
                times.removeFirst();
            }
        }
    }

    /** How long the key stays locked: zero unless it has {@code maxFailures} failures within the window. */
    private Duration lockedFor(String key) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
                times.removeFirst();
            }
            if (times.isEmpty()) {
                failures.remove(key, times);
                return Duration.ZERO;
            }
            return times.size() < maxFailures ? Duration.ZERO : Duration.between(now, times.peekFirst().plus(window));
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
