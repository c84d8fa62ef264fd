package dk.ipsbridge.caserecord;

import static dk.ipsbridge.caserecord.CaseFixtures.NOW;
import static dk.ipsbridge.testkit.fhir.IpsFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class TreatmentTeamTranslatorTest {

    private final TreatmentTeamTranslator translator = new TreatmentTeamTranslator();

    @Test
    void shouldListMembersOtherThanTheConsultantWithRoleDisplayOrCode() {
        assertThat(translator.translate(CaseFixtures.rich(), CaseFixtures.CONSULTANT, NOW)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Lene Læge", "+45 30 00 00 02"),
                new IpsCaseRecord.TeamMember("224535009", "Ole Olsen", "+45 30 00 00 03"));
    }

    @Test
    void shouldLeaveOutAnyIpsConsultantEvenOneTheGateDidNotName() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", "Practitioner/pr-doc", "jc-aarhus", null, "pr-nurse");
        withConsultant(team);

        assertThat(translate(team)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Ole Olsen", "+45 30 00 00 03"));
    }

    @Test
    void shouldLeaveOutTheNamedConsultantWhateverRoleItHas() {
        CareTeam team = withConsultant(IpsFixtures.careTeam("ct1", "p1", null, null, null, "pr-cons", "pr-doc"));

        assertThat(translator.translate(CaseFixtures.snapshot().careTeam(team).build(), "Practitioner/pr-cons", NOW))
                .extracting(IpsCaseRecord.TeamMember::name).containsExactly("Lene Læge");
    }

    @Test
    void shouldSkipPatientRelativeAndOrganizationParticipants() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", null, null, null, "pr-doc");
        team.addParticipant().setMember(ref("Patient", "p1"));
        team.addParticipant().setMember(new Reference("RelatedPerson/rp1").setDisplay("Mor"));
        team.addParticipant().setMember(ref("Organization", "org-psyk"));
        team.addParticipant().setMember(new Reference().setDisplay("Ukendt"));
        withConsultant(team);

        assertThat(translate(team)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Lene Læge", "+45 30 00 00 02"));
    }

    @Test
    void shouldUseReferenceDisplayForAPractitionerThatWasNotRead() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", null, null, null);
        team.addParticipant().setMember(new Reference("Practitioner/gone").setDisplay("Per Psykolog"))
                .addRole(new CodeableConcept().setText("Psykolog"));
        withConsultant(team);

        assertThat(translate(team)).containsExactly(
                new IpsCaseRecord.TeamMember("Psykolog", "Per Psykolog", null));
    }

    @Test
    void shouldIgnoreInactiveAndEnteredInErrorTeamsAndListAMemberOnce() {
        CareTeam inactive = withConsultant(IpsFixtures.careTeam("ct0", "p1", null, null, null, "pr-nurse"));
        inactive.setStatus(CareTeam.CareTeamStatus.INACTIVE);
        CareTeam error = withConsultant(IpsFixtures.careTeam("ct9", "p1", null, null, null, "pr-nurse"));
        error.setStatus(CareTeam.CareTeamStatus.ENTEREDINERROR);
        CareTeam noStatus = withConsultant(IpsFixtures.careTeam("ct8", "p1", null, null, null, "pr-nurse"));
        noStatus.setStatus(null);
        CareTeam current = withConsultant(IpsFixtures.careTeam("ct1", "p1", null, null, null, "pr-doc"));
        CareTeam again = withConsultant(IpsFixtures.careTeam("ct2", "p1", null, null, null, "pr-doc"));

        assertThat(translate(inactive, error, noStatus, current, again)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Lene Læge", "+45 30 00 00 02"));
    }

    // C3: a participant whose period has ended, or not yet begun, is not in the team
    @Test
    void shouldListOnlyParticipantsCurrentAtTheDecision() {
        CareTeam team = withConsultant(IpsFixtures.careTeam("ct1", "p1", null, null, null, "pr-doc", "pr-nurse"));
        team.getParticipant().get(0).setPeriod(new Period().setEnd(Date.from(NOW.minusSeconds(60))));
        team.getParticipant().get(1).setPeriod(new Period().setStart(Date.from(NOW.plusSeconds(3600))));

        assertThat(translate(team)).isEmpty();
    }

    // C3: the team is the CareTeam(s) the consultant is currently in, not every CareTeam of the patient
    @Test
    void shouldLeaveOutTeamsThatDoNotHoldTheConsultant() {
        CareTeam other = IpsFixtures.careTeam("ct0", "p1", null, null, null, "pr-nurse");
        CareTeam formerly = withConsultant(IpsFixtures.careTeam("ct1", "p1", null, null, null, "pr-nurse"));
        formerly.getParticipant().get(1).setPeriod(new Period().setEnd(Date.from(NOW.minusSeconds(60))));
        CareTeam current = withConsultant(IpsFixtures.careTeam("ct2", "p1", null, null, null, "pr-doc"));

        assertThat(translate(other, formerly, current)).extracting(IpsCaseRecord.TeamMember::name)
                .containsExactly("Lene Læge");
        assertThat(translator.translate(CaseFixtures.snapshot().careTeam(current).build(), null, NOW)).isEmpty();
    }

    @Test
    void shouldTakeNameFromPractitionerAndPhoneFromRoleForAPractitionerRoleMember() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", null, null, null);
        team.addParticipant().setMember(ref("PractitionerRole", "role-doc"))
                .addRole(new CodeableConcept(new Coding("http://snomed.info/sct", "309343006", "Physician")));
        withConsultant(team);
        var snapshot = CaseFixtures.snapshot().careTeam(team).build();
        ((org.hl7.fhir.r4.model.PractitionerRole) snapshot.references().get("PractitionerRole/role-doc"))
                .addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE)
                .setValue("+45 78 47 00 00");

        assertThat(translator.translate(snapshot, CaseFixtures.CONSULTANT, NOW)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Lene Læge", "+45 78 47 00 00"));
    }

    private List<IpsCaseRecord.TeamMember> translate(CareTeam... teams) {
        CaseFixtures.Builder snapshot = CaseFixtures.snapshot();
        for (CareTeam team : teams) {
            snapshot.careTeam(team);
        }
        return translator.translate(snapshot.build(), CaseFixtures.CONSULTANT, NOW);
    }

    /** Puts the case's consultant into {@code team}, as its last participant. */
    private static CareTeam withConsultant(CareTeam team) {
        team.addParticipant().setMember(new Reference(CaseFixtures.CONSULTANT)).addRole(new CodeableConcept(
                new Coding(IpsCodes.IPS_SYSTEM, IpsCodes.IPS_CONSULTANT, "IPS consultant")));
        return team;
    }
}
