package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        // C3: the team is the CareTeam that holds the consultant; without one there is no team to list
        assertThat(record.treatmentTeam()).isNull();
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

    /** The share's data policy: the translators only see the resources the consent lets go. */
    @Nested
    class ConsentRules {

        private final Instant start2026 = Instant.parse("2025-12-31T23:00:00Z");

        @Test
        void shouldSendAPsyLabelledConditionWhenDiagnosisIsTicked() { // C9
            PatientSnapshot snapshot = withConditions(psy("F20.0"), plain("E11.9"));

            IpsCaseRecord record = translate(snapshot, CaseFixtures.consentTo().categories("diagnosis").build());

            assertThat(record.diagnoses()).extracting(IpsCaseRecord.Diagnosis::code).containsExactly("F20.0", "E11.9");
        }

        @Test
        void shouldLeaveOutAPsyLabelledConditionThatADenyOfPsyRemoves() {
            PatientSnapshot snapshot = withConditions(psy("F20.0"), plain("E11.9"));

            IpsCaseRecord record = translate(snapshot,
                    denyLabel(CaseFixtures.consentTo().categories("diagnosis").build(), IpsCodes.PSY));

            assertThat(record.diagnoses()).extracting(IpsCaseRecord.Diagnosis::code).containsExactly("E11.9");
        }

        @Test
        void shouldLeaveOutAnEthLabelledConditionThatADenyOfEthRemoves() { // C9: ETH exactly like PSY
            PatientSnapshot snapshot = withConditions(
                    IpsFixtures.labelled(plain("F10.2"), IpsCodes.ETH), psy("F20.0"), plain("E11.9"));

            IpsCaseRecord record = translate(snapshot,
                    denyLabel(CaseFixtures.consentTo().categories("diagnosis").build(), IpsCodes.ETH));

            assertThat(record.diagnoses()).extracting(IpsCaseRecord.Diagnosis::code).containsExactly("F20.0", "E11.9");
        }

        @Test
        void shouldSendAPsyLabelledConditionUnderAPermitCarryingPsy() {
            PatientSnapshot snapshot = withConditions(psy("F20.0"), plain("E11.9"));

            IpsCaseRecord record = translate(snapshot, CaseFixtures.consentTo().categories("diagnosis")
                    .labelledPermit(IpsCodes.PSY, "diagnosis").build());

            assertThat(record.diagnoses()).extracting(IpsCaseRecord.Diagnosis::code).containsExactly("F20.0", "E11.9");
        }

        @Test
        void shouldOmitDiagnosesWhenEveryConditionIsPsyLabelledAndADenyRemovesPsy() {
            IpsCaseRecord record = translate(CaseFixtures.rich(),
                    denyLabel(CaseFixtures.consentTo().categories("contact", "diagnosis").build(), IpsCodes.PSY));

            assertThat(record.diagnoses()).isNull();
            assertThat(record.consent().categories()).contains("diagnosis");
        }

        @Test
        void shouldKeepPsyLabelledConditionsOutUnderTheDefaultPolicyOfAFourArgumentShare() {
            IpsCaseRecord record = translator.translate(CaseFixtures.rich(), new GateDecision.Share("jc-aarhus",
                    CaseFixtures.consent(), EnumSet.allOf(DataCategory.class), CaseFixtures.CONSULTANT), "case-7", 1);

            assertThat(record.diagnoses()).isNull();
            assertThat(record.employmentGoal()).isNotNull();
        }

        @Test
        void shouldNotSendAGoalFromBeforeTheDataPeriod() {
            PatientSnapshot snapshot = CaseFixtures.snapshot().referral(CaseFixtures.referral())
                    .careTeam(CaseFixtures.careTeam()).goal(goalStarted("2025-06-01")).build();

            IpsCaseRecord record = translate(snapshot, CaseFixtures.consentTo().categories("employment-goal")
                    .dataPeriod(start2026, null).build());

            assertThat(record.employmentGoal()).isNull();
        }

        @Test
        void shouldSendTheGoalFromInsideTheDataPeriodAndNotTheOneFromBefore() {
            Goal old = goalStarted("2025-06-01");
            old.getDescription().setText("Gammelt mål");
            PatientSnapshot snapshot = CaseFixtures.snapshot().referral(CaseFixtures.referral())
                    .careTeam(CaseFixtures.careTeam()).goal(old).goal(goalStarted("2026-02-01")).build();

            IpsCaseRecord record = translate(snapshot, CaseFixtures.consentTo().categories("employment-goal")
                    .dataPeriod(start2026, null).build());

            assertThat(record.employmentGoal().text()).isEqualTo(CaseFixtures.goal().getDescription().getText());
        }

        @Test
        void shouldSendContactDetailsUnderADataPeriod() { // C10: dataPeriod does not apply to contact details
            IpsCaseRecord record = translate(CaseFixtures.rich(), CaseFixtures.consentTo()
                    .categories("contact", "referral").dataPeriod(start2026, null).build());

            assertThat(record.citizen()).isEqualTo(translate(CaseFixtures.rich(), CaseFixtures.consentTo()
                    .categories("contact", "referral").build()).citizen());
            assertThat(record.citizen().phone()).isNotNull();
            assertThat(record.referral()).isNotNull();
        }

        @Test
        void shouldOmitTheReferralWhenThePolicyExcludesEveryReferralResource() {
            ServiceRequest psyReferral = IpsFixtures.labelled(CaseFixtures.referral(), IpsCodes.PSY);
            PatientSnapshot snapshot = CaseFixtures.snapshot().referral(psyReferral).careTeam(CaseFixtures.careTeam())
                    .build();

            IpsCaseRecord record = translate(snapshot,
                    denyLabel(CaseFixtures.consentTo().categories("referral").build(), IpsCodes.PSY));

            assertThat(record.referral()).isNull();
            assertThat(record.consent().categories()).containsExactly("referral");
        }

        @Test
        void shouldTakeTheReferralFromTheEpisodeWhenTheClassLeavesOutServiceRequests() {
            PatientSnapshot snapshot = CaseFixtures.snapshot().referral(CaseFixtures.referral())
                    .episode(CaseFixtures.episode()).careTeam(CaseFixtures.careTeam()).build();

            IpsCaseRecord record = translate(snapshot, CaseFixtures.consentTo().categories("referral")
                    .resourceClasses("EpisodeOfCare").build());

            assertThat(record.referral().referredOn()).isEqualTo("2026-01-03");
            assertThat(record.referral().contact()).isNull();
        }

        @Test
        void shouldOmitTheTreatmentTeamWhenADenyRemovesItsPsyLabelButStillNameTheConsultant() {
            CareTeam team = IpsFixtures.labelled(CaseFixtures.careTeam(), IpsCodes.PSY);
            PatientSnapshot snapshot = CaseFixtures.snapshot().referral(CaseFixtures.referral()).careTeam(team).build();

            IpsCaseRecord shared = translate(snapshot, CaseFixtures.consentTo().categories("care-team").build());
            IpsCaseRecord record = translate(snapshot,
                    denyLabel(CaseFixtures.consentTo().categories("care-team").build(), IpsCodes.PSY));

            assertThat(shared.treatmentTeam()).isNotEmpty(); // C9: a label matters only in a deny
            assertThat(record.treatmentTeam()).isNull();
            assertThat(record.consultant()).isEqualTo(new IpsCaseRecord.Consultant("AUT-pr-cons", "Kim Konsulent"));
        }

        @Test
        void shouldOmitConferencesOutsideTheDataPeriod() {
            IpsCaseRecord record = translate(CaseFixtures.rich(), CaseFixtures.consentTo().categories("conferences")
                    .dataPeriod(null, start2026).build());

            assertThat(record.treatmentConferences()).isNull();
        }

        private IpsCaseRecord translate(PatientSnapshot snapshot, org.hl7.fhir.r4.model.Consent consent) {
            return translator.translate(snapshot, CaseFixtures.gateShare(snapshot, consent), "case-7", 1);
        }

        private PatientSnapshot withConditions(Condition... conditions) {
            return CaseFixtures.rich().withConditions(List.of(conditions));
        }

        private Condition psy(String code) {
            return IpsFixtures.diagnosis("c-" + code, "p1", code, "psykiatrisk", true);
        }

        private Condition plain(String code) {
            Condition condition = IpsFixtures.diagnosis("c-" + code, "p1", code, "somatisk", false);
            condition.setRecordedDateElement(new DateTimeType("2026-01-10"));
            return condition;
        }

        private Goal goalStarted(String day) {
            Goal goal = CaseFixtures.goal();
            goal.setId("goal-" + day);
            goal.setStart(new DateType(day));
            return goal;
        }
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

    /** {@code consent} with a nested deny of everything carrying {@code label} (C9). */
    static Consent denyLabel(Consent consent, String label) {
        consent.getProvision().addProvision().setType(Consent.ConsentProvisionType.DENY)
                .addSecurityLabel(new org.hl7.fhir.r4.model.Coding(IpsCodes.ACT_CODE_SYSTEM, label, null));
        return consent;
    }
}
