package dk.ipsbridge.consent;

import dk.ipsbridge.consent.GateDecision.ConsentBasis;

/**
 * The gate's answer to one question: may the region do {@code action} with {@code category} for {@code jobcenterId}
 * now ({@link ConsentGate#verdict})?
 *
 * @param permitted   true only when the deciding consent permits it
 * @param jobcenterId the jobcenter asked about, as asked
 * @param action      disclose to it, or collect from it
 * @param category    the data category asked about
 * @param reason      why not: a whole-case reason ({@code consent-withdrawn}, ...) or a category reason
 *                    ({@code category-denied}, {@code category-not-consented}); null when permitted
 * @param detail      what decided it, without personal data; null when permitted
 * @param consent     the Consent (id and version) that decided, or null when none did
 */
public record CategoryVerdict(boolean permitted, String jobcenterId, ConsentAction action, DataCategory category,
        HoldReason reason, String detail, ConsentBasis consent) {

    static CategoryVerdict denied(String jobcenterId, ConsentAction action, DataCategory category, HoldReason reason,
            String detail, ConsentBasis consent) {
        return new CategoryVerdict(false, jobcenterId, action, category, reason, detail, consent);
    }

    /** The logical id of the deciding Consent, or null. */
    public String consentId() {
        return consent == null ? null : consent.consentId();
    }

    /** The {@code meta.versionId} of the deciding Consent, or null. */
    public String consentVersion() {
        return consent == null ? null : consent.version();
    }
}
