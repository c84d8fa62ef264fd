package dk.ipsbridge.validation;

import static dk.ipsbridge.testkit.fhir.IpsFixtures.careTeam;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.conference;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.consent;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.employmentGoal;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.patient;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.referral;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;

/** One patient of the kit's EHR (p-1, consent c-1 to jc-org), whole and conforming, to break one part of. */
public final class ValidationFixtures {

    public static final Instant GIVEN = Instant.parse("2026-03-01T09:00:00Z");

    private ValidationFixtures() {
    }

    public static Consent consentToJobcenter() {
        return consent("c-1", "p-1").givenAt(GIVEN).recipient("Organization/jc-org")
                .categories("contact", "referral", "care-team", "conferences", "employment-goal").build();
    }

    public static PatientSnapshot snapshot(Patient patient, Consent consent, ServiceRequest referral, CareTeam team) {
        return new PatientSnapshot("ehr", patient, List.of(consent), List.of(referral), List.of(), List.of(team),
                List.of(conference("conf-1", "p-1", GIVEN, GIVEN.plusSeconds(3600))),
                List.of(employmentGoal("goal-1", "p-1", "Arbejde i en cykelbutik")), List.of(), Map.of());
    }

    public static PatientSnapshot valid() {
        return snapshot(patient("p-1", "0101901234", "Ingrid", "Fiktivsen"), consentToJobcenter(),
                referral("sr-1", "p-1", "psych-org", "jc-org", LocalDate.of(2026, 2, 1),
                        ServiceRequest.ServiceRequestStatus.ACTIVE),
                careTeam("ct-1", "p-1", "Practitioner/karen", "jc-org", null));
    }

    /** {@link #valid()} whose consent names a data category its code system does not have. */
    public static PatientSnapshot withUnknownCategory() {
        PatientSnapshot s = valid();
        s.consents().get(0).getProvision().addCode(new CodeableConcept(
                new Coding("http://ipsbridge.dk/fhir/CodeSystem/ips-data-category", "housing", null)));
        return s;
    }
}
