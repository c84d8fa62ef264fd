package dk.ipsbridge.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A replay closes the record first and hands it to its stage's recovery; a record not open is not replayed. */
class ReplaysTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private final FailedRecords failed = new FailedRecords(
            JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2)), TestKeys.atRest());
    private final Stage review = new Stage("review");
    private final Stage delivery = new Stage("delivery");
    private final Replays replays = new Replays(failed, List.of(review, delivery));

    @Test
    void shouldCloseTheRecordAsReplayedAndHandItToItsStageOnly() {
        failed.record("review", "ehr", null, "Patient/1", "invalid-cpr", "no valid CPR", null, NOW);
        long id = failed.open().get(0).id();

        assertThat(replays.replay(id)).isTrue();

        assertThat(review.replayed).containsExactly("Patient/1");
        assertThat(delivery.replayed).isEmpty();
        assertThat(failed.find(id)).get().extracting(FailedRecord::status).isEqualTo("replayed");
        assertThat(replays.replay(id)).as("a second replay").isFalse();
        assertThat(review.replayed).hasSize(1);
    }

    @Test
    void shouldDiscardAnOpenRecordOnce() {
        failed.record("delivery", null, "jc-a", "outbox/4", "rejected", "422", null, NOW);
        long id = failed.open().get(0).id();

        assertThat(replays.discard(id)).isTrue();
        assertThat(replays.discard(id)).isFalse();
        assertThat(replays.replay(id)).isFalse();
        assertThat(delivery.replayed).isEmpty();
    }

    @Test
    void shouldReplayNothingForAnUnknownRecord() {
        assertThat(replays.replay(999)).isFalse();
    }

    @Test
    void shouldAcknowledgeARecordOfAStageWithoutARecovery() {
        failed.record("notification", "ehr", null, "Subscription/1", "malformed", "m", null, NOW);
        long id = failed.open().get(0).id();

        assertThat(replays.replay(id)).isTrue();
        assertThat(failed.open()).isEmpty();
    }

    static final class Stage implements Recovery<Object> {
        final String name;
        final List<String> replayed = new ArrayList<>();

        Stage(String name) {
            this.name = name;
        }

        @Override
        public Class<Object> work() {
            return Object.class;
        }

        @Override
        public String stage() {
            return name;
        }

        @Override
        public void retryLater(Object work, Exception cause) {
        }

        @Override
        public void deadLetter(Object work, Failure failure) {
        }

        @Override
        public void replay(FailedRecord record) {
            replayed.add(record.subject());
        }
    }
}
