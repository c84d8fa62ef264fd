package dk.ipsbridge.preview;

import static dk.ipsbridge.preview.PreviewWorld.CPR;
import static dk.ipsbridge.preview.PreviewWorld.PATIENT;
import static dk.ipsbridge.preview.PreviewWorld.consentToA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.preview.ConsentPreview.CategoryState;
import dk.ipsbridge.preview.ConsentPreview.PatientPreview;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a jobcenter would receive now, per patient record, and what is held back and why. */
class ConsentPreviewTest {

    private final PreviewWorld world = new PreviewWorld();

    private static List<String> sharedCategories(PatientPreview preview) {
        return preview.categories().stream().filter(CategoryState::shared).map(CategoryState::category).toList();
    }

    private static String reasonFor(PatientPreview preview, DataCategory category) {
        return preview.categories().stream().filter(c -> c.category().equals(category.code())).findFirst()
                .orElseThrow().reason();
    }

    @Test
    void shouldShowTheTickedCategoriesAsSharedAndTheRecordTheJobcenterWouldReceive() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact", "employment-goal").build());

        PatientPreview preview = world.preview().preview(CPR, "jc-a").get(0);

        assertThat(preview.decision()).isEqualTo("share");
        assertThat(preview.reason()).isNull();
        assertThat(preview.sourceId()).isEqualTo("ehr-a");
        assertThat(preview.patientReference()).isEqualTo("Patient/" + PATIENT);
        assertThat(preview.consent().consentId()).isEqualTo("k1");
        assertThat(sharedCategories(preview)).containsExactlyInAnyOrder("contact", "employment-goal");
        assertThat(preview.categories()).hasSize(DataCategory.values().length)
                .filteredOn(c -> !c.shared())
                .extracting(CategoryState::reason).containsOnly("category-not-consented");
        assertThat(preview.problem()).isNull();
        assertThat(preview.record()).isNotNull();
        assertThat(preview.record().caseId()).isEqualTo(ConsentPreview.PREVIEW_CASE_ID);
        assertThat(preview.record().citizen().cpr()).isEqualTo(CPR);
        assertThat(preview.record().employmentGoal().text()).isEqualTo("Job i detailhandlen");
        assertThat(preview.record().diagnoses()).isNullOrEmpty();
        assertThat(preview.record().consent().categories()).containsExactlyInAnyOrder("contact", "employment-goal");
    }

    @Test
    void shouldNotReadConditionsUnlessTheConsentPermitsDiagnosis() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact").build());

        world.preview().preview(CPR, "jc-a");

        verify(world.loader, never()).conditions(anyString(), anyString());
    }

    @Test
    void shouldReadConditionsAndShowTheDiagnosisWhenTheConsentPermitsIt() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact", "diagnosis").build());
        world.conditionsOf("ehr-a", IpsFixtures.diagnosis("cond-1", PATIENT, "F32.1", "Moderat depression", false));

        PatientPreview preview = world.preview().preview(CPR, "jc-a").get(0);

        assertThat(sharedCategories(preview)).contains("diagnosis");
        assertThat(preview.record().diagnoses()).extracting(d -> d.code()).containsExactly("F32.1");
    }

    @Test
    void shouldGiveTheDenyAsTheReasonForACategoryTheConsentCarvesOut() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact", "diagnosis").deny("diagnosis").build());

        PatientPreview preview = world.preview().preview(CPR, "jc-a").get(0);

        assertThat(preview.decision()).isEqualTo("share");
        assertThat(reasonFor(preview, DataCategory.DIAGNOSIS)).isEqualTo("category-denied");
        assertThat(reasonFor(preview, DataCategory.OUTCOMES)).isEqualTo("category-not-consented");
        assertThat(reasonFor(preview, DataCategory.CONTACT)).isNull();
        verify(world.loader, never()).conditions(anyString(), anyString());
    }

    @Nested
    class Held {

        @Test
        void shouldHoldEverythingForAWithdrawnConsentAndSayWhy() {
            world.patientIn("ehr-a", consentToA("k1").categories("contact", "employment-goal")
                    .status(Consent.ConsentState.INACTIVE).build());

            PatientPreview preview = world.preview().preview(CPR, "jc-a").get(0);

            assertThat(preview.decision()).isEqualTo("hold");
            assertThat(preview.reason()).isEqualTo("consent-withdrawn");
            assertThat(preview.detail()).isNotBlank();
            assertThat(preview.record()).isNull();
            assertThat(preview.categories()).hasSize(DataCategory.values().length)
                    .allSatisfy(c -> {
                        assertThat(c.shared()).isFalse();
                        assertThat(c.reason()).isEqualTo("consent-withdrawn");
                    });
        }

        @Test
        void shouldHoldAPatientWithoutConsentWithTheReasonNoConsent() {
            world.patientIn("ehr-a");

            PatientPreview preview = world.preview().preview(CPR, "jc-a").get(0);

            assertThat(preview.decision()).isEqualTo("hold");
            assertThat(preview.reason()).isEqualTo("no-consent");
            assertThat(preview.consent()).isNull();
            assertThat(preview.record()).isNull();
        }

        @Test
        void shouldHoldForAJobcenterThatNoConsentNames() {
            world.patientIn("ehr-a", consentToA("k1").categories("contact").build());

            PatientPreview preview = world.preview().preview(CPR, "jc-b").get(0);

            assertThat(preview.decision()).isEqualTo("hold");
            assertThat(preview.reason()).isEqualTo("unknown-recipient");
            assertThat(preview.detail()).isEqualTo("No consent of the patient names this jobcenter");
            assertThat(preview.record()).isNull();
            assertThat(preview.categories()).extracting(CategoryState::shared).containsOnly(false);
        }

        @Test
        void shouldHoldWhenAConsentOfThePatientCouldNotBeRead() {
            world.patientWithUnreadableConsentIn("ehr-a", consentToA("k1").categories("contact").build());

            PatientPreview preview = world.preview().preview(CPR, "jc-a").get(0);

            assertThat(preview.decision()).isEqualTo("hold");
            assertThat(preview.reason()).isEqualTo("consent-unreadable");
            assertThat(preview.record()).isNull();
            assertThat(preview.categories()).extracting(CategoryState::reason).containsOnly("consent-unreadable");
        }
    }

    /** {@code ips.consent.max-age} P12M: the consent's last day is the day before its Danish anniversary. */
    @Nested
    class DanishLapse {

        // 00:30 on 1 July 2025 in Copenhagen (summer time), still 30 June in UTC
        private static final Instant GIVEN_AFTER_DANISH_MIDNIGHT = Instant.parse("2025-06-30T22:30:00Z");
        private static final LocalDate LAST_DAY = LocalDate.parse("2026-06-30");

        private void consentGivenAfterDanishMidnight() {
            world.patientIn("ehr-a", IpsFixtures.consent("k1", PATIENT).givenAt(GIVEN_AFTER_DANISH_MIDNIGHT)
                    .recipient(PreviewWorld.ORG_A).categories("contact").build());
        }

        @Test
        void shouldShowTheLastDayAsTheDayBeforeTheDanishAnniversary() {
            consentGivenAfterDanishMidnight();

            PatientPreview preview = world.preview(Instant.parse("2025-09-01T10:00:00Z")).preview(CPR, "jc-a").get(0);

            assertThat(preview.consent().givenOn()).isEqualTo(LocalDate.parse("2025-07-01"));
            assertThat(preview.consent().expiresOn()).isEqualTo(LAST_DAY);
            assertThat(preview.record().consent().expiresOn()).isEqualTo(LAST_DAY.toString());
        }

        @Test
        void shouldStillShareInTheLastMinuteOfTheLastDanishDay() {
            consentGivenAfterDanishMidnight();

            // 23:59:59 on 30 June 2026 in Copenhagen
            PatientPreview preview = world.preview(Instant.parse("2026-06-30T21:59:59Z")).preview(CPR, "jc-a").get(0);

            assertThat(preview.decision()).isEqualTo("share");
        }

        @Test
        void shouldHoldTheConsentAsLapsedFromDanishMidnightAfterTheLastDay() {
            consentGivenAfterDanishMidnight();

            // 00:00 on 1 July 2026 in Copenhagen
            PatientPreview preview = world.preview(Instant.parse("2026-06-30T22:00:00Z")).preview(CPR, "jc-a").get(0);

            assertThat(preview.decision()).isEqualTo("hold");
            assertThat(preview.reason()).isEqualTo("consent-lapsed");
            assertThat(preview.record()).isNull();
        }
    }

    @Test
    void shouldPreviewThePatientInEverySourceThatHoldsTheCpr() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact").build());
        world.patientIn("ehr-b", consentToA("k2").status(Consent.ConsentState.INACTIVE).build());

        List<PatientPreview> previews = world.preview().preview(CPR, "jc-a");

        assertThat(previews).extracting(PatientPreview::sourceId, PatientPreview::decision, PatientPreview::reason)
                .containsExactly(tuple("ehr-a", "share", null), tuple("ehr-b", "hold", "consent-withdrawn"));
    }

    @Test
    void shouldFindNothingForACprNoSourceHolds() {
        assertThat(world.preview().preview(CPR, "jc-a")).isEmpty();
    }

    @Test
    void shouldOnlyReadTheEhrNothingElse() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact", "diagnosis").build());
        world.patientIn("ehr-b", consentToA("k2").status(Consent.ConsentState.INACTIVE).build());

        world.preview().preview(CPR, "jc-a");

        // ConsentPreview holds no store, outbox, decision log or ledger: the loader's reads are all it does
        verify(world.loader).patientsWithCpr("ehr-a", CPR);
        verify(world.loader).patientsWithCpr("ehr-b", CPR);
        verify(world.loader).load("ehr-a", PATIENT);
        verify(world.loader).load("ehr-b", PATIENT);
        verify(world.loader).conditions("ehr-a", PATIENT);
        verifyNoMoreInteractions(world.loader);
        assertThat(ConsentPreview.class.getDeclaredConstructors()).singleElement()
                .satisfies(c -> assertThat(c.getParameterTypes()).extracting(Class::getSimpleName)
                        .containsExactly("IpsProperties", "SnapshotLoader", "ConsentGate", "CaseRecordTranslator",
                                "Clock"));
    }
}
