package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.PractitionerRole;
import org.junit.jupiter.api.Test;

import dk.ipsbridge.testkit.fhir.IpsFixtures;

class ConsultantTranslatorTest {

    private final ConsultantTranslator translator = new ConsultantTranslator();

    @Test
    void shouldUsePractitionersFirstIdentifierAndName() {
        assertThat(translator.translate(CaseFixtures.snapshot().build(), "Practitioner/pr-cons"))
                .isEqualTo(new IpsCaseRecord.Consultant("AUT-pr-cons", "Kim Konsulent"));
    }

    @Test
    void shouldResolveThePractitionerOfAPractitionerRole() {
        PractitionerRole role = IpsFixtures.practitionerRole("role-cons", "pr-cons", "jc-aarhus");

        assertThat(translator.translate(CaseFixtures.snapshot().reference(role).build(), "PractitionerRole/role-cons"))
                .isEqualTo(new IpsCaseRecord.Consultant("AUT-pr-cons", "Kim Konsulent"));
    }

    @Test
    void shouldFallBackToTheReferenceWhenThePractitionerWasNotRead() {
        assertThat(translator.translate(CaseFixtures.snapshot().without("Practitioner/pr-cons").build(),
                "Practitioner/pr-cons")).isEqualTo(new IpsCaseRecord.Consultant("Practitioner/pr-cons", null));
    }

    @Test
    void shouldFallBackToTheReferenceWhenThePractitionerHasNoIdentifier() {
        var snapshot = CaseFixtures.snapshot().build();
        ((org.hl7.fhir.r4.model.Practitioner) snapshot.references().get("Practitioner/pr-cons")).getIdentifier()
                .clear();

        assertThat(translator.translate(snapshot, "Practitioner/pr-cons"))
                .isEqualTo(new IpsCaseRecord.Consultant("Practitioner/pr-cons", "Kim Konsulent"));
    }

    @Test
    void shouldBeAbsentWithoutConsultant() {
        assertThat(translator.translate(CaseFixtures.snapshot().build(), null)).isNull();
    }
}
