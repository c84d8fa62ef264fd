package dk.ipsbridge.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.RetrySettings;
import dk.ipsbridge.config.ReviewSettings;
import dk.ipsbridge.config.ValidationSettings;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery.Failure;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.validation.BorderValidation;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A patient that could not be read waits with backoff and is no failed record; one that could not be decided is a
 * failed record and shares nothing more until a replay decides it anew.
 */
class ReviewRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final PatientKey P1 = new PatientKey("ehr-a", "p1");
    private static final String CPR = "0101901234";
    private static final Duration MAX = Duration.ofMinutes(1);

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final ReviewQueue queue = new ReviewQueue(jdbc);
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final CaseStore cases = new CaseStore(jdbc);
    private final Outbox outbox = new Outbox(jdbc, TestKeys.atRest());
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final RetrySettings retry = Operations.with(RetrySettings.class,
            Map.of("retry-backoff", "1s", "max-retry-backoff", "1m"));
    private final ReviewSettings settings = Operations.defaults(ReviewSettings.class);
    // failClosed reads nothing from the EHR and decides nothing: the loader and the gate are never called
    private final PatientReview patientReview = new PatientReview(queue, mock(SnapshotLoader.class),
            mock(ConsentGate.class), new CaseDecisions(cases, mock(DecisionLog.class), outbox, failed, queue,
                    new CaseRecordTranslator("DK-82"), new ObjectMapper(), settings),
            cases, outbox, new Instance("i1", Duration.ofMinutes(1)), settings, clock, null,
            new BorderValidation(FhirContext.forR4Cached(), new ValidationSettings(ValidationSettings.Mode.OFF, 0)));
    private final ReviewRecovery recovery = new ReviewRecovery(queue, patientReview, failed, retry, clock);

    @Test
    void shouldPostponeAnUnreadablePatientLongerWithEveryAttemptUpToTheMaximum() {
        claimed(P1);

        for (int attempts = 0; attempts < 6; attempts++) {
            recovery.retryLater(P1, unavailable(null));

            Duration backoff = Duration.ofSeconds(1L << attempts); // 1 s doubled per attempt, half of it jitter
            assertThat(delayOf(P1)).as("after %d attempts", attempts)
                    .isBetween(backoff.dividedBy(2), backoff);
            assertThat(queue.attempts(P1)).isEqualTo(attempts + 1);
        }
        for (int i = 0; i < 10; i++) {
            recovery.retryLater(P1, unavailable(null));
            assertThat(delayOf(P1)).isBetween(MAX.dividedBy(2), MAX);
        }
        assertThat(failed.open()).isEmpty();
        assertThat(cases.forPatient(P1)).isEmpty(); // postponed, not decided
    }

    @Test
    void shouldReleaseThePostponedPatientSoThatItIsNotDueBeforeItsBackoff() {
        claimed(P1);

        recovery.retryLater(P1, unavailable(null));

        assertThat(jdbc.sql("select claimed_by from patient_review").query(String.class).optional()).isEmpty();
        assertThat(queue.due(T0, 10)).isEmpty();
        assertThat(queue.due(T0.plus(Duration.ofSeconds(1)), 10)).containsExactly(P1);
    }

    @Test
    void shouldHonourALongerRetryAfterOfTheEhr() {
        claimed(P1);

        recovery.retryLater(P1, unavailable(Duration.ofSeconds(20)));

        assertThat(delayOf(P1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(failed.open()).isEmpty();
    }

    @Test
    void shouldCutARetryAfterBeyondTheMaximumBackoff() {
        claimed(P1);

        recovery.retryLater(P1, unavailable(Duration.ofDays(365)));

        assertThat(delayOf(P1)).isEqualTo(MAX);
    }

    @Test
    void shouldNotWaitLessThanTheBackoffForAShorterRetryAfter() {
        claimed(P1);
        for (int i = 0; i < 6; i++) {
            recovery.retryLater(P1, unavailable(null));
        }

        recovery.retryLater(P1, unavailable(Duration.ofSeconds(1)));

        assertThat(delayOf(P1)).isGreaterThanOrEqualTo(MAX.dividedBy(2));
    }

    @Test
    void shouldRecordAnUndecidablePatientByIdWithTheReasonAndMessageGiven() {
        claimed(P1);
        String original = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{\"value\":\"" + CPR + "\"}]}";

        recovery.deadLetter(P1, new Failure("malformed-fhir", "the EHR's Patient/p1 is not valid FHIR", original, T0));

        assertThat(failed.open()).extracting(FailedRecord::stage, FailedRecord::sourceId, FailedRecord::recipient,
                FailedRecord::subject, FailedRecord::reason, FailedRecord::message, FailedRecord::original,
                FailedRecord::occurrences)
                .containsExactly(tuple(FailedRecords.REVIEW, "ehr-a", null, "Patient/p1", "malformed-fhir",
                        "the EHR's Patient/p1 is not valid FHIR", original, 1));
        assertThat(failed.open().get(0).message()).doesNotContain(CPR);
    }

    @Test
    void shouldFailANewPatientClosed() {
        claimed(P1);

        recovery.deadLetter(P1, new Failure("internal-error", "NullPointerException", null, T0));

        assertThat(cases.forPatient(P1)).extracting(CaseStore.CaseRow::recipient, CaseStore.CaseRow::state,
                CaseStore.CaseRow::reason).containsExactly(tuple("", "held", "consent-unreadable"));
        assertThat(queue.size()).isZero(); // not retried in a loop: an operator replays it
        assertThat(outbox.count("pending")).isZero();
    }

    @Test
    void shouldStopSharingAPatientThatCouldNotBeDecided() {
        cases.save(new CaseStore.CaseRow("ehr-a", "p1", "jc-a", "case-a", "shared", null, "consent-1", "1", "employment",
                1, "digest", LocalDate.parse("2027-06-30")), T0.minusSeconds(60));
        outbox.enqueue("case-a", "jc-a", Outbox.CASE, 2, "{\"cpr\":\"" + CPR + "\"}", "c0", T0.minusSeconds(30));
        claimed(P1);

        recovery.deadLetter(P1, new Failure("untranslatable", "no translation for Condition/c1", null, T0));

        assertThat(cases.forPatient(P1)).filteredOn(row -> row.recipient().equals("jc-a"))
                .extracting(CaseStore.CaseRow::state, CaseStore.CaseRow::reason)
                .containsExactly(tuple("suspended", "consent-unreadable"));
        assertThat(cases.isShared("case-a", 1)).isFalse();
        assertThat(outbox.count("case-a", "pending")).isZero(); // the queued record is never sent
    }

    @Test
    void shouldCountTheSameFailureAgainInsteadOfAddingARecord() {
        claimed(P1);
        recovery.deadLetter(P1, new Failure("malformed-fhir", "not FHIR", null, T0));
        claimed(P1);

        recovery.deadLetter(P1, new Failure("malformed-fhir", "not FHIR", null, T0.plusSeconds(30)));

        assertThat(failed.open()).extracting(FailedRecord::occurrences).containsExactly(2);
    }

    @Test
    void shouldKeepTheSamePatientIdOfTwoSourcesApart() {
        PatientKey other = new PatientKey("ehr-b", "p1");
        claimed(P1);
        recovery.deadLetter(P1, new Failure("malformed-fhir", "not FHIR", null, T0));
        claimed(other);

        recovery.deadLetter(other, new Failure("malformed-fhir", "not FHIR", null, T0));

        assertThat(failed.open()).extracting(FailedRecord::sourceId, FailedRecord::subject, FailedRecord::occurrences)
                .containsExactlyInAnyOrder(tuple("ehr-a", "Patient/p1", 1), tuple("ehr-b", "Patient/p1", 1));
    }

    @Test
    void shouldMarkAReplayedPatientDueAtOnce() {
        claimed(P1);
        recovery.deadLetter(P1, new Failure("malformed-fhir", "not FHIR", null, T0.minusSeconds(60)));
        FailedRecord record = failed.open().get(0);
        assertThat(queue.due(T0, 10)).isEmpty();

        recovery.replay(record);

        assertThat(queue.due(T0, 10)).containsExactly(P1);
    }

    private void claimed(PatientKey key) {
        queue.changed(key, T0.minusSeconds(60));
        assertThat(queue.claim(T0, 10, "i1", T0.plusSeconds(60))).contains(key);
    }

    private Duration delayOf(PatientKey key) {
        Instant due = jdbc.sql("select due_at from patient_review where source_id = ? and patient_id = ?")
                .params(key.sourceId(), key.patientId())
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).single();
        return Duration.between(T0, due);
    }

    private static UnavailableException unavailable(Duration retryAfter) {
        return new UnavailableException("EHR patient search answered 503", 503, retryAfter, null);
    }
}
