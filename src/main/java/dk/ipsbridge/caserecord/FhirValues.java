package dk.ipsbridge.caserecord;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** Reads FHIR datatypes into the plain strings of the case record; blank becomes null. */
final class FhirValues {

    /** The zone a FHIR date-time is read in when only its date is shared: where the EHR and the citizen are. */
    static final ZoneId DANISH_TIME = dk.ipsbridge.patient.IpsCodes.DANISH_TIME;

    private FhirValues() {
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The date of a FHIR date or date-time as {@code yyyy-MM-dd}; null when absent or less precise than a day. */
    static String date(BaseDateTimeType value) {
        if (value == null || value.getValue() == null) {
            return null;
        }
        switch (value.getPrecision()) {
            case YEAR, MONTH:
                return null;
            case DAY:
                // a plain date has no zone: take it as written
                return LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay()).toString();
            default:
                return value.getValue().toInstant().atZone(DANISH_TIME).toLocalDate().toString();
        }
    }

    /** A java date-time as ISO-8601 in UTC, to the second ({@code 2026-03-01T09:00:00Z}); null when absent. */
    static String dateTime(java.util.Date value) {
        if (value == null) {
            return null;
        }
        return Instant.ofEpochMilli(value.getTime()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The official name, else the first name; null when there is none. */
    static HumanName preferredName(List<HumanName> names) {
        return names.stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .or(() -> names.stream().findFirst()).orElse(null);
    }

    /** Given names joined by a space; null when there are none. */
    static String givenNames(HumanName name) {
        if (name == null) {
            return null;
        }
        return text(name.getGiven().stream().map(StringType::getValue).map(FhirValues::text)
                .filter(s -> s != null).collect(Collectors.joining(" ")));
    }

    /** A person's name for display: {@code text} when recorded, else given names and family name. */
    static String fullName(HumanName name) {
        if (name == null) {
            return null;
        }
        if (text(name.getText()) != null) {
            return text(name.getText());
        }
        return text(Stream.of(givenNames(name), text(name.getFamily())).filter(s -> s != null)
                .collect(Collectors.joining(" ")));
    }

    /**
     * The value of the best current contact point of {@code system}: not {@code use = old}, lowest rank first (an
     * unranked one after the ranked), in recorded order otherwise.
     */
    static String contactPoint(List<ContactPoint> telecom, ContactPoint.ContactPointSystem system) {
        return telecom.stream()
                .filter(c -> c.getSystem() == system)
                .filter(c -> c.getUse() != ContactPoint.ContactPointUse.OLD)
                .filter(c -> text(c.getValue()) != null)
                .min(Comparator.comparingInt(c -> c.hasRank() ? c.getRank() : Integer.MAX_VALUE))
                .map(c -> text(c.getValue()))
                .orElse(null);
    }

    static String phone(List<ContactPoint> telecom) {
        return contactPoint(telecom, ContactPoint.ContactPointSystem.PHONE);
    }

    static String email(List<ContactPoint> telecom) {
        return contactPoint(telecom, ContactPoint.ContactPointSystem.EMAIL);
    }

    /** The value of the first identifier of {@code system}; null when there is none. */
    static String identifier(List<Identifier> identifiers, String system) {
        return identifiers.stream().filter(i -> system.equals(i.getSystem())).map(i -> text(i.getValue()))
                .filter(v -> v != null).findFirst().orElse(null);
    }

    static boolean hasCoding(List<CodeableConcept> concepts, String system, String code) {
        return concepts.stream().anyMatch(c -> hasCoding(c, system, code));
    }

    static boolean hasCoding(CodeableConcept concept, String system, String code) {
        return concept != null && concept.getCoding().stream()
                .anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    /** The display of the first coding that has one, else the first code, else the text; null when none. */
    static String displayOrCode(CodeableConcept concept) {
        if (concept == null) {
            return null;
        }
        return concept.getCoding().stream().map(Coding::getDisplay).map(FhirValues::text).filter(s -> s != null)
                .findFirst()
                .or(() -> concept.getCoding().stream().map(Coding::getCode).map(FhirValues::text)
                        .filter(s -> s != null).findFirst())
                .orElse(text(concept.getText()));
    }

    /** The resource type a reference points at: from {@code Reference.type}, else from a literal {@code Type/id}. */
    static Optional<String> referencedType(Reference reference) {
        if (reference == null) {
            return Optional.empty();
        }
        if (text(reference.getType()) != null) {
            String type = reference.getType();
            return Optional.of(type.substring(type.lastIndexOf('/') + 1));
        }
        if (reference.hasReference() && !reference.getReference().startsWith("#")) {
            String key = dk.ipsbridge.patient.PatientSnapshot.key(reference.getReference());
            int slash = key.indexOf('/');
            if (slash > 0) {
                return Optional.of(key.substring(0, slash));
            }
        }
        return Optional.empty();
    }
}
