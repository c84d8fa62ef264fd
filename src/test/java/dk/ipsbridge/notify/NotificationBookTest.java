package dk.ipsbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Duplicates, late arrivals, gaps and restarts, counted per subscription, on H2 and PostgreSQL. */
class NotificationBookTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SUBSCRIPTION = "Subscription/s1";

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldTakeEventsInSequenceAsFresh(Kind kind) {
        NotificationBook book = book(kind);
        assertThat(book.record("ehr", event(1), NOW)).isEqualTo(new NotificationBook.Outcome(1, 0, 0, false, false));
        assertThat(book.record("ehr", event(2, 3), NOW)).isEqualTo(new NotificationBook.Outcome(2, 0, 0, false, false));
        assertThat(counts(book)).satisfies(c -> {
            assertThat(c.notifications()).isEqualTo(2);
            assertThat(c.eventsSeen()).isEqualTo(3);
            assertThat(c.highestEvent()).isEqualTo(3);
            assertThat(c.lastType()).isEqualTo("event-notification");
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldIgnoreAndCountADuplicate(Kind kind) {
        NotificationBook book = book(kind);
        book.record("ehr", event(1), NOW);
        book.record("ehr", event(2), NOW);

        NotificationBook.Outcome again = book.record("ehr", event(1), NOW);
        assertThat(again.repeated()).isTrue();
        assertThat(again.gap()).isFalse();
        assertThat(book.record("ehr", event(2, 3), NOW).repeated()).as("one of them is new").isFalse();
        assertThat(counts(book).duplicates()).isEqualTo(2);
        assertThat(counts(book).eventsSeen()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldSeeAGapAndThenTheLateEventAsOutOfOrder(Kind kind) {
        NotificationBook book = book(kind);
        book.record("ehr", event(1), NOW);

        NotificationBook.Outcome jump = book.record("ehr", event(3), NOW);
        assertThat(jump.gap()).as("2 is missing").isTrue();
        NotificationBook.Outcome late = book.record("ehr", event(2), NOW);
        assertThat(late).isEqualTo(new NotificationBook.Outcome(0, 0, 1, false, false));
        assertThat(late.repeated()).as("processed: it was never seen").isFalse();
        assertThat(book.record("ehr", event(2), NOW).repeated()).as("and once seen, it is a duplicate").isTrue();
        assertThat(counts(book)).satisfies(c -> {
            assertThat(c.gaps()).isEqualTo(1);
            assertThat(c.outOfOrder()).isEqualTo(1);
            assertThat(c.duplicates()).isEqualTo(1);
            assertThat(c.highestEvent()).isEqualTo(3);
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldSeeEventsLostWhenAHeartbeatCountsMoreThanArrived(Kind kind) {
        NotificationBook book = book(kind);
        book.record("ehr", event(1), NOW);
        assertThat(book.record("ehr", status("heartbeat", 1), NOW).gap()).isFalse();

        assertThat(book.record("ehr", status("heartbeat", 3), NOW).gap()).as("events 2 and 3 never came").isTrue();
        assertThat(book.record("ehr", status("heartbeat", 3), NOW).gap()).as("already counted").isFalse();
        assertThat(book.record("ehr", status("query-status", 2), NOW).gap()).as("a stale status").isFalse();
        assertThat(book.record("ehr", event(4), NOW).gap()).isFalse();
        assertThat(counts(book).gaps()).isEqualTo(1);
        assertThat(counts(book).highestEvent()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldStartCountingAgainWhenAHandshakeRestartsTheNumbering(Kind kind) {
        NotificationBook book = book(kind);
        assertThat(book.record("ehr", status("handshake", 0), NOW))
                .as("the first handshake starts at 0: nothing to restart")
                .isEqualTo(new NotificationBook.Outcome(0, 0, 0, false, false));
        book.record("ehr", event(1, 2), NOW);

        assertThat(book.record("ehr", status("handshake", 0), NOW).restarted()).isTrue();
        NotificationBook.Outcome first = book.record("ehr", event(1), NOW);
        assertThat(first.repeated()).as("event 1 of the new numbering is new").isFalse();
        assertThat(first.fresh()).isEqualTo(1);
        assertThat(counts(book).restarts()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepSubscriptionsAndSourcesApartAndCountRestHooks(Kind kind) {
        NotificationBook book = book(kind);
        book.record("ehr", event(1), NOW);
        assertThat(book.record("ehr-2", event(1), NOW).repeated()).as("another source").isFalse();
        Notification other = new Notification("event-notification", "Subscription/s2", 1L, List.of(1L), Set.of(),
                false);
        assertThat(book.record("ehr", other, NOW).repeated()).as("another subscription").isFalse();
        Notification restHook = new Notification("rest-hook-empty", null, null, List.of(), Set.of(), true);
        assertThat(book.record("ehr", restHook, NOW).repeated()).isFalse();
        assertThat(book.record("ehr", restHook, NOW).repeated()).as("a rest-hook has no number to repeat").isFalse();

        assertThat(book.counts()).extracting(NotificationBook.Counts::sourceId, NotificationBook.Counts::subscription,
                NotificationBook.Counts::notifications).containsExactly(
                        tuple("ehr", "Subscription/s1", 1L),
                        tuple("ehr", "Subscription/s2", 1L),
                        tuple("ehr", NotificationBook.REST_HOOK, 2L),
                        tuple("ehr-2", "Subscription/s1", 1L));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldForgetOldEventNumbers(Kind kind) {
        JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(kind));
        NotificationBook book = new NotificationBook(jdbc);
        book.record("ehr", event(1), NOW);
        book.record("ehr", event(2 + NotificationBook.KEEP_EVENTS), NOW);
        assertThat(jdbc.sql("select event_number from notification_event").query(Long.class).list())
                .containsExactly(2 + NotificationBook.KEEP_EVENTS);
    }

    private static NotificationBook book(Kind kind) {
        return new NotificationBook(JdbcClient.create(TestDatabases.fresh(kind)));
    }

    private static NotificationBook.Counts counts(NotificationBook book) {
        return book.counts().stream().filter(c -> c.subscription().equals(SUBSCRIPTION)).findFirst().orElseThrow();
    }

    private static Notification event(long... numbers) {
        List<Long> list = Arrays.stream(numbers).boxed().toList();
        return new Notification("event-notification", SUBSCRIPTION, list.get(list.size() - 1), list, Set.of("p1"),
                false);
    }

    private static Notification status(String type, long since) {
        return new Notification(type, SUBSCRIPTION, since, List.of(), Set.of(), "handshake".equals(type));
    }
}
