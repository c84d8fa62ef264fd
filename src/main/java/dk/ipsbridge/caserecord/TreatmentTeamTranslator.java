package dk.ipsbridge.caserecord;

import java.util.List;
import java.util.Objects;

import org.hl7.fhir.r4.model.CareTeam;

import dk.ipsbridge.ehr.IpsCodes;
import dk.ipsbridge.ehr.PatientSnapshot;

/**
 * The patient's current CareTeams to {@code treatmentTeam}: every Practitioner or PractitionerRole participant
 * except IPS consultants, with role, name and phone. Patients, relatives and organisations are not team members.
 */
final class TreatmentTeamTranslator {

    List<IpsCaseRecord.TeamMember> translate(PatientSnapshot snapshot, String consultantReference) {
        String consultant = consultantReference == null ? null : PatientSnapshot.key(consultantReference.strip());
        return snapshot.careTeams().stream()
                .filter(team -> isCurrent(team.getStatus()))
                .flatMap(team -> team.getParticipant().stream()
                        .filter(p -> !isConsultant(p, consultant))
                        .map(p -> People.person(snapshot, p.getMember(), team)
                                .map(person -> new IpsCaseRecord.TeamMember(role(p), person.name(), person.phone()))
                                .orElse(null)))
                .filter(Objects::nonNull)
                .filter(m -> m.name() != null || m.phone() != null)
                .distinct()
                .toList();
    }

    private static boolean isConsultant(CareTeam.CareTeamParticipantComponent participant, String consultant) {
        return FhirValues.hasCoding(participant.getRole(), IpsCodes.IPS_SYSTEM, IpsCodes.IPS_CONSULTANT)
                || consultant != null && participant.getMember().hasReference()
                        && consultant.equals(PatientSnapshot.key(participant.getMember().getReference()));
    }

    private static String role(CareTeam.CareTeamParticipantComponent participant) {
        return participant.getRole().stream().map(FhirValues::displayOrCode).filter(Objects::nonNull).findFirst()
                .orElse(null);
    }

    static boolean isCurrent(CareTeam.CareTeamStatus status) {
        if (status == null) {
            return true; // status is optional in R4: a team without one is taken as the current team
        }
        switch (status) {
            case ACTIVE, NULL:
                return true;
            case PROPOSED, SUSPENDED, INACTIVE, ENTEREDINERROR:
                return false;
            default: // a code this version does not know
                return false;
        }
    }
}
