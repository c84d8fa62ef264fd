package dk.ipsbridge.caserecord;

import static dk.ipsbridge.testkit.fhir.IpsFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import dk.ipsbridge.testkit.fhir.IpsFixtures;

class TreatmentTeamTranslatorTest {

    private final TreatmentTeamTranslator translator = new TreatmentTeamTranslator();

    @Test
    void shouldListMembersOtherThanTheConsultantWithRoleDisplayOrCode() {
        assertThat(translator.translate(CaseFixtures.rich(), CaseFixtures.CONSULTANT)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Lene Læge", "+45 30 00 00 02"),
                new IpsCaseRecord.TeamMember("224535009", "Ole Olsen", "+45 30 00 00 03"));
    }

    @Test
    void shouldLeaveOutAnyIpsConsultantEvenOneTheGateDidNotName() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", "Practitioner/pr-doc", "jc-aarhus", null, "pr-nurse");

        assertThat(translator.translate(CaseFixtures.snapshot().careTeam(team).build(), null)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Ole Olsen", "+45 30 00 00 03"));
    }

    @Test
    void shouldLeaveOutTheNamedConsultantWhateverRoleItHas() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", null, null, null, "pr-cons", "pr-doc");

        assertThat(translator.translate(CaseFixtures.snapshot().careTeam(team).build(), "Practitioner/pr-cons"))
                .extracting(IpsCaseRecord.TeamMember::name).containsExactly("Lene Læge");
    }

    @Test
    void shouldSkipPatientRelativeAndOrganizationParticipants() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", null, null, null, "pr-doc");
        team.addParticipant().setMember(ref("Patient", "p1"));
        team.addParticipant().setMember(new Reference("RelatedPerson/rp1").setDisplay("Mor"));
        team.addParticipant().setMember(ref("Organization", "org-psyk"));
        team.addParticipant().setMember(new Reference().setDisplay("Ukendt"));

        assertThat(translator.translate(CaseFixtures.snapshot().careTeam(team).build(), null)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Lene Læge", "+45 30 00 00 02"));
    }

    @Test
    void shouldUseReferenceDisplayForAPractitionerThatWasNotRead() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", null, null, null);
        team.addParticipant().setMember(new Reference("Practitioner/gone").setDisplay("Per Psykolog"))
                .addRole(new CodeableConcept().setText("Psykolog"));

        assertThat(translator.translate(CaseFixtures.snapshot().careTeam(team).build(), null)).containsExactly(
                new IpsCaseRecord.TeamMember("Psykolog", "Per Psykolog", null));
    }

    @Test
    void shouldIgnoreInactiveAndEnteredInErrorTeamsAndListAMemberOnce() {
        CareTeam inactive = IpsFixtures.careTeam("ct0", "p1", null, null, null, "pr-nurse");
        inactive.setStatus(CareTeam.CareTeamStatus.INACTIVE);
        CareTeam error = IpsFixtures.careTeam("ct9", "p1", null, null, null, "pr-nurse");
        error.setStatus(CareTeam.CareTeamStatus.ENTEREDINERROR);
        CareTeam current = IpsFixtures.careTeam("ct1", "p1", null, null, null, "pr-doc");
        CareTeam again = IpsFixtures.careTeam("ct2", "p1", null, null, null, "pr-doc");

        assertThat(translator.translate(CaseFixtures.snapshot().careTeam(inactive).careTeam(error).careTeam(current)
                .careTeam(again).build(), null)).containsExactly(
                        new IpsCaseRecord.TeamMember("Physician", "Lene Læge", "+45 30 00 00 02"));
    }

    @Test
    void shouldTakeNameFromPractitionerAndPhoneFromRoleForAPractitionerRoleMember() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", null, null, null);
        team.addParticipant().setMember(ref("PractitionerRole", "role-doc"))
                .addRole(new CodeableConcept(new Coding("http://snomed.info/sct", "309343006", "Physician")));
        var snapshot = CaseFixtures.snapshot().careTeam(team).build();
        ((org.hl7.fhir.r4.model.PractitionerRole) snapshot.references().get("PractitionerRole/role-doc"))
                .addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE)
                .setValue("+45 78 47 00 00");

        assertThat(translator.translate(snapshot, null)).containsExactly(
                new IpsCaseRecord.TeamMember("Physician", "Lene Læge", "+45 78 47 00 00"));
    }
}
