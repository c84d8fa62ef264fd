package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import dk.ipsbridge.testkit.fhir.IpsFixtures;

class CitizenTranslatorTest {

    private final CitizenTranslator translator = new CitizenTranslator();

    @Test
    void shouldShareIdentityOnlyWithoutContactCategory() {
        assertThat(translator.translate(CaseFixtures.patient(), false))
                .isEqualTo(new IpsCaseRecord.Citizen("0101901234", "Anna Marie", "Jensen", null, null, null));
    }

    @Test
    void shouldSharePhoneEmailAndAddressWithContactCategory() {
        assertThat(translator.translate(CaseFixtures.patient(), true)).isEqualTo(new IpsCaseRecord.Citizen(
                "0101901234", "Anna Marie", "Jensen", "+45 20 11 22 33", "p1@example.invalid",
                new IpsCaseRecord.Address("Testvej 12, 2. tv", "8000", "Aarhus C", "751")));
    }

    @Test
    void shouldTakeTheOfficialNameBeforeAnEarlierOne() {
        Patient p = CaseFixtures.patient();
        p.getName().add(0, new HumanName().setUse(HumanName.NameUse.NICKNAME).setFamily("J").addGiven("Annie"));

        IpsCaseRecord.Citizen citizen = translator.translate(p, false);

        assertThat(citizen.givenName()).isEqualTo("Anna Marie");
        assertThat(citizen.familyName()).isEqualTo("Jensen");
    }

    @Test
    void shouldTakeTheFirstNameWhenNoneIsOfficial() {
        Patient p = CaseFixtures.patient();
        p.getName().clear();
        p.addName().setFamily("Hansen").addGiven("Bo");
        p.addName().setFamily("Other").addGiven("X");

        IpsCaseRecord.Citizen citizen = translator.translate(p, false);

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

        assertThat(translator.translate(p, true))
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

        assertThat(translator.translate(p, true).phone()).isEqualTo("+45 3");
    }

    @Test
    void shouldPreferHomeAddressAndReadMunicipalityFromItsExtension() {
        Patient p = CaseFixtures.patient();
        p.getAddress().add(0, new Address().setUse(Address.AddressUse.WORK).addLine("Arbejdsvej 1"));
        p.getAddress().get(1).setUse(Address.AddressUse.HOME);

        assertThat(translator.translate(p, true).address())
                .isEqualTo(new IpsCaseRecord.Address("Testvej 12, 2. tv", "8000", "Aarhus C", "751"));
    }

    @Test
    void shouldRejectPatientWithOnlyAReplacementNumberWithoutNamingThePatient() {
        Patient p = IpsFixtures.patientWithReplacementNumber("p3", "0101XY1234", "Carl", "Carlsen");

        assertThatThrownBy(() -> translator.translate(p, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Patient/p3 has no 10-digit CPR identifier");
    }

    @Test
    void shouldRejectPatientWithoutFamilyName() {
        Patient p = CaseFixtures.patient();
        p.getNameFirstRep().setFamily(null);

        assertThatThrownBy(() -> translator.translate(p, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Patient/p1 has no given and family name");
    }

    @Test
    void shouldRedactIdentityInToString() {
        assertThat(translator.translate(CaseFixtures.patient(), true).toString())
                .doesNotContain("0101901234").doesNotContain("Anna");
    }
}
