package dk.ipsbridge.validation;

import static dk.ipsbridge.testkit.fhir.IpsFixtures.careTeam;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.patient;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.config.ValidationSettings;
import dk.ipsbridge.config.ValidationSettings.Mode;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/**
 * The border check of one patient's resources: what the kit's EHR sends passes; a resource that decides and breaks
 * its profile is found, named without its values, and carried as an OperationOutcome; a changed resource is checked
 * again whatever its version says; mode off checks nothing.
 */
class BorderValidationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final BorderValidation ENFORCE = new BorderValidation(FHIR, new ValidationSettings(Mode.ENFORCE, 1000));

    @Test
    void shouldFindNothingWrongWithTheResourcesOfTheKitsEhr() {
        BorderValidation.Findings findings = ENFORCE.check(ValidationFixtures.valid());

        assertThat(findings.any()).as(findings.summary()).isFalse();
        assertThat(BorderValidation.roles(ValidationFixtures.valid())).hasSize(6);
    }

    @Test
    void shouldFindAConsentWithAnUnknownDataCategoryNamingLocationsButNoValue() {
        BorderValidation.Findings findings = ENFORCE.check(ValidationFixtures.withUnknownCategory());

        assertThat(findings.invalid()).singleElement().satisfies(i -> {
            assertThat(i.reference()).isEqualTo("Consent/c-1");
            assertThat(i.profile()).isEqualTo(IpsProfiles.CANONICAL + "ips-consent");
        });
        assertThat(findings.summary()).startsWith("Consent/c-1 fails ips-consent: ")
                .contains("Consent.provision.code[5]").doesNotContain("housing");
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, findings.operationOutcome());
        assertThat(outcome.getIssue()).isNotEmpty().allSatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics()).startsWith("Consent/c-1 (");
        });
        assertThat(outcome.getIssue()).anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("housing"));
    }

    @Test
    void shouldFindAConsentWithoutItsLoincCategoryAndAConsultantWithoutJobcenter() {
        Consent consent = ValidationFixtures.consentToJobcenter();
        consent.getCategory().removeIf(c -> c.getCodingFirstRep().getCode().equals("59284-0"));
        PatientSnapshot s = ValidationFixtures.snapshot(patient("p-1", "0101901234", "Ingrid", "Fiktivsen"), consent,
                referral("sr-1", "p-1", "psych-org", "jc-org", LocalDate.of(2026, 2, 1),
                        ServiceRequest.ServiceRequestStatus.ACTIVE),
                careTeam("ct-1", "p-1", "Practitioner/karen", null, null));

        assertThat(ENFORCE.check(s).invalid()).extracting(BorderValidation.Invalid::reference)
                .containsExactly("Consent/c-1", "CareTeam/ct-1");
    }

    /**
     * A newer withdrawal the EHR recorded without the consent scope: the gate does not read it as an IPS consent and
     * would decide on the older permit; the border takes it for an IPS consent by its category, finds it broken, and
     * so (in enforce) the patient shares nothing until the EHR mends it.
     */
    @Test
    void shouldFindANewerIpsConsentWithoutItsScopeThatTheGateWouldIgnore() {
        PatientSnapshot valid = ValidationFixtures.valid();
        Consent withdrawal = IpsFixtures.consent("c-2", "p-1").givenAt(ValidationFixtures.GIVEN.plusSeconds(86_400))
                .recipient("Organization/jc-org").rootType(Consent.ConsentProvisionType.DENY)
                .categories("contact").build();
        withdrawal.setScope(null);
        PatientSnapshot s = new PatientSnapshot("ehr", valid.patient(), List.of(valid.consents().get(0), withdrawal),
                valid.referrals(), valid.episodes(), valid.careTeams(), valid.appointments(), valid.goals(),
                valid.conditions(), valid.references());

        assertThat(ENFORCE.check(s).invalid()).extracting(BorderValidation.Invalid::reference)
                .containsExactly("Consent/c-2");
    }

    @Test
    void shouldCheckAChangedResourceAgainThoughItsVersionIsTheSame() {
        PatientSnapshot s = ValidationFixtures.valid();
        s.consents().get(0).getMeta().setVersionId("1");
        assertThat(ENFORCE.check(s).any()).isFalse();

        s.consents().get(0).setPolicyRule(null); // same id, same versionId, different content

        assertThat(ENFORCE.check(s).summary()).startsWith("Consent/c-1 fails ips-consent");
    }

    @Test
    void shouldCheckOnlyResourcesInAnIpsRole() {
        PatientSnapshot s = ValidationFixtures.valid();
        ServiceRequest other = IpsFixtures.referral("sr-other", "p-1", "psych-org", "jc-org", LocalDate.of(2026, 2, 1),
                ServiceRequest.ServiceRequestStatus.ACTIVE);
        other.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "183524004", null)));
        other.setIntent(null); // breaks R4 itself, but decides nothing
        PatientSnapshot withOther = new PatientSnapshot("ehr", s.patient(), s.consents(),
                List.of(s.referrals().get(0), other), s.episodes(), s.careTeams(), s.appointments(), s.goals(),
                s.conditions(), s.references());

        assertThat(BorderValidation.roles(withOther)).doesNotContainKey(other);
        assertThat(ENFORCE.check(withOther).any()).isFalse();
    }

    @Test
    void shouldCheckNothingWhenOff() {
        PatientSnapshot s = ValidationFixtures.valid();
        s.consents().get(0).setPolicyRule(null);

        BorderValidation off = new BorderValidation(FHIR, new ValidationSettings(Mode.OFF, 1000));

        assertThat(off.check(s)).isSameAs(BorderValidation.Findings.NONE);
        assertThat(ENFORCE.check(s).any()).isTrue();
    }
}
