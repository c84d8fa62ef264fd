package dk.ipsbridge.consent;

import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.ServiceRequest;

import dk.ipsbridge.ehr.IpsCodes;
import dk.ipsbridge.ehr.PatientSnapshot;

/**
 * Whether the patient is in an IPS course: EHRs record the referral as a ServiceRequest, an EpisodeOfCare or both,
 * and one open referral of either kind is enough.
 */
final class Referrals {

    private Referrals() {
    }

    /** Null when the patient has an open IPS referral, else {@code REFERRAL_ENDED} or {@code NO_ACTIVE_REFERRAL}. */
    static HoldReason hold(PatientSnapshot snapshot) {
        boolean ended = false;
        for (ServiceRequest referral : snapshot.referrals()) {
            if (!referral.hasCode() || !referral.hasStatus()
                    || !ConsentGate.hasCoding(referral.getCode(), IpsCodes.IPS_SYSTEM, IpsCodes.IPS_REFERRAL)) {
                continue;
            }
            switch (referral.getStatus()) {
                case ACTIVE -> {
                    return null;
                }
                case COMPLETED, REVOKED, ENTEREDINERROR -> ended = true;
                default -> {
                }
            }
        }
        for (EpisodeOfCare episode : snapshot.episodes()) {
            if (!episode.hasStatus() || episode.getType().stream()
                    .noneMatch(t -> ConsentGate.hasCoding(t, IpsCodes.IPS_SYSTEM, IpsCodes.IPS_REFERRAL))) {
                continue;
            }
            switch (episode.getStatus()) {
                case PLANNED, WAITLIST, ACTIVE, ONHOLD -> {
                    return null;
                }
                case FINISHED, CANCELLED, ENTEREDINERROR -> ended = true;
                default -> {
                }
            }
        }
        return ended ? HoldReason.REFERRAL_ENDED : HoldReason.NO_ACTIVE_REFERRAL;
    }
}
