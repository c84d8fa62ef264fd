package dk.ipsbridge.caserecord;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dk.ipsbridge.consent.CareTeams;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.CareTeam;

/**
 * The treatment team to {@code treatmentTeam} (contract 1.1, C3): the current participants of the active CareTeams
 * that hold the patient's IPS consultant, except IPS consultants, with role, name and phone. Patients, relatives and
 * organisations are not team members.
 */
final class TreatmentTeamTranslator {

    List<IpsCaseRecord.TeamMember> translate(PatientSnapshot snapshot, String consultantReference, Instant at) {
        String consultant = consultantReference == null ? null : consultantReference.strip();
        return CareTeams.treatmentTeam(snapshot, consultant, at).stream()
                .map(m -> People.person(snapshot, m.participant().getMember(), m.team())
                        .map(person -> new IpsCaseRecord.TeamMember(role(m.participant()), person.name(),
                                person.phone()))
                        .orElse(null))
                .filter(Objects::nonNull)
                .filter(m -> m.name() != null || m.phone() != null)
                .distinct()
                .toList();
    }

    private static String role(CareTeam.CareTeamParticipantComponent participant) {
        return participant.getRole().stream().map(FhirValues::displayOrCode).filter(Objects::nonNull).findFirst()
                .orElse(null);
    }
}
