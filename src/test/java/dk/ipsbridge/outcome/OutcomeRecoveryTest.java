package dk.ipsbridge.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.io.IOException;
import java.time.Instant;

import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery.Failure;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.outcome.OutcomeWriteBack.OutcomeWork;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A jobcenter's outcomes feed that cannot be read is a failed record by jobcenter; a replay hands it back. */
class OutcomeRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final OutcomeWork JC_A = new OutcomeWork("jc-a");
    private static final String CPR = "0101901234";

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final OutcomeWriteBack outcomes = mock(OutcomeWriteBack.class);
    private final OutcomeRecovery recovery = new OutcomeRecovery(failed, outcomes);

    @Test
    void shouldRecordAFailedFeedByJobcenter() {
        recovery.deadLetter(JC_A, new Failure("malformed-outcomes", "the outcomes page of jc-a lacks items or "
                + "nextCursor", null, T0));

        assertThat(failed.open()).extracting(FailedRecord::stage, FailedRecord::sourceId, FailedRecord::recipient,
                FailedRecord::subject, FailedRecord::reason, FailedRecord::message, FailedRecord::original,
                FailedRecord::firstAt).containsExactly(tuple(FailedRecords.OUTCOME, null, "jc-a", "outcomes feed",
                        "malformed-outcomes", "the outcomes page of jc-a lacks items or nextCursor", null, T0));
    }

    @Test
    void shouldStoreTheMessageAsGivenAndTheOriginalApartFromIt() {
        String original = "{\"items\":[{\"cpr\":\"" + CPR + "\"}]}";

        recovery.deadLetter(JC_A, new Failure("internal-error", "NullPointerException", original, T0));

        FailedRecord record = failed.open().get(0);
        assertThat(record.message()).isEqualTo("NullPointerException").doesNotContain(CPR);
        assertThat(record.original()).isEqualTo(original);
    }

    @Test
    void shouldCountAFeedThatFailsEveryRoundAsOneRecord() {
        recovery.deadLetter(JC_A, new Failure("jobcenter-http-400", "outcomes of jc-a answered 400", null, T0));
        recovery.deadLetter(JC_A, new Failure("jobcenter-http-400", "outcomes of jc-a answered 400", null,
                T0.plusSeconds(60)));

        assertThat(failed.open()).extracting(FailedRecord::recipient, FailedRecord::occurrences, FailedRecord::lastAt)
                .containsExactly(tuple("jc-a", 2, T0.plusSeconds(60)));
    }

    @Test
    void shouldKeepTheFailedFeedsOfTwoJobcentersApart() {
        recovery.deadLetter(JC_A, new Failure("jobcenter-http-400", "outcomes of jc-a answered 400", null, T0));
        recovery.deadLetter(new OutcomeWork("jc-b"), new Failure("jobcenter-http-400", "outcomes of jc-b answered 400",
                null, T0));

        assertThat(failed.open()).extracting(FailedRecord::recipient, FailedRecord::occurrences)
                .containsExactlyInAnyOrder(tuple("jc-a", 1), tuple("jc-b", 1));
    }

    @Test
    void shouldRecordNothingWhenTheFeedIsRetriedLater() {
        recovery.retryLater(JC_A, new UnavailableException("outcomes of jc-a answered 503", 503, null, null));
        recovery.retryLater(JC_A, new IOException("connection reset"));
        recovery.retryLater(JC_A, null);

        assertThat(failed.open()).isEmpty();
        verifyNoInteractions(outcomes);
    }

    @Test
    void shouldHandTheRecordedEventBackToItsJobcenterOnReplay() {
        String event = "{\"eventId\":\"ev-1\",\"caseId\":\"case-a\"}";
        recovery.deadLetter(JC_A, new Failure("internal-error", "outcome event could not be handled", event, T0));

        recovery.replay(failed.open().get(0));

        verify(outcomes).replay("jc-a", event);
    }
}
