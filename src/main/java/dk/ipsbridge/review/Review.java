package dk.ipsbridge.review;

import java.time.Instant;
import java.util.List;

import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.ehr.SnapshotLoader;

/**
 * One patient being decided, as it passes the steps of the {@code patient-decide} route.
 *
 * @param loaded    what the EHR holds, or null when it no longer has the patient
 * @param decisions the gate's decisions, empty until decided
 */
public record Review(PatientKey key, Instant startedAt, String correlationId, SnapshotLoader.Loaded loaded,
        List<GateDecision> decisions) {

    public Review {
        decisions = List.copyOf(decisions);
    }

    Review decided(List<GateDecision> newDecisions) {
        return new Review(key, startedAt, correlationId, loaded, newDecisions);
    }

    Review reloaded(SnapshotLoader.Loaded newLoaded) {
        return new Review(key, startedAt, correlationId, newLoaded, decisions);
    }
}
