package dk.ipsbridge.caserecord;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;

/**
 * Appointments with service type {@code ips#treatment-conference} that still take or took place to
 * {@code treatmentConferences}, earliest first; one without a start is left out, as {@code start} is required.
 */
final class ConferenceTranslator {

    List<IpsCaseRecord.Conference> translate(PatientSnapshot snapshot) {
        return snapshot.appointments().stream()
                .filter(a -> FhirValues.hasCoding(a.getServiceType(), IpsCodes.IPS_SYSTEM,
                        IpsCodes.TREATMENT_CONFERENCE))
                .filter(a -> takesPlace(a.getStatus()))
                .filter(Appointment::hasStart)
                .sorted(Comparator.comparing(Appointment::getStart))
                .map(a -> new IpsCaseRecord.Conference(FhirValues.dateTime(a.getStart()),
                        FhirValues.dateTime(a.getEnd()), location(snapshot, a)))
                .distinct()
                .toList();
    }

    /** The first participant that is a Location (its display, else its name) or has only a display. */
    private static String location(PatientSnapshot snapshot, Appointment appointment) {
        return appointment.getParticipant().stream()
                .map(Appointment.AppointmentParticipantComponent::getActor)
                .map(actor -> locationName(snapshot, appointment, actor))
                .filter(Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static String locationName(PatientSnapshot snapshot, Appointment appointment, Reference actor) {
        if (actor == null) {
            return null;
        }
        Optional<String> type = FhirValues.referencedType(actor);
        if (type.isEmpty() && !actor.hasReference()) {
            return FhirValues.text(actor.getDisplay());
        }
        if (!"Location".equals(type.orElse(null))) {
            return null;
        }
        return Optional.ofNullable(FhirValues.text(actor.getDisplay()))
                .or(() -> snapshot.resolve(actor, appointment).filter(Location.class::isInstance)
                        .map(Location.class::cast).map(Location::getName).map(FhirValues::text))
                .orElse(null);
    }

    static boolean takesPlace(Appointment.AppointmentStatus status) {
        if (status == null) {
            return true; // status is required in R4; an EHR that leaves it out still booked the conference
        }
        switch (status) {
            case PROPOSED, PENDING, BOOKED, ARRIVED, FULFILLED, CHECKEDIN, WAITLIST, NULL:
                return true;
            case CANCELLED, NOSHOW, ENTEREDINERROR:
                return false;
            default: // a code this version does not know
                return false;
        }
    }
}
