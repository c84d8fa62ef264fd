package dk.ipsbridge.consent;

import java.time.LocalDate;
import java.util.Set;

/** The consent gate's answer for one patient and one recipient jobcenter. */
public sealed interface GateDecision {

    /** The configured jobcenter id this decision is about, or null when no recipient could be determined. */
    String jobcenterId();

    /** The Consent that decided, or null when none did (no consent, no CPR...). */
    ConsentBasis consent();

    /**
     * Share the identity plus exactly {@code categories} with the jobcenter.
     *
     * @param consultantReference {@code Practitioner/<id>} or {@code PractitionerRole/<id>} of the patient's current
     *                            IPS consultant in the CareTeam, or null when there is none
     */
    record Share(String jobcenterId, ConsentBasis consent, Set<DataCategory> categories, String consultantReference)
            implements GateDecision {
        public Share {
            categories = Set.copyOf(categories);
        }
    }

    /** Share nothing with this jobcenter, for {@code reason}; {@code detail} says what, without personal data. */
    record Hold(String jobcenterId, ConsentBasis consent, HoldReason reason, String detail) implements GateDecision {
    }

    /**
     * The Consent a decision rests on.
     *
     * @param consentId logical id of the Consent
     * @param version   {@code meta.versionId}, or null when the EHR gives none
     * @param givenOn   the date of {@code Consent.dateTime}
     * @param expiresOn the last day sharing is allowed: the earlier of {@code provision.period.end} and the
     *                  Danish one-year lapse from {@code dateTime}
     */
    record ConsentBasis(String consentId, String version, LocalDate givenOn, LocalDate expiresOn) {
    }
}
