package dk.ipsbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import dk.ipsbridge.ehr.CursorStore;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.jobcenter.Outbox;
import dk.ipsbridge.review.PatientKey;
import dk.ipsbridge.review.ReviewQueue;
import dk.ipsbridge.store.TestDatabases.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The store's behaviour, the same on the embedded default and on PostgreSQL. */
class StoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final PatientKey P1 = new PatientKey("ehr", "p1");

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepOneCursorPerSourceAndTypeAndMoveItForward(Kind kind) {
        CursorStore cursors = StoreAccess.cursors(db(kind));

        assertThat(cursors.lastUpdated("ehr", "Consent")).isEmpty();
        cursors.save("ehr", "Consent", "2026-11-23T09:00:00.123+01:00", T0);
        cursors.save("ehr", "Consent", "2026-11-23T09:05:00.456+01:00", T0.plusSeconds(60));
        cursors.save("ehr", "Patient", "2026-01-01T00:00:00Z", T0);

        assertThat(cursors.lastUpdated("ehr", "Consent")).contains("2026-11-23T09:05:00.456+01:00");
        assertThat(cursors.lastUpdated("ehr", "Patient")).contains("2026-01-01T00:00:00Z");
        assertThat(cursors.lastUpdated("other", "Consent")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepAPatientDueWhenItChangedDuringItsReview(Kind kind) {
        ReviewQueue queue = StoreAccess.reviews(db(kind));
        queue.changed(P1, T0);
        queue.changed(P1, T0.plusSeconds(1));
        assertThat(queue.due(T0.plusSeconds(2), 10)).containsExactly(P1);

        Instant reviewStarted = T0.plusSeconds(2);
        queue.changed(P1, T0.plusSeconds(3)); // a change arrives while the patient is being decided
        queue.done(P1, reviewStarted, null);
        assertThat(queue.due(T0.plusSeconds(4), 10)).containsExactly(P1);

        queue.done(P1, T0.plusSeconds(4), null);
        assertThat(queue.due(T0.plusSeconds(5), 10)).isEmpty();
        assertThat(queue.size()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldScheduleARecheckWhenAConsentWillLapse(Kind kind) {
        ReviewQueue queue = StoreAccess.reviews(db(kind));
        queue.changed(P1, T0);
        Instant lapse = T0.plus(Duration.ofDays(200));

        queue.done(P1, T0.plusSeconds(1), lapse);

        assertThat(queue.due(lapse.minusSeconds(1), 10)).isEmpty();
        assertThat(queue.due(lapse, 10)).containsExactly(P1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldSupersedePendingMessagesOfACaseAndDropPayloadsOnceDelivered(Kind kind) {
        DataSource ds = db(kind);
        Outbox outbox = StoreAccess.outbox(ds);
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 1, "{\"revision\":1}", "c1", T0);
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 2, "{\"revision\":2}", "c2", T0);
        outbox.enqueue("case-2", "jc-a", Outbox.CASE, 1, "{\"revision\":1}", "c3", T0);

        assertThat(outbox.due(T0, 10)).extracting(Outbox.Delivery::caseId, Outbox.Delivery::revision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("case-1", 2L),
                        org.assertj.core.groups.Tuple.tuple("case-2", 1L));
        assertThat(outbox.count("superseded")).isEqualTo(1);

        Outbox.Delivery first = outbox.due(T0, 10).get(0);
        outbox.delivered(first.id(), 201, T0);
        assertThat(JdbcClient.create(ds).sql("select payload from outbox where id = ?").param(first.id())
                .query(String.class).optional()).isEmpty();
        assertThat(outbox.due(T0, 10)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRetryLaterAndRequeueOnlyFailedMessages(Kind kind) {
        Outbox outbox = StoreAccess.outbox(db(kind));
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 1, "{}", "c1", T0);
        long id = outbox.due(T0, 10).get(0).id();

        outbox.retryAt(id, 503, "unavailable", T0.plusSeconds(30), T0);
        assertThat(outbox.due(T0.plusSeconds(29), 10)).isEmpty();
        assertThat(outbox.due(T0.plusSeconds(30), 10)).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(1));

        assertThat(outbox.requeue(id, T0)).isFalse();
        outbox.failed(id, 400, "rejected", T0);
        assertThat(outbox.due(T0.plusSeconds(60), 10)).isEmpty();
        assertThat(outbox.requeue(id, T0.plusSeconds(60))).isTrue();
        assertThat(outbox.due(T0.plusSeconds(60), 10)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldCountRepeatedFailuresOnOneOpenRecord(Kind kind) {
        FailedRecords failed = StoreAccess.failed(db(kind));
        failed.record(FailedRecords.INGEST, "ehr", null, "Consent search", "malformed-response", "not JSON", "<html>",
                T0);
        failed.record(FailedRecords.INGEST, "ehr", null, "Consent search", "malformed-response", "not JSON", "<html>",
                T0.plusSeconds(30));

        assertThat(failed.open()).singleElement().satisfies(r -> {
            assertThat(r.occurrences()).isEqualTo(2);
            assertThat(r.lastAt()).isEqualTo(T0.plusSeconds(30));
        });
        long id = failed.open().get(0).id();
        assertThat(failed.close(id, "discarded")).isTrue();
        assertThat(failed.close(id, "discarded")).isFalse();
        assertThat(failed.open()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldResolveASubjectsRecordsButThoseWhoseReasonStillHolds(Kind kind) {
        FailedRecords failed = StoreAccess.failed(db(kind));
        for (String reason : List.of("invalid-cpr", "unknown-recipient", "malformed-response")) {
            failed.record(FailedRecords.REVIEW, "ehr", null, "Patient/p1", reason, reason, null, T0);
        }
        failed.record(FailedRecords.REVIEW, "ehr", null, "Patient/p2", "invalid-cpr", "invalid-cpr", null, T0);

        failed.resolved(FailedRecords.REVIEW, "Patient/p1", Set.of("unknown-recipient", "consent-unreadable"));

        assertThat(failed.open()).extracting(r -> r.subject() + " " + r.reason())
                .containsExactly("Patient/p1 unknown-recipient", "Patient/p2 invalid-cpr");
        failed.resolved(FailedRecords.REVIEW, "Patient/p1", Set.of());
        assertThat(failed.open()).extracting(FailedRecords.FailedRecord::subject).containsExactly("Patient/p2");
    }

    private static DataSource db(Kind kind) {
        return TestDatabases.fresh(kind);
    }
}
