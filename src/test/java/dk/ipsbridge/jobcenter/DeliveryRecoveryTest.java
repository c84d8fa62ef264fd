package dk.ipsbridge.jobcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.DeliverySettings;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.RetrySettings;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery.Failure;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.http.Http;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.Outbox.Delivery;
import dk.ipsbridge.review.CaseStore;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An EHR that is down during the consent check holds a delivery back without using up its attempts; a jobcenter that
 * cannot be reached uses them up into a failed record; a replay sends the delivery again.
 */
class DeliveryRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String CPR = "0101901234";
    private static final String PAYLOAD = "{\"caseId\":\"case-a\",\"citizen\":{\"cpr\":\"" + CPR + "\"}}";
    private static final int MAX_ATTEMPTS = 3;

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final Outbox outbox = new Outbox(jdbc, TestKeys.atRest());
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final Deliveries deliveries = new Deliveries(outbox, new CaseStore(jdbc), failed,
            new Instance("i1", Duration.ofMinutes(1)),
            Operations.with(DeliverySettings.class, Map.of("max-delivery-attempts", String.valueOf(MAX_ATTEMPTS))),
            Operations.with(RetrySettings.class, Map.of("retry-backoff", "2s", "max-retry-backoff", "1m")), clock,
            new ObjectMapper(), Http.client(), null, null);
    private final DeliveryRecovery recovery = new DeliveryRecovery(deliveries, outbox, clock);

    /** What an operator sees of a delivery in the outbox. */
    record Row(String status, int attempts, String lastError, Instant nextAttemptAt, String claimedBy,
            String payload) {
    }

    @Test
    void shouldPostponeWithoutCountingAnAttemptWhenTheEhrIsDownDuringTheConsentCheck() {
        Delivery delivery = enqueuedAndClaimed(T0);
        outbox.enqueue("case-b", "jc-a", Outbox.CASE, 1, "{}", "c2", T0.minusSeconds(60));

        recovery.retryLater(delivery, ehrDown(Duration.ofSeconds(30)));

        Row row = row(delivery.id());
        assertThat(row.status()).isEqualTo("pending");
        assertThat(row.attempts()).isZero();
        assertThat(row.lastError()).isNull();
        assertThat(row.nextAttemptAt()).isEqualTo(T0.plusSeconds(30)); // the EHR's Retry-After
        assertThat(row.claimedBy()).isNull();
        assertThat(row.payload()).isEqualTo(PAYLOAD);
        // the jobcenter is not down: its other deliveries are not held back
        assertThat(outbox.claim("jc-a", T0, 10, "i1", T0.plusSeconds(60))).extracting(Delivery::caseId)
                .containsExactly("case-b");
        assertThat(failed.open()).isEmpty();
    }

    @Test
    void shouldPostponeWithoutCountingAnAttemptWhenOurStoreWasBusy() {
        Delivery delivery = enqueuedAndClaimed(T0);
        outbox.enqueue("case-b", "jc-a", Outbox.CASE, 1, "{}", "c2", T0.minusSeconds(60));

        recovery.retryLater(delivery, new QueryTimeoutException("Timeout trying to lock table"));

        Row row = row(delivery.id());
        assertThat(row.status()).isEqualTo("pending");
        assertThat(row.attempts()).isZero();
        assertThat(row.nextAttemptAt()).isAfter(T0);
        assertThat(outbox.claim("jc-a", T0, 10, "i1", T0.plusSeconds(60))).extracting(Delivery::caseId)
                .as("the jobcenter is not paused").containsExactly("case-b");
        assertThat(failed.open()).isEmpty();
    }

    @Test
    void shouldNeverGiveUpADeliveryBecauseTheEhrStaysDown() {
        Delivery delivery = enqueuedAndClaimed(T0);
        for (int round = 1; round <= MAX_ATTEMPTS * 3; round++) {
            recovery.retryLater(delivery, ehrDown(null));
            delivery = claimedAgain(T0.plus(Duration.ofHours(round)));
        }

        assertThat(row(delivery.id())).extracting(Row::status, Row::attempts).containsExactly("pending", 0);
        assertThat(failed.open()).isEmpty();
    }

    @Test
    void shouldCountAnAttemptAndPauseTheJobcenterWhenItCannotBeReached() {
        Delivery delivery = enqueuedAndClaimed(T0);
        outbox.enqueue("case-b", "jc-a", Outbox.CASE, 1, "{}", "c2", T0.minusSeconds(60));

        recovery.retryLater(delivery, new ConnectException("Connection refused: cases/case-a for " + CPR));

        Row row = row(delivery.id());
        assertThat(row.status()).isEqualTo("pending");
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.lastError()).isEqualTo("jobcenter unreachable: ConnectException");
        assertThat(Duration.between(T0, row.nextAttemptAt())).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(row.claimedBy()).isNull();
        assertThat(outbox.claim("jc-a", T0, 10, "i1", T0.plusSeconds(60))).isEmpty(); // case-b waits too
        assertThat(failed.open()).isEmpty();
    }

    @Test
    void shouldNameAnUnknownCauseUnknown() {
        Delivery delivery = enqueuedAndClaimed(T0);

        recovery.retryLater(delivery, null);

        assertThat(row(delivery.id()).lastError()).isEqualTo("jobcenter unreachable: unknown");
    }

    @Test
    void shouldGiveUpIntoAFailedRecordAfterTheConfiguredAttempts() {
        Delivery delivery = enqueuedAndClaimed(T0);
        for (int round = 1; round < MAX_ATTEMPTS; round++) {
            recovery.retryLater(delivery, new ConnectException("Connection refused: " + CPR));
            assertThat(failed.open()).isEmpty();
            delivery = claimedAgain(T0.plus(Duration.ofHours(round)));
        }

        recovery.retryLater(delivery, new ConnectException("Connection refused: " + CPR));

        assertThat(row(delivery.id())).extracting(Row::status, Row::attempts, Row::payload)
                .containsExactly("failed", MAX_ATTEMPTS, PAYLOAD); // kept for a replay
        assertThat(failed.open()).extracting(FailedRecord::stage, FailedRecord::sourceId, FailedRecord::recipient,
                FailedRecord::subject, FailedRecord::reason, FailedRecord::message, FailedRecord::original)
                .containsExactly(tuple(FailedRecords.DELIVERY, null, "jc-a", "outbox/" + delivery.id(),
                        "retries-exhausted", "jobcenter unreachable: ConnectException after 3 attempts", null));
    }

    @Test
    void shouldGiveUpIntoAFailedRecordWithoutThePayload() {
        Delivery delivery = enqueuedAndClaimed(T0);

        recovery.deadLetter(delivery, new Failure("internal-error", "NullPointerException", PAYLOAD, T0));

        assertThat(row(delivery.id())).extracting(Row::status, Row::attempts, Row::lastError, Row::claimedBy,
                Row::payload).containsExactly("failed", 1, "internal-error", null, PAYLOAD);
        assertThat(failed.open()).extracting(FailedRecord::stage, FailedRecord::sourceId, FailedRecord::recipient,
                FailedRecord::subject, FailedRecord::reason, FailedRecord::message, FailedRecord::original)
                .containsExactly(tuple(FailedRecords.DELIVERY, null, "jc-a", "outbox/" + delivery.id(),
                        "internal-error", "NullPointerException", null));
        assertThat(failed.open().get(0).message()).doesNotContain(CPR);
    }

    @Test
    void shouldRequeueAReplayedDeliveryWithItsAttemptsReset() {
        Delivery delivery = enqueuedAndClaimed(T0.minusSeconds(60));
        recovery.deadLetter(delivery, new Failure("internal-error", "NullPointerException", null, T0));
        FailedRecord record = failed.open().get(0);

        recovery.replay(record);

        assertThat(row(delivery.id())).extracting(Row::status, Row::attempts, Row::nextAttemptAt)
                .containsExactly("pending", 0, T0);
        assertThat(outbox.claim("jc-a", T0, 10, "i1", T0.plusSeconds(60)))
                .extracting(Delivery::id, Delivery::payload).containsExactly(tuple(delivery.id(), PAYLOAD));
    }

    @Test
    void shouldNotRequeueAReplayedDeliveryThatANewerMessageSuperseded() {
        Delivery delivery = enqueuedAndClaimed(T0.minusSeconds(60));
        recovery.deadLetter(delivery, new Failure("internal-error", "NullPointerException", null, T0));
        FailedRecord record = failed.open().get(0);
        outbox.enqueue("case-a", "jc-a", Outbox.WITHDRAWAL, 1, "{\"reason\":\"consent-withdrawn\"}", "c3", T0);

        recovery.replay(record);

        assertThat(row(delivery.id()).status()).isEqualTo("superseded");
        assertThat(outbox.claim("jc-a", T0, 10, "i1", T0.plusSeconds(60))).extracting(Delivery::kind)
                .containsExactly(Outbox.WITHDRAWAL);
    }

    private Delivery enqueuedAndClaimed(Instant now) {
        outbox.enqueue("case-a", "jc-a", Outbox.CASE, 1, PAYLOAD, "c1", now.minusSeconds(1));
        return claimedAgain(now);
    }

    private Delivery claimedAgain(Instant now) {
        List<Delivery> claimed = outbox.claim("jc-a", now, 10, "i1", now.plusSeconds(60));
        assertThat(claimed).extracting(Delivery::caseId).containsExactly("case-a");
        return claimed.get(0);
    }

    private Row row(long id) {
        return jdbc.sql("select status, attempts, last_error, next_attempt_at, claimed_by, payload from outbox "
                + "where id = ?").param(id)
                .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5),
                        TestKeys.atRest().open(rs.getString(6), "outbox.payload")))
                .single();
    }

    private static UnavailableException ehrDown(Duration retryAfter) {
        return new UnavailableException("EHR patient search answered 503", 503, retryAfter, null);
    }
}
