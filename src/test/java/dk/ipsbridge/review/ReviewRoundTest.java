package dk.ipsbridge.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.ReviewSettings;
import dk.ipsbridge.config.ValidationSettings;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.validation.BorderValidation;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A review round settles together what it can and leaves every other patient to be decided alone: no patient of a
 * round is ever dropped, whatever step fails for it.
 */
class ReviewRoundTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final PatientKey P1 = new PatientKey("ehr", "p1");
    private static final PatientKey P2 = new PatientKey("ehr", "p2");
    private static final PatientKey P3 = new PatientKey("ehr", "p3");

    private final SnapshotLoader loader = mock(SnapshotLoader.class);
    private final ConsentGate gate = mock(ConsentGate.class);
    private final CaseDecisions cases = mock(CaseDecisions.class);
    private final PatientReview review = new PatientReview(mock(ReviewQueue.class), loader, gate, cases,
            mock(CaseStore.class), mock(Outbox.class), new Instance("i1", Duration.ofMinutes(1)),
            Operations.defaults(ReviewSettings.class), Clock.fixed(T0, ZoneOffset.UTC), null,
            new BorderValidation(FhirContext.forR4Cached(), new ValidationSettings(ValidationSettings.Mode.OFF, 0)));

    private static SnapshotLoader.Loaded loaded(String patientId) {
        return new SnapshotLoader.Loaded(new PatientSnapshot("ehr", IpsFixtures.patient(patientId, "0101901234",
                "Anna", "Test"), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                Map.of()), List.of());
    }

    private ReviewRound loaded() {
        when(loader.loadAll("ehr", List.of("p1", "p2", "p3"))).thenReturn(new SnapshotLoader.Batch(
                Map.of("p1", Optional.of(loaded("p1")), "p2", Optional.of(loaded("p2"))), List.of("p3")));
        return review.loadRound(ReviewRound.of(List.of(P1, P2, P3), 50));
    }

    @Test
    void shouldLeaveThePatientsTheBatchedReadCouldNotSettleToBeDecidedAlone() {
        ReviewRound round = loaded();

        assertThat(round.reviews()).extracting(Review::key).containsExactlyInAnyOrder(P1, P2);
        assertThat(round.oneByOne()).containsExactly(P3);
    }

    @Test
    void shouldLeaveAPatientTheGateFailsForToBeDecidedAlone() {
        when(gate.decide(any(), any())).thenAnswer(call -> {
            if (((PatientSnapshot) call.getArgument(0)).patient().getIdElement().getIdPart().equals("p2")) {
                throw new IllegalStateException("a fault of ours");
            }
            return List.of();
        });

        ReviewRound round = review.decideRound(loaded());

        assertThat(round.reviews()).extracting(Review::key).containsExactly(P1);
        assertThat(round.oneByOne()).containsExactlyInAnyOrder(P3, P2);
    }

    @Test
    void shouldLeaveAPatientWhoseDiagnosesTheBatchedReadCouldNotSettleToBeDecidedAlone() {
        when(gate.decide(any(), any())).thenReturn(List.of(new GateDecision.Share("jc-a",
                new GateDecision.ConsentBasis("c1", "1", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)),
                Set.of(DataCategory.DIAGNOSIS), null, null, null, T0, false)));
        when(loader.conditionsAll(eq("ehr"), anyList())).thenReturn(Map.of("p1", List.of()));

        ReviewRound round = review.readDiagnosesRound(review.decideRound(loaded()));

        assertThat(round.reviews()).extracting(Review::key).containsExactly(P1);
        assertThat(round.oneByOne()).containsExactlyInAnyOrder(P3, P2);
    }

    @Test
    void shouldLeaveEveryPatientToBeDecidedAloneWhenTheRoundsTransactionFails() {
        when(gate.decide(any(), any())).thenReturn(List.of());
        when(cases.applyAll(anyList(), any())).thenThrow(new DataAccessResourceFailureException("database gone"));

        ReviewRound round = review.applyRound(review.decideRound(loaded()));

        assertThat(round.reviews()).isEmpty();
        assertThat(round.oneByOne()).containsExactlyInAnyOrder(P1, P2, P3);
    }

    @Test
    void shouldLeaveNobodyWhenTheRoundIsApplied() {
        when(gate.decide(any(), any())).thenReturn(List.of());

        ReviewRound round = review.applyRound(review.decideRound(loaded()));

        assertThat(round.reviews()).isEmpty();
        assertThat(round.oneByOne()).containsExactly(P3);
    }

    @Test
    void shouldConfirmARereadOnlyForThePatientsItDecidedAndApplied() {
        when(gate.decide(any(), any())).thenReturn(List.of());
        when(loader.loadAll("ehr", List.of("p1", "p2", "p3"))).thenReturn(new SnapshotLoader.Batch(
                Map.of("p1", Optional.of(loaded("p1")), "p2", Optional.of(loaded("p2"))), List.of("p3")));
        // p2 was decided meanwhile by another worker: not applied, so not confirmed
        when(cases.applyAll(anyList(), any())).thenAnswer(call -> ((List<Review>) call.getArgument(0)).stream()
                .filter(r -> !r.key().equals(P2)).toList());

        assertThat(review.reread(List.of(P1, P2, P3))).isEqualTo(Map.of(P1, T0));
    }

    @Test
    void shouldConfirmNothingWhenTheRereadFails() {
        when(loader.loadAll(eq("ehr"), anyList())).thenThrow(new UnavailableException("EHR down", null, null, null));

        assertThat(review.reread(List.of(P1, P2))).isEmpty();
    }
}
