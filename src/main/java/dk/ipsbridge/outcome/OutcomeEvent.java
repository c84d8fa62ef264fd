package dk.ipsbridge.outcome;

import java.time.LocalDate;

/**
 * One employment outcome from a jobcenter's {@code GET /outcomes} feed, checked against the contract.
 *
 * @param hoursPerWeek null when the jobcenter did not say
 */
public record OutcomeEvent(String eventId, String caseId, String cpr, String type, LocalDate occurredOn,
        Double hoursPerWeek) {

    /** The contract's outcome types; job and education states become LOINC 67875-5, the rest IPS milestones. */
    static final java.util.Set<String> TYPES = java.util.Set.of("first-employer-contact", "job-started", "job-ended",
            "education-started", "education-ended", "benefits-counselling", "support-ended");

    boolean isEmploymentStatus() {
        return type.startsWith("job-") || type.startsWith("education-");
    }
}
