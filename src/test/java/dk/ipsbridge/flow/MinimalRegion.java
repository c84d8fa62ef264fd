package dk.ipsbridge.flow;

import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_A_ORGANIZATION;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;

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
}
