package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import dk.ipsbridge.testkit.fhir.IpsFixtures;

class ConferenceTranslatorTest {

    private final ConferenceTranslator translator = new ConferenceTranslator();

    @Test
    void shouldLeaveOutCancelledConference() {
        assertThat(translator.translate(CaseFixtures.rich())).containsExactly(new IpsCaseRecord.Conference(
                "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", "Psykiatrisk Center, lokale 2"));
    }

    @Test
    void shouldLeaveOutNoShowAndEnteredInErrorButKeepFulfilled() {
        Appointment noShow = conference("a1", "2026-03-01T09:00:00Z").setStatus(Appointment.AppointmentStatus.NOSHOW);
        Appointment error = conference("a2", "2026-03-02T09:00:00Z")
                .setStatus(Appointment.AppointmentStatus.ENTEREDINERROR);
        Appointment fulfilled = conference("a3", "2026-03-03T09:00:00Z")
                .setStatus(Appointment.AppointmentStatus.FULFILLED);

        assertThat(translator.translate(CaseFixtures.snapshot().appointment(noShow).appointment(error)
                .appointment(fulfilled).build())).extracting(IpsCaseRecord.Conference::start)
                .containsExactly("2026-03-03T09:00:00Z");
    }

    @Test
    void shouldSortByStartAndWriteOffsetTimesInUtc() {
        Appointment later = conference("a1", "2026-04-01T09:00:00Z");
        Appointment earlier = conference("a2", "2026-03-01T09:00:00Z");
        earlier.setStartElement(new org.hl7.fhir.r4.model.InstantType("2026-03-01T10:30:00+01:00"));
        earlier.setEnd(null);

        assertThat(translator.translate(CaseFixtures.snapshot().appointment(later).appointment(earlier).build()))
                .extracting(IpsCaseRecord.Conference::start, IpsCaseRecord.Conference::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-03-01T09:30:00Z", null),
                        org.assertj.core.groups.Tuple.tuple("2026-04-01T09:00:00Z", "2026-04-01T10:00:00Z"));
    }

    @Test
    void shouldTakeLocationFromALocationActorBeforeOthers() {
        Appointment a = conference("a1", "2026-03-01T09:00:00Z");
        a.getParticipant().clear();
        a.addParticipant().setActor(new Reference("Practitioner/pr-doc").setDisplay("Lene Læge"));
        a.addParticipant().setActor(new Reference("Location/loc1"));
        Location location = new Location();
        location.setId("loc1");
        location.setName("Jobcentret, mødelokale 4");

        assertThat(translator.translate(CaseFixtures.snapshot().appointment(a).reference(location).build()))
                .extracting(IpsCaseRecord.Conference::location).containsExactly("Jobcentret, mødelokale 4");
    }

    @Test
    void shouldOmitLocationWhenNoActorIsAPlace() {
        Appointment a = conference("a1", "2026-03-01T09:00:00Z");
        a.getParticipant().remove(1);

        assertThat(translator.translate(CaseFixtures.snapshot().appointment(a).build()))
                .extracting(IpsCaseRecord.Conference::location).containsExactly((String) null);
    }

    @Test
    void shouldIgnoreOtherAppointmentsAndOnesWithoutStart() {
        Appointment other = conference("a1", "2026-03-01T09:00:00Z");
        other.getServiceTypeFirstRep().getCodingFirstRep().setCode("consultation");
        Appointment noStart = conference("a2", "2026-03-01T09:00:00Z");
        noStart.setStart(null);

        assertThat(translator.translate(CaseFixtures.snapshot().appointment(other).appointment(noStart).build()))
                .isEmpty();
    }

    private static Appointment conference(String id, String start) {
        Instant s = new DateTimeType(start).getValue().toInstant();
        return IpsFixtures.conference(id, "p1", s, s.plusSeconds(3600));
    }
}
