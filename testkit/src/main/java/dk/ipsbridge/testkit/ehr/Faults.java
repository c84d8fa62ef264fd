package dk.ipsbridge.testkit.ehr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dk.ipsbridge.testkit.fault.InjectedFault;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The faults {@link MockEhr} injects, per resource type or for every type ({@link MockEhr#ANY_TYPE}), the search
 * parameters it ignores as a lenient server does, and the latency of every answer.
 */
final class Faults {

    /** {@link Armed#remaining()} of a fault that answers until cleared. */
    static final int ALWAYS = -1;

    private final Map<String, Armed> byType = new HashMap<>();
    private final Map<String, PollFault> polls = new HashMap<>();
    private final Map<String, Set<String>> ignoredParameters = new HashMap<>();
    private Duration latency = Duration.ZERO;

    /** Arms {@code fault} for {@code type}, for {@code times} requests or {@link #ALWAYS}. */
    synchronized void set(String type, InjectedFault fault, int times) {
        byType.put(type, new Armed(fault, times));
    }

    synchronized void latency(Duration newLatency) {
        if (newLatency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        latency = newLatency;
    }

    synchronized void clear() {
        byType.clear();
        polls.clear();
        ignoredParameters.clear();
        latency = Duration.ZERO;
    }

    synchronized void ignore(String type, String parameter) {
        ignoredParameters.computeIfAbsent(type, t -> new HashSet<>()).add(parameter);
    }

    /** The search parameters searches of {@code type} ignore: its own and those of every type. */
    synchronized Set<String> ignored(String type) {
        Set<String> names = new HashSet<>(ignoredParameters.getOrDefault(MockEhr.ANY_TYPE, Set.of()));
        names.addAll(ignoredParameters.getOrDefault(type, Set.of()));
        return names;
    }

    synchronized void setPoll(String type, PollFault fault) {
        polls.put(type, fault);
    }

    /** The hostile answer to a poll (GET search) of {@code type}, if one is set. */
    synchronized Optional<PollFault> poll(String type) {
        return Optional.ofNullable(polls.getOrDefault(type, polls.get(MockEhr.ANY_TYPE)));
    }

    /** The fault response for the next request on {@code type}, consuming one use of a limited fault. */
    synchronized Optional<ResponseDefinition> next(String type) {
        String key = byType.containsKey(type) ? type : MockEhr.ANY_TYPE;
        Armed armed = byType.get(key);
        if (armed == null) {
            return Optional.empty();
        }
        if (armed.remaining() == 1) {
            byType.remove(key);
        } else if (armed.remaining() > 1) {
            byType.put(key, new Armed(armed.fault(), armed.remaining() - 1));
        }
        return Optional.of(response(armed.fault()));
    }

    /** {@code response}, after the latency set. */
    synchronized ResponseDefinition delayed(ResponseDefinition response) {
        return latency.isZero() ? response
                : ResponseDefinitionBuilder.like(response).withFixedDelay((int) latency.toMillis()).build();
    }

    private static ResponseDefinition response(InjectedFault fault) {
        return switch (fault.kind()) {
            case MALFORMED_BODY -> FhirEndpoint.malformed();
            case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            case BARE_STATUS -> aResponse().withStatus(fault.status()).build();
            case STATUS -> {
                ResponseDefinition outcome = FhirEndpoint.outcome(fault.status(), fault.status() == 429
                        ? OperationOutcome.IssueType.THROTTLED : OperationOutcome.IssueType.TRANSIENT,
                        "Injected fault " + fault.status());
                yield fault.retryAfterSeconds() == null ? outcome : ResponseDefinitionBuilder.like(outcome)
                        .withHeader("Retry-After", String.valueOf(fault.retryAfterSeconds())).build();
            }
        };
    }

    /** A fault and how many more requests it answers ({@link #ALWAYS} until cleared). */
    private record Armed(InjectedFault fault, int remaining) {
    }

    /** How a poll is answered instead of from the store. */
    enum PollMode { BODY, PAGING_LOOP, REPEATED_PAGES }

    /** A hostile answer to polls; {@code contentType} and {@code body} only for {@link PollMode#BODY}. */
    record PollFault(PollMode mode, String contentType, String body) {
    }
}
