package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.junit.jupiter.api.Test;

import dk.ipsbridge.testkit.fhir.IpsFixtures;

class DiagnosisTranslatorTest {

    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";

    private final DiagnosisTranslator translator = new DiagnosisTranslator();

    @Test
    void shouldListEachConditionsCoding() {
        Condition twoCodings = IpsFixtures.diagnosis("c3", "p1", "F60.3", "Emotionelt ustabil personlighedsstruktur",
                false);
        twoCodings.getCode().addCoding(new Coding("urn:oid:1.2.208.176.2.4", "DF603", null));

        assertThat(translator.translate(CaseFixtures.snapshot().condition(CaseFixtures.conditions().get(0))
                .condition(twoCodings).build())).containsExactly(
                        new IpsCaseRecord.Diagnosis(ICD10, "F20.0", "Paranoid skizofreni"),
                        new IpsCaseRecord.Diagnosis(ICD10, "F60.3", "Emotionelt ustabil personlighedsstruktur"),
                        new IpsCaseRecord.Diagnosis("urn:oid:1.2.208.176.2.4", "DF603", null));
    }

    @Test
    void shouldSkipEnteredInErrorAndRefutedConditionsButKeepProvisional() {
        Condition error = verified("c1", "F20.0", "entered-in-error");
        Condition refuted = verified("c2", "F31.1", "refuted");
        Condition provisional = verified("c3", "F32.1", "provisional");

        assertThat(translator.translate(CaseFixtures.snapshot().condition(error).condition(refuted)
                .condition(provisional).build())).extracting(IpsCaseRecord.Diagnosis::code).containsExactly("F32.1");
    }

    @Test
    void shouldBeEmptyWithoutConditions() {
        assertThat(translator.translate(CaseFixtures.snapshot().build())).isEmpty();
    }

    private static Condition verified(String id, String code, String status) {
        Condition c = IpsFixtures.diagnosis(id, "p1", code, null, true);
        c.setVerificationStatus(new CodeableConcept(new Coding(DiagnosisTranslator.VERIFICATION_SYSTEM, status, null)));
        return c;
    }
}
