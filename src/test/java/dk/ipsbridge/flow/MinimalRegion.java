package dk.ipsbridge.flow;

import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_A_ORGANIZATION;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The least an EHR needs before patients can be referred to jobcenter A: that jobcenter's organisation, the treating
 * unit ({@code Organization/psy}) and an IPS consultant ({@code Practitioner/consultant}).
 */
final class MinimalRegion {

    private MinimalRegion() {
    }

    static void storeInto(MockEhr ehr) {
        ehr.store(IpsFixtures.organization(JOBCENTER_A_ORGANIZATION, SyntheticCohort.JOBCENTER_A_SYSTEM,
                        SyntheticCohort.JOBCENTER_A_VALUE, SyntheticCohort.JOBCENTER_A_NAME),
                IpsFixtures.organization("psy", IpsCodes.SOR_SYSTEM, SyntheticCohort.TREATING_UNIT_SOR, "Psykiatrien"),
                IpsFixtures.practitioner("consultant", "Ida", "Konsulentsen"));
    }

    /** A patient referred to jobcenter A, with an IPS consultant; with or without a consent naming it. */
    static void storeReferredPatient(MockEhr ehr, String id, String cpr, boolean consented) {
        ehr.store(IpsFixtures.patient(id, cpr, "Test", "Testesen"),
                IpsFixtures.referral(id + "-referral", id, "psy", JOBCENTER_A_ORGANIZATION,
                        LocalDate.now().minusDays(20), ServiceRequest.ServiceRequestStatus.ACTIVE),
                IpsFixtures.careTeam(id + "-team", id, "Practitioner/consultant", JOBCENTER_A_ORGANIZATION, null));
        if (consented) {
            ehr.store(IpsFixtures.consent(id + "-consent", id).givenAt(Instant.now().minus(Duration.ofDays(10)))
                    .recipient("Organization/" + JOBCENTER_A_ORGANIZATION).categories("contact").build());
        }
    }
}
