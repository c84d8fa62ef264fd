package dk.ipsbridge.testkit.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.testkit.ehr.MockEhr;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class SyntheticCohortTest {

    private static final Instant NOW = Instant.parse("2026-03-01T09:30:00Z");
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** The brief's minimum count per scenario and the hold each must end in (null: shared). */
    private static final Map<String, Integer> MIN_COUNTS = Map.ofEntries(
            Map.entry(SyntheticCohort.SHARED_WITH_A, 20), Map.entry(SyntheticCohort.SHARED_WITH_B, 8),
            Map.entry(SyntheticCohort.NO_CONSENT, 4), Map.entry(SyntheticCohort.WITHDRAWN, 3),
            Map.entry(SyntheticCohort.LAPSED, 3), Map.entry(SyntheticCohort.PERIOD_ENDED, 2),
            Map.entry(SyntheticCohort.DIAGNOSIS_DENIED, 3), Map.entry(SyntheticCohort.DIAGNOSIS_PERMITTED, 3),
            Map.entry(SyntheticCohort.REPLACEMENT_CPR_ONLY, 2), Map.entry(SyntheticCohort.NO_CONSULTANT, 2),
            Map.entry(SyntheticCohort.UNKNOWN_RECIPIENT, 1), Map.entry(SyntheticCohort.REJECTED, 1),
            Map.entry(SyntheticCohort.REFERRAL_REVOKED, 1), Map.entry(SyntheticCohort.INVALID_CPR, 1),
            Map.entry(SyntheticCohort.DRAFT, 1));
    private static final Map<String, String> HOLDS = Map.ofEntries(
            Map.entry(SyntheticCohort.NO_CONSENT, HoldReason.NO_CONSENT.code()),
            Map.entry(SyntheticCohort.WITHDRAWN, HoldReason.CONSENT_WITHDRAWN.code()),
            Map.entry(SyntheticCohort.LAPSED, HoldReason.CONSENT_LAPSED.code()),
            Map.entry(SyntheticCohort.PERIOD_ENDED, HoldReason.CONSENT_EXPIRED.code()),
            Map.entry(SyntheticCohort.REPLACEMENT_CPR_ONLY, HoldReason.NO_CPR.code()),
            Map.entry(SyntheticCohort.NO_CONSULTANT, HoldReason.RECIPIENT_NOT_IN_CARE_TEAM.code()),
            Map.entry(SyntheticCohort.UNKNOWN_RECIPIENT, HoldReason.UNKNOWN_RECIPIENT.code()),
            Map.entry(SyntheticCohort.REJECTED, HoldReason.CONSENT_REJECTED.code()),
            Map.entry(SyntheticCohort.REFERRAL_REVOKED, HoldReason.REFERRAL_ENDED.code()),
            Map.entry(SyntheticCohort.INVALID_CPR, HoldReason.INVALID_CPR.code()),
            Map.entry(SyntheticCohort.DRAFT, HoldReason.CONSENT_NOT_ACTIVE.code()));

    private final SyntheticCohort cohort = SyntheticCohort.create(NOW);

    @Test
    void shouldHoldAtLeastFiftyPatientsWithEveryScenarioAtItsCount() {
        assertThat(cohort.patients()).hasSizeGreaterThanOrEqualTo(50);
        Map<String, Long> counts = cohort.patients().stream()
                .collect(Collectors.groupingBy(CohortPatient::scenario, Collectors.counting()));
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(MIN_COUNTS.keySet());
        MIN_COUNTS.forEach((scenario, min) -> assertThat(counts.get(scenario)).as(scenario).isGreaterThanOrEqualTo(min));
    }

    @Test
    void shouldExpectTheHoldOfEachScenarioAndShareTheRestWithTheirJobcenter() {
        for (CohortPatient p : cohort.patients()) {
            assertThat(p.expectedHold()).as(p.patientId()).isEqualTo(HOLDS.get(p.scenario()));
            switch (p.scenario()) {
                case SyntheticCohort.SHARED_WITH_B -> assertThat(p.expectedJobcenterId())
                        .isEqualTo(SyntheticCohort.JOBCENTER_B_ID);
                case SyntheticCohort.SHARED_WITH_A, SyntheticCohort.DIAGNOSIS_DENIED,
                        SyntheticCohort.DIAGNOSIS_PERMITTED -> assertThat(p.expectedJobcenterId())
                        .isEqualTo(SyntheticCohort.JOBCENTER_A_ID);
                default -> assertThat(p.expectedJobcenterId()).isNull();
            }
        }
        assertThat(cohort.patientsIn(SyntheticCohort.DIAGNOSIS_DENIED))
                .allSatisfy(p -> assertThat(p.expectedCategories()).isNotEmpty().doesNotContain("diagnosis"));
        assertThat(cohort.patientsIn(SyntheticCohort.DIAGNOSIS_PERMITTED))
                .allSatisfy(p -> assertThat(p.expectedCategories()).contains("diagnosis"));
        assertThat(cohort.patientsIn(SyntheticCohort.SHARED_WITH_A).stream()
                .map(CohortPatient::expectedCategories).distinct()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void shouldGiveUniqueFictitiousCprsWithValidBirthDatesExceptTheInvalidOne() {
        List<String> cprs = cohort.patients().stream().map(CohortPatient::cpr).toList();
        assertThat(cprs).doesNotHaveDuplicates();
        assertThat(cohort.patients().stream().map(CohortPatient::patientId)).doesNotHaveDuplicates();
        for (CohortPatient p : cohort.patients()) {
            switch (p.scenario()) {
                case SyntheticCohort.REPLACEMENT_CPR_ONLY -> assertThat(p.cpr()).doesNotMatch("[0-9]{10}");
                case SyntheticCohort.INVALID_CPR -> assertThat(birthDateValid(p.cpr())).isFalse();
                default -> {
                    assertThat(p.cpr()).matches("[0-9]{10}");
                    assertThat(birthDateValid(p.cpr())).as(p.patientId()).isTrue();
                }
            }
        }
    }

    @Test
    void shouldRecordEachPatientsCprOnlyForPatientsThatHaveOne() {
        Map<String, Patient> patients = cohort.resources().stream().filter(Patient.class::isInstance)
                .map(Patient.class::cast).collect(Collectors.toMap(p -> p.getIdElement().getIdPart(), Function.identity()));
        for (CohortPatient p : cohort.patients()) {
            boolean hasCpr = patients.get(p.patientId()).getIdentifier().stream()
                    .anyMatch(i -> IpsCodes.CPR_SYSTEM.equals(i.getSystem()) && p.cpr().equals(i.getValue()));
            assertThat(hasCpr).as(p.patientId()).isEqualTo(!p.scenario().equals(SyntheticCohort.REPLACEMENT_CPR_ONLY));
        }
    }

    @Test
    void shouldBeTheSameEveryTime() {
        String first = encode(SyntheticCohort.create(NOW));
        String second = encode(SyntheticCohort.create(NOW));
        assertThat(first).isEqualTo(second);
        assertThat(SyntheticCohort.create(NOW).patients()).isEqualTo(cohort.patients());
    }

    @Test
    void shouldGiveEveryPatientWithAConsentAReferralAndResolveEveryReference() {
        Set<String> keys = new HashSet<>();
        for (Resource r : cohort.resources()) {
            assertThat(keys.add(r.fhirType() + "/" + r.getIdElement().getIdPart())).as("duplicate %s", r.getId()).isTrue();
        }
        for (CohortPatient p : cohort.patients()) {
            List<Resource> course = cohort.resourcesOf(p.patientId());
            boolean hasReferral = course.stream().anyMatch(r -> r.fhirType().equals("ServiceRequest")
                    || r.fhirType().equals("EpisodeOfCare"));
            if (!p.scenario().equals(SyntheticCohort.NO_CONSENT)) {
                assertThat(hasReferral).as(p.patientId()).isTrue();
                assertThat(course).as(p.patientId()).anyMatch(Consent.class::isInstance);
            } else {
                assertThat(course).noneMatch(Consent.class::isInstance);
            }
        }
        List<String> unresolved = cohort.resources().stream()
                .flatMap(r -> FHIR.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class).stream())
                .map(Reference::getReference).filter(ref -> ref != null && !keys.contains(ref)).toList();
        assertThat(unresolved).isEmpty();
    }

    @Test
    void shouldHoldTheDataOfEveryCategoryItExpectsToBeShared() {
        for (CohortPatient p : cohort.patients()) {
            List<Resource> course = cohort.resourcesOf(p.patientId());
            for (String code : p.expectedCategories()) {
                DataCategory category = DataCategory.fromCode(code).orElseThrow();
                String type = switch (category) {
                    case CONTACT -> "Patient";
                    case REFERRAL -> "ServiceRequest|EpisodeOfCare";
                    case CARE_TEAM -> "CareTeam";
                    case CONFERENCES -> "Appointment";
                    case EMPLOYMENT_GOAL -> "Goal";
                    case DIAGNOSIS -> "Condition";
                    case OUTCOMES -> "Patient";
                };
                assertThat(course).as("%s %s", p.patientId(), category).anyMatch(r -> r.fhirType().matches(type));
            }
        }
        assertThat(cohort.patientsIn(SyntheticCohort.DIAGNOSIS_PERMITTED).stream()
                .flatMap(p -> cohort.resourcesOf(p.patientId()).stream()).filter(Condition.class::isInstance)
                .map(Condition.class::cast).map(c -> c.getMeta().getSecurity(IpsCodes.ACT_CODE_SYSTEM, IpsCodes.PSY) != null))
                .contains(true, false);
    }

    @Test
    void shouldLoadIntoTheMockEhrAndBeFoundThere() {
        try (MockEhr ehr = new MockEhr()) {
            cohort.loadInto(ehr);
            assertThat(ehr.resources(Patient.class)).hasSize(cohort.patients().size());
            assertThat(ehr.resources("Organization")).hasSize(4);
            assertThat(ehr.resources(Appointment.class)).isNotEmpty();
        }
    }

    private static boolean birthDateValid(String cpr) {
        try {
            int day = Integer.parseInt(cpr.substring(0, 2));
            int month = Integer.parseInt(cpr.substring(2, 4));
            int year = 1900 + Integer.parseInt(cpr.substring(4, 6));
            LocalDate.of(year, month, day);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String encode(SyntheticCohort c) {
        StringBuilder all = new StringBuilder();
        c.resources().forEach(r -> all.append(FHIR.newJsonParser().encodeResourceToString(r)).append('\n'));
        return all.toString();
    }
}
