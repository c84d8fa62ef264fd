package dk.ipsbridge.decision;

import java.time.Instant;

/**
 * One decision about one patient and recipient, as a consent officer reads it. No payload, no name, no CPR.
 *
 * @param outcome    shared, held or withdrawn
 * @param categories the data categories shared (space separated), for outcome shared
 * @param reason     why it was held or withdrawn (a {@code HoldReason} code), or null for shared
 */
public record Decision(Instant decidedAt, String sourceId, String patientRef, String recipient, String caseId,
        String outcome, String categories, String reason, String detail, String consentId, String consentVersion,
        Long revision, String correlationId) {

    public static final String SHARED = "shared";
    public static final String HELD = "held";
    public static final String WITHDRAWN = "withdrawn";
    /** An employment outcome from a jobcenter written into the EHR under a consent that permits collect. */
    public static final String COLLECTED = "collected";
}
