package dk.ipsbridge.consent;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Where the patient's IPS course stands (contract 1.1, C13). EHRs record the referral as a ServiceRequest, an
 * EpisodeOfCare or both:
 * <ul>
 * <li>ongoing: ServiceRequest {@code active}, EpisodeOfCare {@code active} or {@code onhold}; one is enough;</li>
 * <li>revoked: ServiceRequest {@code revoked}, EpisodeOfCare {@code cancelled}: withdraw ({@code referral-ended});</li>
 * <li>ended: ServiceRequest {@code completed}, EpisodeOfCare {@code finished}: the record goes once more with
 * {@code status: ended}, and the jobcenter keeps the case (IPS support is time-unlimited);</li>
 * <li>entered in error: withdraw ({@code entered-in-error}), unless another referral says more.</li>
 * </ul>
 * Without dates to order them, a revoked referral outweighs a completed one (the reading that shares less), and one
 * entered in error counts only when no other referral says anything.
 */
final class Referrals {

    /** The course: a hold and why, or none; and whether it has ended. */
    record Course(HoldReason hold, String detail, boolean ended) {
    }

    private static final Course ONGOING = new Course(null, null, false);
    private static final Course ENDED = new Course(null, null, true);
    private static final Course REVOKED = new Course(HoldReason.REFERRAL_ENDED, "The IPS referral was revoked", false);
    private static final Course IN_ERROR = new Course(HoldReason.REFERRAL_ENTERED_IN_ERROR,
            "The IPS referral was entered in error", false);
    private static final Course NONE = new Course(HoldReason.NO_ACTIVE_REFERRAL, "The patient has no IPS referral",
            false);

    private Referrals() {
    }

    static Course course(PatientSnapshot snapshot) {
        boolean revoked = false;
        boolean completed = false;
        boolean inError = false;
        for (ServiceRequest referral : snapshot.referrals()) {
            if (!referral.hasCode() || !referral.hasStatus()
                    || !ConsentGate.hasCoding(referral.getCode(), IpsCodes.IPS_SYSTEM, IpsCodes.IPS_REFERRAL)) {
                continue;
            }
            switch (referral.getStatus()) {
                case ACTIVE -> {
                    return ONGOING;
                }
                case REVOKED -> revoked = true;
                case COMPLETED -> completed = true;
                case ENTEREDINERROR -> inError = true;
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
                case ACTIVE, ONHOLD -> {
                    return ONGOING;
                }
                case CANCELLED -> revoked = true;
                case FINISHED -> completed = true;
                case ENTEREDINERROR -> inError = true;
                default -> {
                }
            }
        }
        if (revoked) {
            return REVOKED;
        }
        if (completed) {
            return ENDED;
        }
        return inError ? IN_ERROR : NONE;
    }
}
