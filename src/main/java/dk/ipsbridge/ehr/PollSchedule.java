package dk.ipsbridge.ehr;

import static dk.ipsbridge.config.Times.utc;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * When each EHR source is polled, kept in the database so that every instance sees the same schedule: a source is
 * due when its poll interval has passed since the last poll, or when a notification asked for an early poll since.
 * The {@code ehr-poll} route asks {@link #claim} at every check; one instance wins.
 */
@Repository
public class PollSchedule {

    private final JdbcClient jdbc;
    private final EhrSources sources;
    private final Clock clock;

    PollSchedule(JdbcClient jdbc, EhrSources sources, Clock clock) {
        this.jdbc = jdbc;
        this.sources = sources;
        this.clock = clock;
    }

    /** A source's schedule, for operators. */
    public record State(String sourceId, Instant polledAt, long earlyPollsRequested, Instant lastRequestedAt,
            boolean earlyPollPending) {
    }

    /** Asks for an early poll of the source: the next check polls it, on whichever instance. */
    public void request(String sourceId, Instant now) {
        ensureRow(sourceId);
        jdbc.sql("update poll_request set requests = requests + 1, requested_at = ? where source_id = ?")
                .params(utc(now), sourceId).update();
    }

    /**
     * True when the source is due, and then it is marked polled now: the requests made so far are satisfied by this
     * poll, and a request made while it runs keeps the source due for the next check.
     */
    public boolean claim(String sourceId) {
        Instant now = clock.instant();
        ensureRow(sourceId);
        return jdbc.sql("""
                update poll_request set polled_at = ?, satisfied = requests
                where source_id = ? and (polled_at is null or polled_at <= ? or requests > satisfied)
                """).params(utc(now), sourceId, utc(now.minus(sources.get(sourceId).pollInterval()))).update() == 1;
    }

    public List<State> states() {
        return jdbc.sql("select source_id, polled_at, requests, requested_at, requests > satisfied from poll_request "
                + "order by source_id").query((rs, n) -> new State(rs.getString(1), instant(rs.getObject(2,
                        OffsetDateTime.class)), rs.getLong(3), instant(rs.getObject(4, OffsetDateTime.class)),
                        rs.getBoolean(5))).list();
    }

    private void ensureRow(String sourceId) {
        jdbc.sql("insert into poll_request (source_id) values (?) on conflict do nothing").param(sourceId).update();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
