package dk.ipsbridge.review;

import java.time.Instant;
import java.util.List;

import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.patient.PatientKey;

/**
 * One patient being decided, as it passes the steps of the {@code patient-decide} route.
 *
 * @param generation the patient's decision generation when the EHR read began ({@link CaseStore#generation}): the
 *                   decisions are applied only if no other was applied since
 * @param loaded     what the EHR holds, or null when it no longer has the patient
 * @param decisions  the gate's decisions, empty until decided
 */
public record Review(PatientKey key, Instant startedAt, long generation, String correlationId,
        SnapshotLoader.Loaded loaded, List<GateDecision> decisions) {

    /** Applies whatever was applied meanwhile: only for failing closed, which shares nothing. */
    public static final long ANY_GENERATION = -1;

    public Review {
        decisions = List.copyOf(decisions);
    }

    Review decided(List<GateDecision> newDecisions) {
        return new Review(key, startedAt, generation, correlationId, loaded, newDecisions);
    }

    Review reloaded(SnapshotLoader.Loaded newLoaded) {
        return new Review(key, startedAt, generation, correlationId, newLoaded, decisions);
    }
}
