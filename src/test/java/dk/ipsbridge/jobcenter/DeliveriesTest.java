package dk.ipsbridge.jobcenter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.DeliverySettings;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.RetrySettings;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.review.CaseStore;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What a jobcenter's answer to a withdrawal means (case API 1.1.0): only the unknown-case 404 completes it. */
class DeliveriesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final Outbox outbox = new Outbox(jdbc);
    private final FailedRecords failed = new FailedRecords(jdbc);
    private final Deliveries deliveries = new Deliveries(outbox, new CaseStore(jdbc), failed,
            new Instance("i1", Duration.ofMinutes(1)), Operations.defaults(DeliverySettings.class),
            Operations.defaults(RetrySettings.class), Clock.fixed(T0, ZoneOffset.UTC), new ObjectMapper());

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "202 | '' | delivered",
        "404 | '{\"type\":\"https://ipsbridge.dk/problems/unknown-case\",\"title\":\"Unknown case\",\"status\":404}' "
                + "| delivered",
        "404 | '' | failed",
        "404 | '<html>Not Found</html>' | failed",
        "404 | '{\"type\":\"about:blank\",\"status\":404}' | failed",
        "404 | '{\"title\":\"Unknown case\"}' | failed"})
    void shouldCompleteAWithdrawalOnlyOnA2xxOrTheUnknownCaseProblem(int status, String body, String outcome) {
        outbox.enqueue("case-a", "jc-a", Outbox.WITHDRAWAL, 1, "{\"reason\":\"consent-withdrawn\"}", "c1", T0);
        Outbox.Delivery delivery = outbox.claim("jc-a", T0, 10, "i1", T0.plusSeconds(60)).get(0);
        long id = delivery.id();

        deliveries.settle(delivery, status, null, body);

        assertThat(jdbc.sql("select status from outbox where id = ?").param(id).query(String.class).single())
                .isEqualTo(outcome);
        assertThat(failed.open()).hasSize(outcome.equals("failed") ? 1 : 0);
    }
}
