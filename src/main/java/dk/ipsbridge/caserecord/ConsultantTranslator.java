package dk.ipsbridge.caserecord;

import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Reference;

/**
 * The IPS consultant the gate found ({@code Practitioner/..} or {@code PractitionerRole/..}) to {@code consultant}:
 * id = the practitioner's first identifier, else the reference; name when known.
 */
final class ConsultantTranslator {

    IpsCaseRecord.Consultant translate(PatientSnapshot snapshot, String consultantReference) {
        if (FhirValues.text(consultantReference) == null) {
            return null;
        }
        String reference = PatientSnapshot.key(consultantReference.strip());
        return People.person(snapshot, new Reference(reference), null)
                .map(p -> new IpsCaseRecord.Consultant(p.identifier() != null ? p.identifier() : reference, p.name()))
                .orElseGet(() -> new IpsCaseRecord.Consultant(reference, null));
    }
}
