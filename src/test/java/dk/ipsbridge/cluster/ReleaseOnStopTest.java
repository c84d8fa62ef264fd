package dk.ipsbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An instance that stops, or starts again under the same id after a kill, gives back what that id holds at once: the
 * work of another instance is left alone.
 */
class ReleaseOnStopTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant LEASE = T0.plus(Duration.ofMinutes(5));

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final Outbox outbox = new Outbox(jdbc, TestKeys.atRest());
    private final ReviewQueue reviews = new ReviewQueue(jdbc);
    private final ReleaseOnStop i1 = new ReleaseOnStop(List.of(outbox, reviews),
            new Instance("i1", Duration.ofMinutes(5)), jdbc);

    @Test
    void shouldReleaseAtStartWhatItsPreviousRunLeftAndNothingOfAnotherInstance() {
        claimWork("i1", "a");
        claimWork("i2", "b");
        lock("ehr-poll-ehr-a", "i1");
        lock("outcome-collect", "i2");

        i1.start();

        assertThat(i1.isRunning()).isTrue();
        assertThat(outboxClaims()).containsExactlyInAnyOrder(tuple("case-a", null), tuple("case-b", "i2"));
        assertThat(reviewClaims()).containsExactlyInAnyOrder(tuple("p-a", null), tuple("p-b", "i2"));
        assertThat(jdbc.sql("select name, locked_by from shedlock").query((rs, n) -> tuple(rs.getString(1),
                rs.getString(2))).list()).containsExactly(tuple("outcome-collect", "i2"));
    }

    @Test
    void shouldLeaveReleasedWorkDueForAnyInstanceAtOnce() {
        claimWork("i1", "a");

        i1.start();

        assertThat(outbox.claim("jc-a", T0, 10, "i2", LEASE)).extracting(Outbox.Delivery::caseId)
                .containsExactly("case-a");
        assertThat(reviews.claim(T0, 10, "i2", LEASE)).containsExactly(new PatientKey("ehr-a", "p-a"));
    }

    @Test
    void shouldStartWithNothingToReleaseAndStillRun() {
        claimWork("i2", "b");

        i1.start();

        assertThat(i1.isRunning()).isTrue();
        assertThat(outboxClaims()).containsExactly(tuple("case-b", "i2"));
        assertThat(reviewClaims()).containsExactly(tuple("p-b", "i2"));
    }

    @Test
    void shouldReleaseAtStopWhatItClaimedWhileRunning() {
        i1.start();
        claimWork("i1", "a");
        claimWork("i2", "b");

        i1.stop();

        assertThat(i1.isRunning()).isFalse();
        assertThat(outboxClaims()).containsExactlyInAnyOrder(tuple("case-a", null), tuple("case-b", "i2"));
        assertThat(reviewClaims()).containsExactlyInAnyOrder(tuple("p-a", null), tuple("p-b", "i2"));
    }

    @Test
    void shouldReleaseEveryKindOfClaimsItIsGiven() {
        List<String> released = new java.util.ArrayList<>();
        Claims first = claims("things", released);
        Claims second = claims("other things", released);
        ReleaseOnStop release = new ReleaseOnStop(List.of(first, second), new Instance("i1", Duration.ofMinutes(5)),
                jdbc);

        release.start();
        release.stop();

        assertThat(released).containsExactly("things:i1", "other things:i1", "things:i1", "other things:i1");
    }

    @Test
    void shouldStopLastWhileTheDatabaseIsOpen() {
        assertThat(i1.getPhase()).isZero();
        assertThat(i1.isRunning()).isFalse();
    }

    private static Claims claims(String what, List<String> released) {
        return new Claims() {
            @Override
            public String what() {
                return what;
            }

            @Override
            public int release(String instanceId) {
                released.add(what + ":" + instanceId);
                return 1;
            }
        };
    }

    /** A delivery to jc-a of case-{suffix} and the review of patient p-{suffix}, claimed by {@code owner}. */
    private void claimWork(String owner, String suffix) {
        outbox.enqueue("case-" + suffix, "jc-a", Outbox.CASE, 1, "{}", "c-" + suffix, T0.minusSeconds(60));
        assertThat(outbox.claim("jc-a", T0, 10, owner, LEASE)).extracting(Outbox.Delivery::caseId)
                .contains("case-" + suffix);
        reviews.changed(new PatientKey("ehr-a", "p-" + suffix), T0.minusSeconds(60));
        assertThat(reviews.claim(T0, 10, owner, LEASE)).contains(new PatientKey("ehr-a", "p-" + suffix));
    }

    private void lock(String name, String owner) {
        LocalDateTime now = LocalDateTime.ofInstant(T0, ZoneOffset.UTC);
        jdbc.sql("insert into shedlock (name, lock_until, locked_at, locked_by) values (?, ?, ?, ?)")
                .params(name, now.plusMinutes(5), now, owner).update();
    }

    private List<org.assertj.core.groups.Tuple> outboxClaims() {
        return jdbc.sql("select case_id, claimed_by from outbox").query((rs, n) -> tuple(rs.getString(1),
                rs.getString(2))).list();
    }

    private List<org.assertj.core.groups.Tuple> reviewClaims() {
        return jdbc.sql("select patient_id, claimed_by from patient_review").query((rs, n) -> tuple(rs.getString(1),
                rs.getString(2))).list();
    }
}
