package dk.ipsbridge.outcome;

import dk.ipsbridge.patient.Redacted;

import java.time.LocalDate;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One employment outcome from a jobcenter's {@code GET /outcomes} feed, checked against the contract.
 *
 * @param eventId         unique within its jobcenter only (C16), matches {@link #EVENT_ID}
 * @param hoursPerWeek    null when the jobcenter did not say
 * @param employmentTerms with {@code job-started}: {@code ordinary} or {@code subsidised} (a flexjob, say); null when
 *                        the jobcenter did not say (a 1.0 sender)
 * @param retractsEventId with {@code retracted}, the event it takes back; else null
 */
record OutcomeEvent(String eventId, String caseId, String cpr, String type, LocalDate occurredOn,
        Double hoursPerWeek, String employmentTerms, String retractsEventId) {

    @Override
    public String toString() {
        return Redacted.toString(this, "cpr");
    }


    /** The contract's {@code OutcomeEvent.eventId} pattern (1.1); {@code matches()} also refuses a trailing newline. */
    static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    static final String RETRACTED = "retracted";

    /** The contract's outcome types; job and education states become LOINC 67875-5, the rest IPS milestones. */
    static final Set<String> TYPES = Set.of("first-employer-contact", "job-started", "job-ended",
            "internship-started", "internship-ended", "education-started", "education-ended", "benefits-counselling",
            "support-ended", RETRACTED);

    /** The contract's {@code employmentTerms} (1.1). */
    static final Set<String> TERMS = Set.of("ordinary", "subsidised");

    static boolean isValidEventId(String eventId) {
        return eventId != null && EVENT_ID.matcher(eventId).matches();
    }

    boolean isEmploymentStatus() {
        return type.startsWith("job-") || type.startsWith("education-");
    }

    /** A {@code retracted} event: it takes back {@link #retractsEventId}, and is no outcome of its own. */
    boolean isRetraction() {
        return RETRACTED.equals(type);
    }
}
