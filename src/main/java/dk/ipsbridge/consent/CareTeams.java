package dk.ipsbridge.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;

/**
 * Who is in the patient's treatment team at an instant, and who of them is the IPS consultant for which jobcenter
 * (contract 1.1, C2 and C3). Only CareTeams with status {@code active} count, and in them only participants whose
 * {@code period} covers the instant (no period: current). A Practitioner and each of its PractitionerRoles are one
 * person.
 */
public final class CareTeams {

    /**
     * An IPS consultant's participation in an active CareTeam.
     *
     * @param member    the participant's member, {@code Practitioner/<id>} or {@code PractitionerRole/<id>}
     * @param person    who that is: the Practitioner, also behind a PractitionerRole that names one
     * @param jobcenter the configured jobcenter the consultant works for here, or null when the participant names
     *                  none (no {@code onBehalfOf}, no role organisation, or two that disagree): then a consultant for
     *                  no jobcenter
     */
    record Consultancy(String member, String person, String jobcenter, CareTeam team) {
    }

    /** A participant of the treatment team, with the CareTeam it is listed in (for contained references). */
    public record Member(CareTeamParticipantComponent participant, CareTeam team) {
    }

    private CareTeams() {
    }

    /**
     * The treatment team a case record lists (C3): the current participants of the active CareTeams that hold
     * {@code consultant} as a current IPS consultant, other than IPS consultants and the consultant in any other role.
     * Empty without a consultant.
     *
     * @param at the instant of the decision; null counts only participants without a period
     */
    public static List<Member> treatmentTeam(PatientSnapshot snapshot, String consultant, Instant at) {
        if (consultant == null) {
            return List.of();
        }
        String person = person(snapshot, PatientSnapshot.key(consultant));
        List<Member> team = new ArrayList<>();
        for (CareTeam careTeam : snapshot.careTeams()) {
            List<CareTeamParticipantComponent> current = current(careTeam, at);
            boolean holdsConsultant = current.stream().filter(CareTeams::isConsultant)
                    .anyMatch(p -> person.equals(person(snapshot, memberKey(snapshot, p.getMember()))));
            if (holdsConsultant) {
                current.stream().filter(p -> !isConsultant(p))
                        .filter(p -> !person.equals(person(snapshot, memberKey(snapshot, p.getMember()))))
                        .forEach(p -> team.add(new Member(p, careTeam)));
            }
        }
        return team;
    }

    /** The IPS consultants' participations current at {@code at}, in the patient's active CareTeams. */
    static List<Consultancy> consultancies(PatientSnapshot snapshot, Recipients recipients, Instant at) {
        List<Consultancy> found = new ArrayList<>();
        for (CareTeam team : snapshot.careTeams()) {
            for (CareTeamParticipantComponent p : current(team, at)) {
                String member = memberKey(snapshot, p.getMember());
                if (member != null && isConsultant(p)) {
                    found.add(new Consultancy(member, person(snapshot, member),
                            jobcenterOf(snapshot, recipients, p, member, team), team));
                }
            }
        }
        return found;
    }

    /**
     * The person behind {@code key}: a PractitionerRole that names its Practitioner is that Practitioner; any other
     * Practitioner or PractitionerRole is itself. Null stays null.
     */
    static String person(PatientSnapshot snapshot, String key) {
        if (key == null || !key.startsWith("PractitionerRole/")) {
            return key;
        }
        return snapshot.resolve(new Reference(key), null).filter(PractitionerRole.class::isInstance)
                .map(PractitionerRole.class::cast).map(r -> memberKey(snapshot, r.getPractitioner()))
                .filter(k -> k.startsWith("Practitioner/")).orElse(key);
    }

    private static List<CareTeamParticipantComponent> current(CareTeam team, Instant at) {
        if (!team.hasStatus() || team.getStatus() != CareTeam.CareTeamStatus.ACTIVE) {
            return List.of();
        }
        return team.getParticipant().stream()
                .filter(p -> !p.hasPeriod() || at != null && FhirTime.covers(p.getPeriod(), at))
                .toList();
    }

    // C2: onBehalfOf, or the PractitionerRole's organisation; both given and different is no jobcenter (fail closed)
    private static String jobcenterOf(PatientSnapshot snapshot, Recipients recipients, CareTeamParticipantComponent p,
            String member, CareTeam team) {
        Optional<String> onBehalfOf = p.hasOnBehalfOf() ? recipients.organisationJobcenter(p.getOnBehalfOf(), team)
                : Optional.empty();
        Optional<String> roleOrganisation = member.startsWith("PractitionerRole/")
                ? snapshot.resolve(p.getMember(), team).filter(PractitionerRole.class::isInstance)
                        .map(PractitionerRole.class::cast).filter(PractitionerRole::hasOrganization)
                        .flatMap(r -> recipients.organisationJobcenter(r.getOrganization(), r))
                : Optional.empty();
        boolean namedBoth = p.hasOnBehalfOf() && roleOrganisation.isPresent();
        if (namedBoth && !onBehalfOf.equals(roleOrganisation)) {
            return null;
        }
        return onBehalfOf.or(() -> roleOrganisation).orElse(null);
    }

    static boolean isConsultant(CareTeamParticipantComponent participant) {
        return participant.getRole().stream().anyMatch(CareTeams::isConsultantRole);
    }

    private static boolean isConsultantRole(CodeableConcept role) {
        return role.getCoding().stream().anyMatch(
                c -> IpsCodes.IPS_SYSTEM.equals(c.getSystem()) && IpsCodes.IPS_CONSULTANT.equals(c.getCode()));
    }

    /**
     * {@code Type/id} of a literal, non-contained reference, else null. An absolute reference to another server is
     * nobody here, even when a local resource has the same {@code Type/id} (C8; {@link PatientSnapshot#resolve}).
     */
    static String memberKey(PatientSnapshot snapshot, Reference member) {
        if (member == null || !member.hasReference() || member.getReference().startsWith("#")) {
            return null;
        }
        if (member.getReference().contains("://") && snapshot.resolve(member, null).isEmpty()) {
            return null;
        }
        return PatientSnapshot.key(member.getReference());
    }
}
