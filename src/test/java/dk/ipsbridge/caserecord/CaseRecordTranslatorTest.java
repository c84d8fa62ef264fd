package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dk.ipsbridge.consent.DataCategory;

class CaseRecordTranslatorTest {

    private final CaseRecordTranslator translator = new CaseRecordTranslator("DK-82");

    @Test
    void shouldComposeEveryPartWhenEverythingIsPermitted() {
        IpsCaseRecord record = translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(), "case-7", 4);

        assertThat(record.caseId()).isEqualTo("case-7");
        assertThat(record.revision()).isEqualTo(4);
        assertThat(record.region()).isEqualTo("DK-82");
        assertThat(record.status()).isEqualTo("active");
        assertThat(record.citizen().phone()).isEqualTo("+45 20 11 22 33");
        assertThat(record.referral().referredOn()).isEqualTo("2026-01-05");
        assertThat(record.consultant()).isEqualTo(new IpsCaseRecord.Consultant("AUT-pr-cons", "Kim Konsulent"));
        assertThat(record.treatmentTeam()).hasSize(2);
        assertThat(record.treatmentConferences()).hasSize(1);
        assertThat(record.employmentGoal()).isNotNull();
        assertThat(record.diagnoses()).hasSize(2);
        assertThat(record.consent().categories()).containsExactly("contact", "referral", "care-team", "conferences",
                "employment-goal", "diagnosis", "outcomes");
    }

    @Test
    void shouldShareOnlyIdentityConsultantAndConsentWhenNoCategoryIsPermitted() {
        IpsCaseRecord record = translator.translate(CaseFixtures.rich(),
                CaseFixtures.share(Set.of(), CaseFixtures.CONSULTANT), "case-7", 1);

        assertThat(record).isEqualTo(new IpsCaseRecord("case-7", 1, "DK-82", "active",
                new IpsCaseRecord.Citizen("0101901234", "Anna Marie", "Jensen"), null,
                new IpsCaseRecord.Consultant("AUT-pr-cons", "Kim Konsulent"), null, null, null, null,
                new IpsCaseRecord.ConsentSummary("consent-1", "3", "2026-01-05", "2027-01-05", java.util.List.of())));
    }

    @Test
    void shouldOmitTreatmentTeamWhenCareTeamIsNotPermittedThoughTheSnapshotHasOne() {
        IpsCaseRecord record = translator.translate(CaseFixtures.rich(),
                CaseFixtures.share(EnumSet.complementOf(EnumSet.of(DataCategory.CARE_TEAM)), CaseFixtures.CONSULTANT),
                "case-7", 1);

        assertThat(record.treatmentTeam()).isNull();
        assertThat(record.consultant()).isNotNull();
    }

    @Test
    void shouldOmitDiagnosesWhenNotPermittedThoughTheSnapshotHoldsConditions() {
        IpsCaseRecord record = translator.translate(CaseFixtures.rich(),
                CaseFixtures.share(EnumSet.complementOf(EnumSet.of(DataCategory.DIAGNOSIS)), CaseFixtures.CONSULTANT),
                "case-7", 1);

        assertThat(record.diagnoses()).isNull();
    }

    @Test
    void shouldBeReferredWithoutAConsultant() {
        IpsCaseRecord record = translator.translate(CaseFixtures.rich(),
                CaseFixtures.share(EnumSet.allOf(DataCategory.class), null), "case-7", 1);

        assertThat(record.status()).isEqualTo("referred");
        assertThat(record.consultant()).isNull();
        // the consultant is still no team member: by role, not only by the gate's reference
        assertThat(record.treatmentTeam()).extracting(IpsCaseRecord.TeamMember::name)
                .containsExactly("Lene Læge", "Ole Olsen");
    }

    @Test
    void shouldKeepEverythingButTheRevisionInWithRevision() {
        IpsCaseRecord record = translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(), "case-7", 1);

        IpsCaseRecord next = record.withRevision(2);

        assertThat(next.revision()).isEqualTo(2);
        assertThat(next.withRevision(1)).isEqualTo(record);
    }

    @Test
    void shouldNeverPrintPersonalDataInToString() {
        String text = translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(), "case-7", 1).toString();

        assertThat(text).isEqualTo("IpsCaseRecord[caseId=case-7, revision=1, region=DK-82, status=active]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DK-81", "DK-82", "DK-83", "DK-84", "DK-85"})
    void shouldAcceptEachDanishRegion(String region) {
        assertThat(new CaseRecordTranslator(region).translate(CaseFixtures.rich(), CaseFixtures.shareAll(), "c",
                1).region()).isEqualTo(region);
    }

    @Nested
    class Rejects {

        @ParameterizedTest
        @ValueSource(strings = {"DK-80", "DK-86", "dk-81", "", "Region Midtjylland"})
        void shouldRejectARegionOutsideDk81ToDk85(String region) {
            assertThatThrownBy(() -> new CaseRecordTranslator(region)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void shouldRejectACaseIdContainingTheCpr() {
            assertThatThrownBy(() -> translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(),
                    "case-0101901234", 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("case id must not contain the CPR number");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "case 7", "case/7", "a234567890123456789012345678901234567890123456789012345678901234X"})
        void shouldRejectACaseIdTheApiPathDoesNotAllow(String caseId) {
            assertThatThrownBy(() -> translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(), caseId, 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void shouldRejectARevisionBelowOne() {
            assertThatThrownBy(() -> translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(), "case-7", 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("revision must be at least 1, was 0");
        }
    }
}
