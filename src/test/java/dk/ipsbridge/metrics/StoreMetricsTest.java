package dk.ipsbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.store.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The store's gauges: what each reads, and that a row gone from the store leaves the gauge at the next refresh. */
class StoreMetricsTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Outbox outbox = new Outbox(jdbc, TestKeys.atRest());
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final StoreMetrics metrics = new StoreMetrics(jdbc, Clock.fixed(T0, ZoneOffset.UTC), meters);

    @Test
    void shouldReportTheOldestWaitingMessageTheMessagesAndTheOpenFailedRecordsUntilTheyAreGone() {
        outbox.enqueue("case-1", "jc-a", Outbox.CASE, 1, "{}", "c1", T0.minusSeconds(90));
        outbox.enqueue("case-2", "jc-a", Outbox.WITHDRAWAL, 1, "{}", "c2", T0.minusSeconds(30));
        failed.record(FailedRecords.DELIVERY, null, "jc-a", "outbox/1", "rejected", "jobcenter answered 422", null,
                T0);

        metrics.refresh();

        assertThat(meters.get("ips.outbox.lag").tag("jobcenter", "jc-a").gauge().value()).isEqualTo(90.0);
        assertThat(meters.get("ips.outbox.pending").tags("jobcenter", "jc-a", "kind", "case", "retrying", "false")
                .gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("ips.outbox.pending").tags("jobcenter", "jc-a", "kind", "withdrawal").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("ips.failed.records.open").tags("stage", "delivery", "reason", "rejected").gauge()
                .value()).isEqualTo(1.0);

        jdbc.sql("update outbox set status = 'delivered'").update();
        jdbc.sql("update failed_record set status = 'discarded'").update();
        metrics.refresh();

        assertThat(meters.find("ips.outbox.lag").gauges()).isEmpty();
        assertThat(meters.find("ips.outbox.pending").gauges()).isEmpty();
        assertThat(meters.find("ips.failed.records.open").gauges()).isEmpty();
        assertThat(meters.get("ips.review.due").gauge().value()).isZero();
        assertThat(meters.get("ips.ledger.checkpoint.age").gauge().value()).isEqualTo(-1.0);
    }
}
