package dk.ipsbridge.caserecord;

import java.util.List;

import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Resource;

/**
 * The part of a snapshot a {@link GateDecision.Share} lets go: of each category's resources only those the share's
 * {@link dk.ipsbridge.consent.DataPolicy} allows (PSY label, {@code dataPeriod}, {@code class}), and none of a
 * category that is not shared. The part translators see only this, so no translator can pass on a resource the
 * consent keeps back.
 *
 * <p>The Patient, the consents and the referenced resources (organisations, practitioners, locations) stay as
 * they are: identity goes with every share, and the references only describe the resources that remain.
 */
final class PermittedData {

    private PermittedData() {
    }

    static PatientSnapshot of(PatientSnapshot snapshot, GateDecision.Share share) {
        return new PatientSnapshot(snapshot.sourceId(), snapshot.patient(), snapshot.consents(),
                keep(snapshot.referrals(), DataCategory.REFERRAL, share),
                keep(snapshot.episodes(), DataCategory.REFERRAL, share),
                keep(snapshot.careTeams(), DataCategory.CARE_TEAM, share),
                keep(snapshot.appointments(), DataCategory.CONFERENCES, share),
                keep(snapshot.goals(), DataCategory.EMPLOYMENT_GOAL, share),
                keep(snapshot.conditions(), DataCategory.DIAGNOSIS, share),
                snapshot.references());
    }

    /** True when the Patient's contact details (telecom, address) may go. */
    static boolean contactDetails(PatientSnapshot snapshot, GateDecision.Share share) {
        return allows(share, DataCategory.CONTACT, snapshot.patient());
    }

    private static <T extends Resource> List<T> keep(List<T> resources, DataCategory category,
            GateDecision.Share share) {
        return resources.stream().filter(r -> allows(share, category, r)).toList();
    }

    private static boolean allows(GateDecision.Share share, DataCategory category, Resource resource) {
        return share.categories().contains(category) && share.policy().allows(category, resource);
    }
}
