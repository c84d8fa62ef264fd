package dk.ipsbridge.notify;

import static dk.ipsbridge.config.Times.utc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Bookkeeping per EHR source and subscription: the event numbers seen, so that a duplicate is told from a late
 * arrival and a gap from a sequence. Call it in a transaction: the subscription's row is locked while it is counted,
 * so that instances sharing the database count each event once.
 */
@Repository
class NotificationBook {

    /** Where the classic rest-hooks, which carry no event numbers, are counted. */
    static final String REST_HOOK = "rest-hook";
    /** Event numbers this far below the highest are forgotten; one arriving later counts as out of order. */
    static final long KEEP_EVENTS = 10_000;

    private final JdbcClient jdbc;

    NotificationBook(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What one notification meant for the bookkeeping.
     *
     * @param fresh      event numbers above the highest seen before
     * @param duplicates event numbers seen before: their content is ignored
     * @param outOfOrder event numbers below the highest seen, arriving late: processed
     * @param gap        events are missing (a jump in numbers, or a status counting more events than were seen)
     * @param restarted  a handshake started the numbering again
     */
    record Outcome(int fresh, int duplicates, int outOfOrder, boolean gap, boolean restarted) {

        /** It carried event numbers, and every one had been seen before. */
        boolean repeated() {
            return duplicates > 0 && fresh == 0 && outOfOrder == 0;
        }
    }

    /** One subscription's counts, for operators. */
    record Counts(String sourceId, String subscription, long notifications, long eventsSeen, long highestEvent,
            long duplicates, long outOfOrder, long gaps, long restarts, String lastType, Instant lastAt) {
    }

    Outcome record(String sourceId, Notification notification, Instant now) {
        String subscription = notification.subscription() == null ? REST_HOOK : notification.subscription();
        jdbc.sql("insert into notification_subscription (source_id, subscription) values (?, ?) on conflict do nothing")
                .params(sourceId, subscription).update();
        long highest = jdbc.sql("select highest_event from notification_subscription "
                + "where source_id = ? and subscription = ? for update")
                .params(sourceId, subscription).query(Long.class).single();
        Long since = notification.eventsSinceStart();
        boolean restarted = "handshake".equals(notification.kind()) && since != null && since < highest;
        if (restarted) {
            jdbc.sql("delete from notification_event where source_id = ? and subscription = ?")
                    .params(sourceId, subscription).update();
            highest = since;
        }
        int fresh = 0;
        int duplicates = 0;
        int outOfOrder = 0;
        boolean gap = false;
        for (long number : notification.eventNumbers()) {
            if (!firstSighting(sourceId, subscription, number)) {
                duplicates++;
            } else if (number <= highest) {
                outOfOrder++;
            } else {
                gap |= number > highest + 1;
                highest = number;
                fresh++;
            }
        }
        if (since != null && since > highest) {
            gap = true; // a heartbeat or status counts events that never arrived
            highest = since;
        }
        jdbc.sql("delete from notification_event where source_id = ? and subscription = ? and event_number < ?")
                .params(sourceId, subscription, highest - KEEP_EVENTS).update();
        jdbc.sql("""
                update notification_subscription set notifications = notifications + 1,
                  events_seen = events_seen + ?, highest_event = ?, duplicates = duplicates + ?,
                  out_of_order = out_of_order + ?, gaps = gaps + ?, restarts = restarts + ?, last_type = ?, last_at = ?
                where source_id = ? and subscription = ?
                """).params(fresh + outOfOrder, highest, duplicates, outOfOrder, gap ? 1 : 0, restarted ? 1 : 0,
                notification.kind(), utc(now), sourceId, subscription).update();
        return new Outcome(fresh, duplicates, outOfOrder, gap, restarted);
    }

    List<Counts> counts() {
        return jdbc.sql("""
                select source_id, subscription, notifications, events_seen, highest_event, duplicates, out_of_order,
                  gaps, restarts, last_type, last_at
                from notification_subscription order by source_id, subscription
                """).query((rs, n) -> new Counts(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10),
                        rs.getObject(11, OffsetDateTime.class) == null ? null
                                : rs.getObject(11, OffsetDateTime.class).toInstant())).list();
    }

    private boolean firstSighting(String sourceId, String subscription, long number) {
        return jdbc.sql("insert into notification_event (source_id, subscription, event_number) values (?, ?, ?) "
                + "on conflict do nothing").params(sourceId, subscription, number).update() == 1;
    }
}
