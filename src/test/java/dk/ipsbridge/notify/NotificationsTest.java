package dk.ipsbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.ehr.PollSchedule;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.review.CaseStore;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** What a notification sets in motion: marks for review, an early poll, or nothing when it was seen before. */
class NotificationsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String SUBSCRIPTION = "Subscription/s1";

    private final DataSource db = TestDatabases.fresh(Kind.H2);
    private final JdbcClient jdbc = JdbcClient.create(db);
    private final ReviewQueue reviews = new ReviewQueue(jdbc);
    private final PollSchedule polls = mock(PollSchedule.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Notifications notifications = new Notifications(new NotificationBook(jdbc), reviews,
            new CaseStore(jdbc), polls,
            new DataSourceTransactionManager(db), meters, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldMarkTheNamedPatientsAndNotPoll() {
        notifications.accept("ehr", event(1, "p1", "p2"));

        assertThat(reviews.due(NOW, 10)).containsExactlyInAnyOrder(new PatientKey("ehr", "p1"),
                new PatientKey("ehr", "p2"));
        verify(polls, never()).request(any(), any());
        assertThat(meters.get("ips.notifications").tag("kind", "event-notification").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldMarkThePatientsWhoseCasesRestOnADeletedConsent() {
        for (String[] row : new String[][] {{"p1", "jc-a", "c1", "shared"}, {"p1", "jc-b", "c1", "held"},
                {"p2", "jc-a", "c2", "shared"}}) {
            jdbc.sql("insert into ips_case (source_id, patient_id, recipient, state, consent_id, updated_at) "
                    + "values ('ehr', ?, ?, ?, ?, ?)")
                    .params(row[0], row[1], row[3], row[2], NOW.atOffset(ZoneOffset.UTC)).update();
        }

        notifications.accept("ehr", new NotificationReader(FhirContext.forR4Cached(), 64)
                .delete("Consent", "c1"));

        assertThat(reviews.due(NOW, 10)).containsExactly(new PatientKey("ehr", "p1"));
    }

    @Test
    void shouldIgnoreANotificationWhoseEventsWereAllSeen() {
        notifications.accept("ehr", event(1, "p1"));
        reviews.done(new PatientKey("ehr", "p1"), NOW, null);

        notifications.accept("ehr", event(1, "p1"));

        assertThat(reviews.due(NOW, 10)).as("not marked again").isEmpty();
        assertThat(meters.get("ips.notifications.events").tag("outcome", "duplicate").counter().count())
                .isEqualTo(1);
    }

    @Test
    void shouldPollEarlyWhenTheChangeIsNotCarriedOrEventsWereLost() {
        notifications.accept("ehr", new Notification("event-notification", SUBSCRIPTION, 1L, List.of(1L), Set.of(),
                true)); // id-only
        verify(polls, times(1)).request(eq("ehr"), eq(NOW));

        notifications.accept("ehr", event(3, "p3")); // 2 is missing
        verify(polls, times(2)).request(eq("ehr"), eq(NOW));
        assertThat(reviews.due(NOW, 10)).as("and what it carries is marked all the same")
                .containsExactly(new PatientKey("ehr", "p3"));

        notifications.accept("ehr", new Notification("heartbeat", SUBSCRIPTION, 5L, List.of(), Set.of(), false));
        verify(polls, times(3)).request(eq("ehr"), eq(NOW));
        notifications.accept("ehr", new Notification("heartbeat", SUBSCRIPTION, 5L, List.of(), Set.of(), false));
        verify(polls, times(3)).request(eq("ehr"), eq(NOW));
    }

    private static Notification event(long number, String... patients) {
        return new Notification("event-notification", SUBSCRIPTION, number, List.of(number), Set.of(patients), false);
    }
}
