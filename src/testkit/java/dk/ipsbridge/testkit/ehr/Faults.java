package dk.ipsbridge.testkit.ehr;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import org.hl7.fhir.r4.model.OperationOutcome;

/** The faults {@link MockEhr} injects, per resource type or for every type ({@link MockEhr#ANY_TYPE}). */
final class Faults {

    private final Map<String, Fault> byType = new HashMap<>();
    private final Map<String, PollFault> polls = new HashMap<>();

    synchronized void set(String type, Fault fault) {
        byType.put(type, fault);
    }

    synchronized void clear() {
        byType.clear();
        polls.clear();
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
        Fault fault = byType.get(key);
        if (fault == null) {
            return Optional.empty();
        }
        if (fault.remaining() > 0) {
            int left = fault.remaining() - 1;
            if (left == 0) {
                byType.remove(key);
            } else {
                byType.put(key, new Fault(fault.status(), fault.retryAfterSeconds(), fault.malformed(), left));
            }
        }
        return Optional.of(fault.response());
    }

    /**
     * One configured fault.
     *
     * @param remaining how many more requests it answers; {@link #ALWAYS} until cleared
     */
    record Fault(int status, Integer retryAfterSeconds, boolean malformed, int remaining) {
        static final int ALWAYS = -1;

        ResponseDefinition response() {
            if (malformed) {
                return FhirEndpoint.malformed();
            }
            ResponseDefinition outcome = FhirEndpoint.outcome(status, status == 429
                    ? OperationOutcome.IssueType.THROTTLED : OperationOutcome.IssueType.TRANSIENT,
                    "Injected fault " + status);
            if (retryAfterSeconds == null) {
                return outcome;
            }
            return ResponseDefinitionBuilder.like(outcome).withHeader("Retry-After", String.valueOf(retryAfterSeconds))
                    .build();
        }
    }

    /** How a poll is answered instead of from the store. */
    enum PollMode { BODY, PAGING_LOOP, REPEATED_PAGES }

    /** A hostile answer to polls; {@code contentType} and {@code body} only for {@link PollMode#BODY}. */
    record PollFault(PollMode mode, String contentType, String body) {
    }
}
