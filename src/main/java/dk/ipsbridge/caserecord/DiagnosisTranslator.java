package dk.ipsbridge.caserecord;

import java.util.List;

import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;

/**
 * The snapshot's Conditions to {@code diagnoses}, one entry per coding; a Condition recorded in error or refuted is
 * not a diagnosis and is left out.
 */
final class DiagnosisTranslator {

    static final String VERIFICATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

    List<IpsCaseRecord.Diagnosis> translate(PatientSnapshot snapshot) {
        return snapshot.conditions().stream()
                .filter(DiagnosisTranslator::isDiagnosis)
                .flatMap(c -> c.getCode().getCoding().stream())
                .map(DiagnosisTranslator::diagnosis)
                .filter(d -> d.code() != null || d.display() != null)
                .distinct()
                .toList();
    }

    private static IpsCaseRecord.Diagnosis diagnosis(Coding coding) {
        return new IpsCaseRecord.Diagnosis(FhirValues.text(coding.getSystem()), FhirValues.text(coding.getCode()),
                FhirValues.text(coding.getDisplay()));
    }

    private static boolean isDiagnosis(Condition condition) {
        CodeableConcept verification = condition.getVerificationStatus();
        return verification.getCoding().stream()
                .filter(c -> c.getSystem() == null || VERIFICATION_SYSTEM.equals(c.getSystem()))
                .allMatch(c -> counts(c.getCode()));
    }

    static boolean counts(String verificationStatus) {
        if (verificationStatus == null) {
            return true;
        }
        switch (verificationStatus) {
            case "confirmed", "provisional", "differential", "unconfirmed":
                return true;
            case "refuted", "entered-in-error":
                return false;
            default: // a code the value set does not have: shared as recorded
                return true;
        }
    }
}
