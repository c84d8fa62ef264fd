package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class CitizenTranslatorTest {

    private final CitizenTranslator translator = new CitizenTranslator();

    @Test
    void shouldShareIdentityOnlyWithoutContactCategory() {
        assertThat(translator.translate(of(CaseFixtures.patient()), false))
                .isEqualTo(new IpsCaseRecord.Citizen("0101901234", "Anna Marie", "Jensen", null, null, null));
    }

    @Test
    void shouldSharePhoneEmailAndAddressWithContactCategory() {
        assertThat(translator.translate(of(CaseFixtures.patient()), true)).isEqualTo(new IpsCaseRecord.Citizen(
                "0101901234", "Anna Marie", "Jensen", "+45 20 11 22 33", "p1@example.invalid",
                new IpsCaseRecord.Address("Testvej 12, 2. tv", "8000", "Aarhus C", "0751")));
    }

    @Test
    void shouldTakeTheOfficialNameBeforeAnEarlierOne() {
        Patient p = CaseFixtures.patient();
        p.getName().add(0, new HumanName().setUse(HumanName.NameUse.NICKNAME).setFamily("J").addGiven("Annie"));

        IpsCaseRecord.Citizen citizen = translator.translate(of(p), false);

        assertThat(citizen.givenName()).isEqualTo("Anna Marie");
        assertThat(citizen.familyName()).isEqualTo("Jensen");
    }

    @Test
    void shouldTakeTheFirstNameWhenNoneIsOfficial() {
        Patient p = CaseFixtures.patient();
        p.getName().clear();
        p.addName().setFamily("Hansen").addGiven("Bo");
        p.addName().setFamily("Other").addGiven("X");

        IpsCaseRecord.Citizen citizen = translator.translate(of(p), false);

        assertThat(citizen.givenName()).isEqualTo("Bo");
        assertThat(citizen.familyName()).isEqualTo("Hansen");
    }

    @Test
    void shouldOmitMissingContactDetailsRatherThanWriteEmptyStrings() {
        Patient p = IpsFixtures.patient("p2", "0202902345", "Bo", "Hansen");
        p.getTelecom().clear();
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("  ");
        p.getAddress().clear();
        p.addAddress().setCity("");

        assertThat(translator.translate(of(p), true))
                .isEqualTo(new IpsCaseRecord.Citizen("0202902345", "Bo", "Hansen", null, null, null));
    }

    @Test
    void shouldSkipOldPhoneAndPreferLowestRank() {
        Patient p = CaseFixtures.patient();
        p.getTelecom().clear();
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+45 1").setUse(
                ContactPoint.ContactPointUse.OLD).setRank(1);
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+45 2");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+45 3").setRank(2);

        assertThat(translator.translate(of(p), true).phone()).isEqualTo("+45 3");
    }

    @Test
    void shouldPreferHomeAddressAndReadMunicipalityFromItsExtension() {
        Patient p = CaseFixtures.patient();
        p.getAddress().add(0, new Address().setUse(Address.AddressUse.WORK).addLine("Arbejdsvej 1"));
        p.getAddress().get(1).setUse(Address.AddressUse.HOME);

        assertThat(translator.translate(of(p), true).address())
                .isEqualTo(new IpsCaseRecord.Address("Testvej 12, 2. tv", "8000", "Aarhus C", "0751"));
    }

    @Test
    void shouldRejectPatientWithOnlyAReplacementNumberWithoutNamingThePatient() {
        Patient p = IpsFixtures.patientWithReplacementNumber("p3", "0101XY1234", "Carl", "Carlsen");

        assertThatThrownBy(() -> translator.translate(of(p), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Patient/p3 has no single usable 10-digit CPR identifier");
    }

    @Test
    void shouldSendASingleNameAsFamilyNameWithoutGivenName() { // C4
        Patient p = CaseFixtures.patient();
        p.getNameFirstRep().setFamily(null);

        IpsCaseRecord.Citizen citizen = translator.translate(of(p), false);

        assertThat(citizen.givenName()).isNull();
        assertThat(citizen.familyName()).isEqualTo("Anna Marie");
    }

    @Test
    void shouldSendANameKnownOnlyAsTextAsFamilyName() { // C4
        Patient p = CaseFixtures.patient();
        p.getName().clear();
        p.addName().setText("Anna Marie Jensen");

        IpsCaseRecord.Citizen citizen = translator.translate(of(p), false);

        assertThat(citizen.givenName()).isNull();
        assertThat(citizen.familyName()).isEqualTo("Anna Marie Jensen");
    }

    @Test
    void shouldRejectPatientWithoutAnyName() {
        Patient p = CaseFixtures.patient();
        p.getName().clear();

        assertThatThrownBy(() -> translator.translate(of(p), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Patient/p1 has no name");
    }

    @Test
    void shouldSendTheOfficialCprAndNeverAnOldOneListedBeforeIt() { // C1
        Patient p = CaseFixtures.patient();
        p.getIdentifier().add(0, new Identifier().setSystem(IpsCodes.CPR_SYSTEM).setValue("0202802345")
                .setUse(Identifier.IdentifierUse.OLD));
        p.getIdentifier().add(1, new Identifier().setSystem(IpsCodes.CPR_SYSTEM).setValue("0303803456")
                .setUse(Identifier.IdentifierUse.TEMP));

        assertThat(translator.translate(of(p), false).cpr()).isEqualTo("0101901234");
    }

    @Test
    void shouldRejectAPatientWithTwoDifferentUsableCprs() { // C1
        Patient p = CaseFixtures.patient();
        p.addIdentifier().setSystem(IpsCodes.CPR_SYSTEM).setValue("0202802345");

        assertThatThrownBy(() -> translator.translate(of(p), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Patient/p1 has no single usable 10-digit CPR identifier");
    }

    private static PatientSnapshot of(Patient patient) {
        return new PatientSnapshot("ehr", patient, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), Map.of());
    }

    @Test
    void shouldRedactIdentityInToString() {
        assertThat(translator.translate(of(CaseFixtures.patient()), true).toString())
                .doesNotContain("0101901234").doesNotContain("Anna");
    }
}
