package dk.ipsbridge.caserecord;

import static dk.ipsbridge.caserecord.FhirValues.text;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/** Patient to {@code citizen}: identity always, phone, email and address only when contact details are shared. */
final class CitizenTranslator {

    private static final Pattern CPR = Pattern.compile("[0-9]{10}");

    /**
     * The citizen: the one usable CPR number (C1), and the name: given and family name; a single name as
     * {@code familyName} alone; only a {@code text} as {@code familyName} (C4).
     *
     * @throws IllegalArgumentException when the identity the contract requires (one usable 10-digit CPR number, a
     *                                  name) is missing; the message names the Patient id only
     */
    IpsCaseRecord.Citizen translate(PatientSnapshot snapshot, boolean withContact) {
        Patient patient = snapshot.patient();
        String cpr = snapshot.cpr().orElse(null);
        if (cpr == null || !CPR.matcher(cpr).matches()) {
            throw new IllegalArgumentException(id(patient) + " has no single usable 10-digit CPR identifier");
        }
        HumanName name = FhirValues.preferredName(patient.getName());
        String given = FhirValues.givenNames(name);
        String family = name == null ? null : text(name.getFamily());
        if (family == null) {
            // a single name, or only a text: that is the family name, and nothing is given
            family = given != null ? given : name == null ? null : text(name.getText());
            given = null;
        }
        if (family == null) {
            throw new IllegalArgumentException(id(patient) + " has no name");
        }
        if (!withContact) {
            return new IpsCaseRecord.Citizen(cpr, given, family);
        }
        return new IpsCaseRecord.Citizen(cpr, given, family, FhirValues.phone(patient.getTelecom()),
                FhirValues.email(patient.getTelecom()), address(patient.getAddress()));
    }

    /** The home address if one is marked, else the first that is not old; null when there is none or it is empty. */
    private static IpsCaseRecord.Address address(List<Address> addresses) {
        Address chosen = addresses.stream().filter(a -> a.getUse() == Address.AddressUse.HOME).findFirst()
                .or(() -> addresses.stream().filter(a -> a.getUse() != Address.AddressUse.OLD).findFirst())
                .orElse(null);
        if (chosen == null) {
            return null;
        }
        String line = text(chosen.getLine().stream().map(StringType::getValue).map(FhirValues::text)
                .filter(s -> s != null).collect(Collectors.joining(", ")));
        IpsCaseRecord.Address address = new IpsCaseRecord.Address(line, text(chosen.getPostalCode()),
                text(chosen.getCity()), municipalityCode(chosen));
        return address.equals(new IpsCaseRecord.Address(null, null, null, null)) ? null : address;
    }

    private static String municipalityCode(Address address) {
        Extension extension = address.getExtensionByUrl(IpsCodes.MUNICIPALITY_EXTENSION);
        if (extension == null) {
            return null;
        }
        if (extension.getValue() instanceof CodeableConcept concept) {
            return concept.getCoding().stream().map(Coding::getCode).map(FhirValues::text).filter(s -> s != null)
                    .findFirst().orElse(null);
        }
        if (extension.getValue() instanceof Coding coding) {
            return text(coding.getCode());
        }
        return null;
    }

    private static String id(Patient patient) {
        return "Patient/" + patient.getIdElement().getIdPart();
    }
}
