package dk.ipsbridge.testkit.cohort;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import dk.ipsbridge.testkit.fhir.IpsContract;


/**
 * One synthetic patient of the {@link SyntheticCohort} and the outcome the adapter should reach for it, written by
 * hand per scenario (never computed by the adapter's own consent logic).
 *
 * @param patientId           logical id of the Patient
 * @param cpr                 the CPR identifier as recorded (invalid for the invalid-CPR scenario), or the
 *                            replacement number for a patient without CPR
 * @param scenario            one of the {@code SyntheticCohort} scenario codes
 * @param expectedJobcenterId the configured jobcenter that should receive a case, or null when held
 * @param expectedCategories  the data categories ({@link IpsContract#DATA_CATEGORIES}) that should be shared besides
 *                            identity, in the contract's order; empty when held
 * @param expectedHold        why nothing should be shared, as the adapter records it (for example
 *                            {@code consent-withdrawn}), or null when shared
 */
public record CohortPatient(String patientId, String cpr, String scenario, String expectedJobcenterId,
        Set<String> expectedCategories, String expectedHold) {

    public CohortPatient {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(scenario, "scenario");
        if (!IpsContract.DATA_CATEGORIES.containsAll(expectedCategories)) {
            throw new IllegalArgumentException("Not data categories of the contract: " + expectedCategories);
        }
        // in the contract's order, so the demo page and assertion messages read the same every run
        Set<String> ordered = new LinkedHashSet<>();
        IpsContract.DATA_CATEGORIES.stream().filter(expectedCategories::contains).forEach(ordered::add);
        expectedCategories = Collections.unmodifiableSet(ordered);
        if ((expectedJobcenterId == null) == (expectedHold == null)) {
            throw new IllegalArgumentException("A patient is either shared with a jobcenter or held, not both");
        }
        if (expectedHold != null && !expectedCategories.isEmpty()) {
            throw new IllegalArgumentException("A held patient shares no category");
        }
    }

    /** Whether a case should reach a jobcenter. */
    public boolean expectedShared() {
        return expectedHold == null;
    }

    /** The {@code Patient/<id>} reference. */
    public String patientReference() {
        return "Patient/" + patientId;
    }
}
