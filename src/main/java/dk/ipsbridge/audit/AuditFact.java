package dk.ipsbridge.audit;

import dk.ipsbridge.patient.Redacted;

import java.time.Instant;
import java.util.List;

/**
 * One ledger decision, as the BALP export and the officers' CSV read it.
 *
 * @param sequence              the ledger index; the AuditEvent ids are derived from it
 * @param time                  when the decision was taken
 * @param decision              {@code shared}, {@code held}, {@code withdrawn}, {@code collected},
 *                              {@code officer-search}, or an operator's {@code delivery-paused},
 *                              {@code delivery-resumed} or {@code resync-requested}
 * @param reason                why it was held or withdrawn (a {@code HoldReason} code), null for shared
 * @param sourceId              the EHR source id, e.g. {@code ehr-main}
 * @param patientReference      {@code Patient/<id>}, a logical id in that EHR source, or null
 * @param cpr                   the CPR number (10 digits), or null when redacted or unknown
 * @param recipientId           the configured jobcenter id, or null
 * @param recipientOrganization {@code system|value} identifier of the jobcenter (SOR, CVR or KOMBIT), or null
 * @param consultantReference   {@code Practitioner/<id>} or {@code PractitionerRole/<id>} in the EHR source, or null
 * @param consentId             the logical id of the Consent in the EHR source, or null
 * @param consentVersion        its version id, or null
 * @param purpose               a code of {@code http://ipsbridge.dk/fhir/CodeSystem/ips}, e.g.
 *                              {@code ips-employment-support}, or null
 * @param categories            data category codes ({@code http://ipsbridge.dk/fhir/CodeSystem/ips-data-category});
 *                              null is read as none
 * @param payloadSha256         hex SHA-256 of the exact payload sent, or null
 * @param correlationId         the correlation id of the processing that took the decision, or null
 * @param actor                 the officer's username for {@code officer-search}, the operator's for a control
 *                              action, else null
 */
public record AuditFact(
        long sequence,
        Instant time,
        String decision,
        String reason,
        String sourceId,
        String patientReference,
        String cpr,
        String recipientId,
        String recipientOrganization,
        String consultantReference,
        String consentId, String consentVersion,
        String purpose,
        List<String> categories,
        String payloadSha256,
        String correlationId,
        String actor) {

    @Override
    public String toString() {
        return Redacted.toString(this, "cpr");
    }


    public static final String SHARED = "shared";
    public static final String HELD = "held";
    public static final String WITHDRAWN = "withdrawn";
    public static final String COLLECTED = "collected";
    public static final String OFFICER_SEARCH = "officer-search";
    /** An operator's control actions ({@code OperatorControl}). */
    public static final String DELIVERY_PAUSED = "delivery-paused";
    public static final String DELIVERY_RESUMED = "delivery-resumed";
    public static final String RESYNC_REQUESTED = "resync-requested";

    public AuditFact {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }
}
