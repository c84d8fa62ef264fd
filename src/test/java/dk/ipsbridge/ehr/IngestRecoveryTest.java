package dk.ipsbridge.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.time.Instant;

import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery.Failure;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A poll that fails on bad input is a failed record by source and resource type; one that meets a down EHR is none. */
class IngestRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final IngestWork CONSENTS = new IngestWork("ehr-a", "Consent");
    private static final String CPR = "0101901234";

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final IngestRecovery recovery = new IngestRecovery(failed);

    @Test
    void shouldRecordAFailedPollBySourceAndResourceType() {
        recovery.deadLetter(CONSENTS, new Failure("paging-loop", "the EHR's next link repeats page 3", null, T0));

        assertThat(failed.open()).extracting(FailedRecord::stage, FailedRecord::sourceId, FailedRecord::recipient,
                FailedRecord::subject, FailedRecord::reason, FailedRecord::message, FailedRecord::original,
                FailedRecord::firstAt, FailedRecord::status)
                .containsExactly(tuple(FailedRecords.INGEST, "ehr-a", null, "Consent search", "paging-loop",
                        "the EHR's next link repeats page 3", null, T0, "open"));
    }

    @Test
    void shouldKeepTheInputForTheOperatorButOutOfTheMessage() {
        String original = "<Bundle><entry><Patient><identifier value=\"" + CPR + "\"/></Patient></entry></Bundle>";

        recovery.deadLetter(CONSENTS, new Failure("xml-not-accepted", "the EHR answered XML", original, T0));

        FailedRecord record = failed.open().get(0);
        assertThat(record.message()).isEqualTo("the EHR answered XML").doesNotContain(CPR);
        assertThat(record.original()).isEqualTo(original);
    }

    @Test
    void shouldCountAPollThatFailsEveryRoundAsOneRecord() {
        Failure failure = new Failure("malformed-response", "the EHR's Consent search is not a Bundle", null, T0);
        recovery.deadLetter(CONSENTS, failure);
        recovery.deadLetter(CONSENTS, new Failure(failure.reason(), failure.message(), null, T0.plusSeconds(30)));
        recovery.deadLetter(new IngestWork("ehr-a", "Condition"), failure);

        assertThat(failed.open()).extracting(FailedRecord::subject, FailedRecord::occurrences)
                .containsExactly(tuple("Consent search", 2), tuple("Condition search", 1));
    }

    @Test
    void shouldKeepTheFailedPollsOfTwoSourcesApart() {
        Failure failure = new Failure("malformed-response", "the EHR's Consent search is not a Bundle", null, T0);
        recovery.deadLetter(CONSENTS, failure);
        recovery.deadLetter(new IngestWork("ehr-b", "Consent"), failure);

        assertThat(failed.open()).extracting(FailedRecord::sourceId, FailedRecord::occurrences)
                .containsExactlyInAnyOrder(tuple("ehr-a", 1), tuple("ehr-b", 1));
    }

    @Test
    void shouldRecordNothingWhenTheEhrIsDown() {
        recovery.retryLater(CONSENTS, new UnavailableException("EHR Consent search answered 503", 503, null, null));
        recovery.retryLater(CONSENTS, new IOException("connection reset"));
        recovery.retryLater(CONSENTS, null);

        assertThat(failed.open()).isEmpty();
    }

    @Test
    void shouldOnlyAcknowledgeAReplayedPoll() {
        recovery.deadLetter(CONSENTS, new Failure("paging-loop", "the EHR's next link repeats page 3", null, T0));
        FailedRecord record = failed.open().get(0);

        recovery.replay(record); // the next poll reads from the same cursor anyway

        assertThat(failed.open()).containsExactly(record); // closing it is the business of Replays, not of this
    }
}
