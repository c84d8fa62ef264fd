package dk.ipsbridge.metrics;

import static dk.ipsbridge.config.Times.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The store's state as gauges, read from the database, so that every instance reports the same figures and a restart
 * loses none: queue depths, delivery lag, case states, open failed records, how long ago each source and resource
 * type was polled, notification anomalies, the ledger's size and the age of its last checkpoint. The
 * {@code metrics-refresh} route reads them every {@code ips.operations.metrics-interval}. Labels are configured ids
 * (source, jobcenter) and fixed codes (state, reason, stage, resource type) only: never a person, patient or case.
 */
@Component
public class StoreMetrics {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AtomicLong reviewDue = new AtomicLong();
    private final AtomicLong reviewQueued = new AtomicLong();
    private final AtomicLong ledgerEntries = new AtomicLong();
    private final AtomicLong checkpointAge = new AtomicLong(-1);
    private final MultiGauge outboxPending;
    private final MultiGauge outboxLag;
    private final MultiGauge outboxGivenUp;
    private final MultiGauge cases;
    private final MultiGauge failedRecords;
    private final MultiGauge pollAge;
    private final MultiGauge notificationAnomalies;
    private final MultiGauge paused;

    StoreMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("ips.review.due", reviewDue, AtomicLong::get)
                .description("Patients due for a decision now").register(meters);
        Gauge.builder("ips.review.queued", reviewQueued, AtomicLong::get)
                .description("Patients in the review queue, due now or for a later re-check").register(meters);
        Gauge.builder("ips.ledger.entries", ledgerEntries, AtomicLong::get)
                .description("Entries in the tamper-evident ledger").register(meters);
        Gauge.builder("ips.ledger.checkpoint.age", checkpointAge, AtomicLong::get).baseUnit("seconds")
                .description("Time since the ledger's last signed checkpoint; -1 before the first").register(meters);
        outboxPending = MultiGauge.builder("ips.outbox.pending").description("Messages waiting for delivery, by "
                + "jobcenter, kind (case, withdrawal) and whether a delivery attempt has failed already").register(meters);
        outboxGivenUp = MultiGauge.builder("ips.outbox.given.up").description("Messages given up after the last "
                + "attempt or refused by the jobcenter, waiting in the failed records for an operator").register(meters);
        outboxLag = MultiGauge.builder("ips.outbox.lag").baseUnit("seconds")
                .description("Age of the oldest message waiting for delivery, by jobcenter").register(meters);
        cases = MultiGauge.builder("ips.cases").description("Cases by jobcenter (none: held before any jobcenter "
                + "could be named), state (shared, held, withdrawn) and reason").register(meters);
        failedRecords = MultiGauge.builder("ips.failed.records.open")
                .description("Failed records open for an operator, by stage and reason").register(meters);
        pollAge = MultiGauge.builder("ips.ehr.poll.age").baseUnit("seconds")
                .description("Time since each EHR source and resource type was last polled").register(meters);
        notificationAnomalies = MultiGauge.builder("ips.notifications.anomalies")
                .description("Notification event numbers seen again, out of order, or found missing (gaps), by "
                        + "source, since the subscription began").register(meters);
        paused = MultiGauge.builder("ips.jobcenter.paused").baseUnit("seconds")
                .description("How long an operator has paused delivery to a jobcenter; absent while it runs")
                .register(meters);
    }

    /** Reads every figure again; rows that are gone (a jobcenter with nothing pending) drop out. */
    public void refresh() {
        Instant now = clock.instant();
        reviewDue.set(count("select count(*) from patient_review where due_at <= ?", utc(now)));
        reviewQueued.set(count("select count(*) from patient_review"));
        jdbc.sql("select tree_size, checkpoint_at from ledger_head where id = 1").query(rs -> {
            ledgerEntries.set(rs.getLong(1));
            OffsetDateTime checkpointAt = rs.getObject(2, OffsetDateTime.class);
            checkpointAge.set(checkpointAt == null ? -1 : Duration.between(checkpointAt.toInstant(), now).toSeconds());
        });
        outboxPending.register(rows("""
                select recipient, kind, case when attempts > 0 then 'true' else 'false' end, count(*) from outbox
                where status = 'pending' group by recipient, kind, case when attempts > 0 then 'true' else 'false' end
                """, (rs, out) -> out.add(MultiGauge.Row.of(Tags.of("jobcenter", rs.getString(1), "kind",
                rs.getString(2), "retrying", rs.getString(3)), rs.getLong(4)))), true);
        outboxGivenUp.register(rows("""
                select recipient, kind, count(*) from outbox where status = 'failed' group by recipient, kind
                """, (rs, out) -> out.add(MultiGauge.Row.of(Tags.of("jobcenter", rs.getString(1), "kind",
                rs.getString(2)), rs.getLong(3)))), true);
        outboxLag.register(rows("""
                select recipient, min(created_at) from outbox where status = 'pending' group by recipient
                """, (rs, out) -> out.add(MultiGauge.Row.of(Tags.of("jobcenter", rs.getString(1)),
                seconds(rs.getObject(2, OffsetDateTime.class), now)))), true);
        cases.register(rows("""
                select case when recipient = '' then 'none' else recipient end, state, coalesce(reason, 'none'),
                  count(*) from ips_case
                group by case when recipient = '' then 'none' else recipient end, state, coalesce(reason, 'none')
                """, (rs, out) -> out.add(MultiGauge.Row.of(Tags.of("jobcenter", rs.getString(1), "state",
                rs.getString(2), "reason", rs.getString(3)), rs.getLong(4)))), true);
        failedRecords.register(rows("""
                select stage, reason, count(*) from failed_record where status = 'open' group by stage, reason
                """, (rs, out) -> out.add(MultiGauge.Row.of(Tags.of("stage", rs.getString(1), "reason",
                rs.getString(2)), rs.getLong(3)))), true);
        pollAge.register(rows("select source_id, resource_type, polled_at from ingest_cursor", (rs, out) -> out.add(
                MultiGauge.Row.of(Tags.of("source", rs.getString(1), "resource_type", rs.getString(2)),
                        seconds(rs.getObject(3, OffsetDateTime.class), now)))), true);
        notificationAnomalies.register(rows("""
                select source_id, sum(duplicates), sum(out_of_order), sum(gaps) from notification_subscription
                group by source_id
                """, (rs, out) -> {
                    out.add(MultiGauge.Row.of(Tags.of("source", rs.getString(1), "kind", "duplicate"), rs.getLong(2)));
                    out.add(MultiGauge.Row.of(Tags.of("source", rs.getString(1), "kind", "out_of_order"),
                            rs.getLong(3)));
                    out.add(MultiGauge.Row.of(Tags.of("source", rs.getString(1), "kind", "gap"), rs.getLong(4)));
                }), true);
        paused.register(rows("select recipient, paused_at from jobcenter_pause", (rs, out) -> out.add(
                MultiGauge.Row.of(Tags.of("jobcenter", rs.getString(1)),
                        seconds(rs.getObject(2, OffsetDateTime.class), now)))), true);
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).optional().orElse(0L);
    }

    /** Adds the gauge rows of one result row. */
    private interface Rows {
        void add(ResultSet rs, List<MultiGauge.Row<?>> out) throws SQLException;
    }

    private List<MultiGauge.Row<?>> rows(String sql, Rows rows) {
        List<MultiGauge.Row<?>> out = new ArrayList<>();
        jdbc.sql(sql).query(rs -> {
            rows.add(rs, out);
        });
        return out;
    }

    private static double seconds(OffsetDateTime since, Instant now) {
        return since == null ? 0 : Duration.between(since.toInstant(), now).toMillis() / 1000.0;
    }
}
