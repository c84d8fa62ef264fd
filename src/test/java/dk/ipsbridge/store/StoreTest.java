package dk.ipsbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

import dk.ipsbridge.ehr.CursorStore;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The store's behaviour, the same on the embedded default and on PostgreSQL. */
class StoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String ME = "instance-a";
    private static final PatientKey P1 = new PatientKey("ehr", "p1");

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepOneCursorPerSourceAndTypeAndMoveItForward(Kind kind) {
        CursorStore cursors = StoreAccess.cursors(db(kind));

        assertThat(cursors.cursor("ehr", "Consent")).isEmpty();
        cursors.save("ehr", "Consent", new CursorStore.Cursor("2026-11-23T09:00:00.123+01:00", Set.of()), T0);
        cursors.save("ehr", "Consent", new CursorStore.Cursor("2026-11-23T09:05:00.456+01:00",
                Set.of("Consent/c1/2/2026-11-23T09:05:00.456+01:00", "Consent/c2/1/2026-11-23T09:05:00.456+01:00")),
                T0.plusSeconds(60));
        cursors.save("ehr", "Patient", new CursorStore.Cursor("2026-01-01T00:00:00Z", Set.of()), T0);

        assertThat(cursors.cursor("ehr", "Consent")).contains(new CursorStore.Cursor("2026-11-23T09:05:00.456+01:00",
                Set.of("Consent/c1/2/2026-11-23T09:05:00.456+01:00", "Consent/c2/1/2026-11-23T09:05:00.456+01:00")));
        assertThat(cursors.cursor("ehr", "Patient")).contains(new CursorStore.Cursor("2026-01-01T00:00:00Z",
                Set.of()));
        assertThat(cursors.cursor("other", "Consent")).isEmpty();
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

        assertThat(claim(outbox, T0)).extracting(Outbox.Delivery::caseId, Outbox.Delivery::revision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("case-1", 2L),
                        org.assertj.core.groups.Tuple.tuple("case-2", 1L));
        assertThat(outbox.count("superseded")).isEqualTo(1);
        outbox.release(ME);

        Outbox.Delivery first = claim(outbox, T0).get(0);
        outbox.delivered(first.id(), 201, T0);
        outbox.release(ME);
        assertThat(JdbcClient.create(ds).sql("select payload from outbox where id = ?").param(first.id())
                .query(String.class).optional()).isEmpty();
        assertThat(claim(outbox, T0)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRetryLaterAndRequeueOnlyFailedMessages(Kind kind) {
        Outbox outbox = StoreAccess.outbox(db(kind));
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 1, "{}", "c1", T0);
        long id = claim(outbox, T0).get(0).id();

        outbox.retryAt(id, 503, "unavailable", T0.plusSeconds(30), T0);
        assertThat(claim(outbox, T0.plusSeconds(29))).isEmpty();
        assertThat(claim(outbox, T0.plusSeconds(30))).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(1));
        outbox.release(ME);

        assertThat(outbox.requeue(id, T0)).isFalse();
        outbox.failed(id, 400, "rejected", T0);
        assertThat(claim(outbox, T0.plusSeconds(60))).isEmpty();
        assertThat(outbox.requeue(id, T0.plusSeconds(60))).isTrue();
        assertThat(claim(outbox, T0.plusSeconds(60))).hasSize(1);
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

        failed.resolved(FailedRecords.REVIEW, "ehr", "Patient/p1", Set.of("unknown-recipient", "consent-unreadable"));

        assertThat(failed.open()).extracting(r -> r.subject() + " " + r.reason())
                .containsExactly("Patient/p1 unknown-recipient", "Patient/p2 invalid-cpr");
        failed.resolved(FailedRecords.REVIEW, "ehr", "Patient/p1", Set.of());
        assertThat(failed.open()).extracting(FailedRecords.FailedRecord::subject).containsExactly("Patient/p2");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldGiveEachDueDeliveryToOneInstanceAndTakeItOverWhenTheLeaseRunsOut(Kind kind) {
        Outbox outbox = StoreAccess.outbox(db(kind));
        for (int i = 1; i <= 6; i++) {
            outbox.enqueue("case-" + i, "jc-a", Outbox.CASE, 1, "{}", "c" + i, T0);
        }
        outbox.enqueue("case-9", "jc-b", Outbox.CASE, 1, "{}", "c9", T0);

        List<Outbox.Delivery> a = outbox.claim("jc-a", T0, 4, "instance-a", T0.plusSeconds(30));
        List<Outbox.Delivery> b = outbox.claim("jc-a", T0, 4, "instance-b", T0.plusSeconds(60));

        assertThat(a).hasSize(4);
        assertThat(b).hasSize(2).extracting(Outbox.Delivery::id)
                .doesNotContainAnyElementsOf(a.stream().map(Outbox.Delivery::id).toList());
        assertThat(b).extracting(Outbox.Delivery::recipient).containsOnly("jc-a");
        assertThat(outbox.claim("jc-a", T0.plusSeconds(29), 10, "instance-b", T0.plusSeconds(89))).isEmpty();
        // instance-a died: its claims run out, and instance-b takes them over; instance-a can no longer send them
        assertThat(outbox.claim("jc-a", T0.plusSeconds(31), 10, "instance-b", T0.plusSeconds(91)))
                .extracting(Outbox.Delivery::id).containsExactlyElementsOf(a.stream().map(Outbox.Delivery::id).toList());
        assertThat(outbox.renew(a.get(0).id(), "instance-a", T0.plusSeconds(32), T0.plusSeconds(62))).isFalse();
        assertThat(outbox.renew(a.get(0).id(), "instance-b", T0.plusSeconds(32), T0.plusSeconds(62))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldHoldBackTheNextMessageOfACaseWhileOneIsInFlight(Kind kind) {
        Outbox outbox = StoreAccess.outbox(db(kind));
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 1, "{}", "c1", T0);
        Outbox.Delivery inFlight = claim(outbox, T0).get(0);

        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 2, "{}", "c2", T0); // supersedes revision 1 while it is sent

        assertThat(outbox.claim("jc-a", T0, 10, "instance-b", T0.plusSeconds(30))).isEmpty();
        assertThat(outbox.renew(inFlight.id(), ME, T0, T0.plusSeconds(30))).isFalse(); // superseded: not sent again
        assertThat(outbox.claim("jc-a", T0, 10, "instance-b", T0.plusSeconds(30)))
                .extracting(Outbox.Delivery::revision).containsExactly(2L);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldBackOffFromAJobcenterWithoutTouchingTheOthers(Kind kind) {
        Outbox outbox = StoreAccess.outbox(db(kind));
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 1, "{}", "c1", T0);
        outbox.enqueue("case-2", "jc-a", Outbox.CASE, 1, "{}", "c2", T0);
        outbox.enqueue("case-3", "jc-b", Outbox.CASE, 1, "{}", "c3", T0);
        List<Outbox.Delivery> batch = claim(outbox, T0);

        outbox.retryAt(batch.get(0).id(), 503, "unavailable", T0.plusSeconds(20), T0);
        assertThat(outbox.backOff("jc-a", T0.plusSeconds(20), T0)).isEqualTo(1);

        assertThat(outbox.renew(batch.get(1).id(), ME, T0, T0.plusSeconds(30))).isFalse();
        assertThat(outbox.claim("jc-b", T0, 10, ME, T0.plusSeconds(30))).hasSize(1);
        assertThat(claim(outbox, T0.plusSeconds(19))).isEmpty();
        assertThat(claim(outbox, T0.plusSeconds(20))).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldGiveEachDuePatientToOneInstance(Kind kind) {
        ReviewQueue queue = StoreAccess.reviews(db(kind));
        for (int i = 1; i <= 5; i++) {
            queue.changed(new PatientKey("ehr", "p" + i), T0.plusMillis(i));
        }
        List<PatientKey> a = queue.claim(T0.plusSeconds(1), 3, "instance-a", T0.plusSeconds(31));
        List<PatientKey> b = queue.claim(T0.plusSeconds(1), 3, "instance-b", T0.plusSeconds(31));

        assertThat(a).hasSize(3);
        assertThat(b).hasSize(2).doesNotContainAnyElementsOf(a);
        queue.done(a.get(0), T0.plusSeconds(1), null);
        // the leases ran out (say both died): whoever comes next takes the patients still due, and only those
        List<PatientKey> stillDue = new java.util.ArrayList<>(a.subList(1, 3));
        stillDue.addAll(b);
        assertThat(queue.claim(T0.plusSeconds(32), 10, "instance-c", T0.plusSeconds(62)))
                .containsExactlyInAnyOrderElementsOf(stillDue);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldClaimNothingForAPausedJobcenterOnAnyInstanceAndEverythingAfterResume(Kind kind) {
        Outbox outbox = StoreAccess.outbox(db(kind));
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 1, "{}", "c1", T0);
        outbox.enqueue("case-2", "jc-a", Outbox.CASE, 1, "{}", "c2", T0);
        outbox.enqueue("case-3", "jc-b", Outbox.CASE, 1, "{}", "c3", T0);
        Outbox.Delivery claimedBefore = claim(outbox, T0).get(0);

        assertThat(outbox.pauseRecipient("jc-a", "ops-anna", "jobcenter upgrade", T0)).isTrue();
        assertThat(outbox.pauseRecipient("jc-a", "ops-bo", null, T0.plusSeconds(1))).isFalse(); // the first stands

        assertThat(outbox.renew(claimedBefore.id(), ME, T0, T0.plusSeconds(30))).isFalse(); // claimed, not yet sent
        assertThat(outbox.claim("jc-a", T0.plusSeconds(60), 10, "instance-b", T0.plusSeconds(90))).isEmpty();
        assertThat(outbox.claim("jc-b", T0, 10, ME, T0.plusSeconds(30))).hasSize(1);
        assertThat(outbox.pauses()).singleElement().satisfies(p -> {
            assertThat(p.recipient()).isEqualTo("jc-a");
            assertThat(p.pausedBy()).isEqualTo("ops-anna");
            assertThat(p.reason()).isEqualTo("jobcenter upgrade");
        });
        assertThat(outbox.waiting()).containsEntry("jc-a", java.util.Map.of(Outbox.CASE, 2));

        assertThat(outbox.resumeRecipient("jc-a")).isTrue();
        assertThat(outbox.resumeRecipient("jc-a")).isFalse();
        assertThat(claim(outbox, T0.plusSeconds(60))).extracting(Outbox.Delivery::caseId)
                .containsExactly("case-1", "case-2");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldClaimDueWithdrawalsBeforeAnyCaseRecord(Kind kind) {
        Outbox outbox = StoreAccess.outbox(db(kind));
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 1, "{}", "c1", T0);
        outbox.enqueue("case-2", "jc-a", Outbox.CASE, 1, "{}", "c2", T0);
        outbox.enqueue("case-3", "jc-a", Outbox.WITHDRAWAL, 2, "{}", "c3", T0.plusSeconds(5));
        outbox.enqueue("case-4", "jc-a", Outbox.WITHDRAWAL, 2, "{}", "c4", T0.plusSeconds(90)); // not due yet

        assertThat(claim(outbox, T0.plusSeconds(10))).extracting(Outbox.Delivery::caseId)
                .containsExactly("case-3");
        assertThat(claim(outbox, T0.plusSeconds(10))).extracting(Outbox.Delivery::caseId)
                .containsExactly("case-1", "case-2");
    }

    private static List<Outbox.Delivery> claim(Outbox outbox, Instant now) {
        return outbox.claim("jc-a", now, 10, ME, now.plusSeconds(30));
    }

    private static DataSource db(Kind kind) {
        return TestDatabases.fresh(kind);
    }
}
