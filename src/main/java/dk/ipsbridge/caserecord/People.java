package dk.ipsbridge.caserecord;

import java.util.Optional;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Resolves a reference to a Practitioner or PractitionerRole into the person the case record names. */
final class People {

    /**
     * A person: the Practitioner when it could be read, and name, phone and email (each may be null). For a
     * PractitionerRole, the role's own telecom comes before the practitioner's.
     */
    record Person(Practitioner practitioner, String name, String phone, String email) {

        @Override
        public String toString() {
            return Redacted.toString(this, "name", "phone", "email");
        }

        /** The practitioner's first identifier value, or null. */
        String identifier() {
            return practitioner == null ? null
                    : practitioner.getIdentifier().stream().map(Identifier::getValue).map(FhirValues::text)
                            .filter(v -> v != null).findFirst().orElse(null);
        }
    }

    private People() {
    }

    /**
     * The person {@code reference} points at when it is a Practitioner or PractitionerRole; empty for any other
     * type (Patient, RelatedPerson, Organization, CareTeam...) and for a reference with neither target nor display.
     */
    static Optional<Person> person(PatientSnapshot snapshot, Reference reference, Resource container) {
        String type = FhirValues.referencedType(reference).orElse(null);
        Optional<Resource> target = snapshot.resolve(reference, container);
        if (type == null && target.isPresent()) {
            type = target.get().fhirType();
        }
        if (type == null) {
            return Optional.empty();
        }
        switch (type) {
            case "Practitioner":
                return target.filter(Practitioner.class::isInstance).map(Practitioner.class::cast)
                        .map(People::ofPractitioner)
                        .or(() -> displayOnly(reference));
            case "PractitionerRole":
                return target.filter(PractitionerRole.class::isInstance).map(PractitionerRole.class::cast)
                        .map(role -> ofRole(snapshot, role))
                        .or(() -> displayOnly(reference));
            default:
                return Optional.empty();
        }
    }

    private static Person ofPractitioner(Practitioner p) {
        return new Person(p, FhirValues.fullName(FhirValues.preferredName(p.getName())), FhirValues.phone(p.getTelecom()),
                FhirValues.email(p.getTelecom()));
    }

    private static Person ofRole(PatientSnapshot snapshot, PractitionerRole role) {
        Optional<Person> practitioner = snapshot.resolve(role.getPractitioner(), role)
                .filter(Practitioner.class::isInstance).map(Practitioner.class::cast).map(People::ofPractitioner)
                .or(() -> displayOnly(role.getPractitioner()));
        String name = practitioner.map(Person::name).orElse(null);
        String phone = Optional.ofNullable(FhirValues.phone(role.getTelecom()))
                .orElse(practitioner.map(Person::phone).orElse(null));
        String email = Optional.ofNullable(FhirValues.email(role.getTelecom()))
                .orElse(practitioner.map(Person::email).orElse(null));
        return new Person(practitioner.map(Person::practitioner).orElse(null), name, phone, email);
    }

    private static Optional<Person> displayOnly(Reference reference) {
        return Optional.ofNullable(reference).map(Reference::getDisplay).map(FhirValues::text)
                .map(display -> new Person(null, display, null, null));
    }
}
