package dk.ipsbridge.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.ReviewSettings;
import dk.ipsbridge.config.ValidationSettings;
import dk.ipsbridge.config.ValidationSettings.Mode;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.validation.BorderValidation;
import dk.ipsbridge.validation.ValidationFixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A patient whose resources fail their IPS profile at the border: in mode enforce held ({@code resource-invalid},
 * suspended) with the OperationOutcome in the failed records until the EHR corrects it; in mode report shared, the
 * failure recorded; a withdrawal never waits for validation; and in no mode does validation add sharing.
 */
class BorderValidationReviewTest {

    private static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z");
    private static final PatientKey P1 = new PatientKey("ehr", "p-1");
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final BorderValidation ENFORCE = validation(Mode.ENFORCE);
    private static final BorderValidation REPORT = validation(Mode.REPORT);
    private static final GateDecision.ConsentBasis BASIS = new GateDecision.ConsentBasis("c-1", "1",
            LocalDate.of(2026, 3, 1), LocalDate.of(2027, 3, 1));

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final ReviewQueue queue = new ReviewQueue(jdbc);
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final CaseStore cases = new CaseStore(jdbc);
    private final Outbox outbox = new Outbox(jdbc, TestKeys.atRest());
    private final SnapshotLoader loader = mock(SnapshotLoader.class);
    private final ConsentGate gate = mock(ConsentGate.class);

    private static BorderValidation validation(Mode mode) {
        return new BorderValidation(FHIR, new ValidationSettings(mode, 1000));
    }

    private PatientReview review(BorderValidation validation) {
        ReviewSettings settings = Operations.defaults(ReviewSettings.class);
        return new PatientReview(queue, loader, gate, new CaseDecisions(cases, mock(DecisionLog.class), outbox, failed,
                queue, new CaseRecordTranslator("DK-82"), new ObjectMapper(), settings), cases, outbox,
                new Instance("i1", Duration.ofMinutes(1)), settings, Clock.fixed(T0, ZoneOffset.UTC), null, validation);
    }

    private static GateDecision.Share share(String jobcenter) {
        return new GateDecision.Share(jobcenter, BASIS, Set.of(DataCategory.CONTACT, DataCategory.REFERRAL), null,
                null, null, T0, false);
    }

    /** Reads the patient as the EHR has it now, decides with the gate's answer and applies. */
    private Review reviewed(PatientReview review, PatientSnapshot ehr, List<GateDecision> gateSays) {
        when(loader.load("ehr", "p-1")).thenReturn(Optional.of(new SnapshotLoader.Loaded(ehr, List.of())));
        when(gate.decide(any(), any())).thenReturn(gateSays);
        queue.changed(P1, T0.minusSeconds(60));
        queue.claim(T0, 10, "i1", T0.plusSeconds(60));
        Review decided = review.decide(review.load(P1));
        assertThat(review.apply(decided)).isTrue();
        return decided;
    }

    @Test
    void shouldHoldAPatientWithAnInvalidConsentWithItsOperationOutcomeInTheFailedRecordsUntilItIsCorrected() {
        PatientReview review = review(ENFORCE);

        Review decided = reviewed(review, ValidationFixtures.withUnknownCategory(), List.of(share("jc-a")));

        assertThat(decided.decisions()).singleElement().isInstanceOfSatisfying(GateDecision.Hold.class, h -> {
            assertThat(h.jobcenterId()).isEqualTo("jc-a");
            assertThat(h.reason()).isEqualTo(HoldReason.RESOURCE_INVALID);
        });
        assertThat(cases.forPatient(P1)).singleElement().extracting(CaseStore.CaseRow::state).isEqualTo("held");
        assertThat(outbox.claim("jc-a", T0.plusSeconds(3600), 10, "t", T0.plusSeconds(7200))).isEmpty();
        assertThat(failed.open()).singleElement().satisfies(f -> {
            assertThat(f.stage()).isEqualTo(FailedRecords.REVIEW);
            assertThat(f.reason()).isEqualTo("resource-invalid");
            assertThat(f.subject()).isEqualTo("Patient/p-1");
            assertThat(f.message()).startsWith("Consent/c-1 fails ips-consent: ").doesNotContain("housing");
            OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, f.original());
            assertThat(outcome.getIssue()).anySatisfy(i -> assertThat(i.getDiagnostics())
                    .startsWith("Consent/c-1 (http://ipsbridge.dk/fhir/StructureDefinition/ips-consent)")
                    .contains("housing"));
        });

        reviewed(review, ValidationFixtures.valid(), List.of(share("jc-a"))); // the EHR corrected the consent

        assertThat(cases.forPatient(P1)).singleElement().extracting(CaseStore.CaseRow::state).isEqualTo("shared");
        assertThat(failed.open()).isEmpty();
    }

    @Test
    void shouldShareButRecordTheFailureInReportMode() {
        Review decided = reviewed(review(REPORT), ValidationFixtures.withUnknownCategory(), List.of(share("jc-a")));

        assertThat(decided.decisions()).singleElement().isInstanceOf(GateDecision.Share.class);
        assertThat(cases.forPatient(P1)).singleElement().extracting(CaseStore.CaseRow::state).isEqualTo("shared");
        assertThat(failed.open()).singleElement().extracting(FailedRecords.FailedRecord::reason)
                .isEqualTo("resource-invalid");
    }

    @Test
    void shouldNotValidateWhatTheGateHolds() {
        GateDecision.Hold withdrawn = new GateDecision.Hold("jc-a", BASIS, HoldReason.CONSENT_WITHDRAWN, null);

        Review decided = reviewed(review(ENFORCE), ValidationFixtures.withUnknownCategory(), List.of(withdrawn));

        assertThat(decided.decisions()).containsExactly(withdrawn);
        assertThat(decided.loaded().findings().any()).isFalse();
        assertThat(failed.open()).isEmpty();
    }

    /** Whatever the gate decides, in whatever mode, for a conforming or a broken patient: no share is added. */
    @Property(tries = 200)
    void validationNeverAddsSharing(@ForAll("decisions") List<GateDecision> gateSays, @ForAll Mode mode,
            @ForAll boolean conforming) {
        PatientSnapshot ehr = conforming ? ValidationFixtures.valid() : ValidationFixtures.withUnknownCategory();
        when(loader.load("ehr", "p-1")).thenReturn(Optional.of(new SnapshotLoader.Loaded(ehr, List.of())));
        when(gate.decide(any(), any())).thenReturn(gateSays);
        PatientReview review = review(mode == Mode.ENFORCE ? ENFORCE : mode == Mode.REPORT ? REPORT : validation(mode));

        List<GateDecision> decided = review.decide(review.load(P1)).decisions();

        assertThat(shared(decided)).isSubsetOf(shared(gateSays));
        assertThat(decided).hasSameSizeAs(gateSays);
        if (!conforming && mode == Mode.ENFORCE) {
            assertThat(shared(decided)).isEmpty();
        }
    }

    @Provide
    Arbitrary<List<GateDecision>> decisions() {
        Arbitrary<GateDecision> one = Arbitraries.of("jc-a", "jc-b", "jc-c").flatMap(jc -> Arbitraries.of(
                share(jc), new GateDecision.Hold(jc, BASIS, HoldReason.CONSENT_EXPIRED, null),
                new GateDecision.Hold(jc, null, HoldReason.UNKNOWN_RECIPIENT, null)));
        return one.list().ofMaxSize(4).map(l -> new ArrayList<>(l.stream()
                .collect(Collectors.toMap(GateDecision::jobcenterId, d -> d, (a, b) -> a)).values()));
    }

    private static Set<GateDecision> shared(List<GateDecision> decisions) {
        return decisions.stream().filter(GateDecision.Share.class::isInstance).collect(Collectors.toSet());
    }
}
