package dk.ipsbridge.http;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each EHR source and jobcenter has answered the one HTTP client lately, for the health endpoint: the last answer
 * and the last failure, and how many calls in a row have failed. A failure is a call that got no answer (I/O error,
 * timeout) or one that means "retry later" (429, 5xx); any other answer, a 404 or a 422 included, shows that the peer
 * is there and answering. The problem is named by status or exception type only: nothing of a request or answer.
 */
public final class PeerHealth {

    /** The peers' recent calls; {@code problem} names the last failure. */
    public record State(Instant lastAnswer, Instant lastFailure, String problem, int failuresInARow) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    void answered(String peer, int status, Instant at) {
        if (Answer.retries(status)) {
            failed(peer, "answered " + status, at);
        } else {
            states.compute(peer, (p, s) -> new State(at, s == null ? null : s.lastFailure(),
                    s == null ? null : s.problem(), 0));
        }
    }

    void failed(String peer, String problem, Instant at) {
        states.compute(peer, (p, s) -> new State(s == null ? null : s.lastAnswer(), at, problem,
                s == null ? 1 : s.failuresInARow() + 1));
    }

    /** The state of a peer ({@code source/<id>} or {@code jobcenter/<id>}); empty before its first call. */
    public Optional<State> of(String peer) {
        return Optional.ofNullable(states.get(peer));
    }
}
