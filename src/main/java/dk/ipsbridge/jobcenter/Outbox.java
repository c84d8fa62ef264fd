package dk.ipsbridge.jobcenter;

import static dk.ipsbridge.config.Times.utc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Outbound work for the jobcenters, written in the transaction of the decision that caused it. A newer message for a
 * case supersedes the ones still pending, so a jobcenter never receives stale content after fresh content.
 */
@Repository
public class Outbox {

    public static final String CASE = "case";
    public static final String WITHDRAWAL = "withdrawal";

    private final JdbcClient jdbc;

    public Outbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One message to deliver: a case record ({@code PUT}) or a withdrawal ({@code POST}). */
    public record Delivery(long id, String caseId, String recipient, String kind, long revision, String payload,
            int attempts, String correlationId) {

        public String method() {
            return CASE.equals(kind) ? "PUT" : "POST";
        }

        /** The path below the jobcenter's base URL; case ids never contain a CPR. */
        public String path() {
            return CASE.equals(kind) ? "cases/" + caseId : "cases/" + caseId + "/withdrawal";
        }
    }

    /**
     * Queues a message for a case. Whatever is still pending or failed for the case is superseded and its payload
     * dropped: it can never be sent or replayed.
     *
     * @return the ids of the superseded deliveries
     */
    public List<Long> enqueue(String caseId, String recipient, String kind, long revision, String payload,
            String correlationId, Instant now) {
        List<Long> superseded = jdbc.sql("select id from outbox where case_id = ? and status in ('pending', 'failed')")
                .param(caseId).query(Long.class).list();
        jdbc.sql("update outbox set status = 'superseded', payload = null, updated_at = ? "
                + "where case_id = ? and status in ('pending', 'failed')")
                .params(utc(now), caseId).update();
        jdbc.sql("""
                insert into outbox (case_id, recipient, kind, revision, payload, payload_sha256, status, attempts,
                  next_attempt_at, correlation_id, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)
                """).params(caseId, recipient, kind, revision, payload, sha256(payload), utc(now), correlationId,
                        utc(now), utc(now))
                .update();
        return superseded;
    }

    /** Pending deliveries that are due, oldest first. */
    public List<Delivery> due(Instant now, int limit) {
        return jdbc.sql("""
                select id, case_id, recipient, kind, revision, payload, attempts, correlation_id from outbox
                where status = 'pending' and next_attempt_at <= ? order by id limit ?
                """).params(utc(now), limit)
                .query((rs, n) -> new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getString(8)))
                .list();
    }

    /** Delivered: the payload (personal data) is dropped, its SHA-256 stays. */
    public void delivered(long id, int status, Instant now) {
        jdbc.sql("update outbox set status = 'delivered', payload = null, last_status = ?, last_error = null, "
                + "attempts = attempts + 1, updated_at = ? where id = ?").params(status, utc(now), id).update();
    }

    public void retryAt(long id, Integer status, String error, Instant next, Instant now) {
        jdbc.sql("update outbox set attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?, "
                + "updated_at = ? where id = ?").params(status, error, utc(next), utc(now), id).update();
    }

    /** Given up; the payload stays so that an operator can replay it. */
    public void failed(long id, Integer status, String error, Instant now) {
        jdbc.sql("update outbox set status = 'failed', attempts = attempts + 1, last_status = ?, last_error = ?, "
                + "updated_at = ? where id = ?").params(status, error, utc(now), id).update();
    }

    /** Not sent because the case changed since (a newer revision or a withdrawal); never retried. */
    public void superseded(long id, Instant now) {
        jdbc.sql("update outbox set status = 'superseded', payload = null, updated_at = ? where id = ?")
                .params(utc(now), id).update();
    }

    /** The same content at a new revision, sent at once. */
    public void rebase(long id, long revision, String payload, Instant now) {
        jdbc.sql("update outbox set revision = ?, payload = ?, payload_sha256 = ?, attempts = attempts + 1, "
                + "last_status = 409, next_attempt_at = ?, updated_at = ? where id = ?")
                .params(revision, payload, sha256(payload), utc(now), utc(now), id).update();
    }

    /** Back to pending, for a replay an operator asked for. */
    public boolean requeue(long id, Instant now) {
        return jdbc.sql("update outbox set status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? "
                + "where id = ? and status = 'failed'").params(utc(now), utc(now), id).update() == 1;
    }

    /** Messages for a case in a state. */
    public int count(String caseId, String status) {
        return jdbc.sql("select count(*) from outbox where case_id = ? and status = ?").params(caseId, status)
                .query(Integer.class).single();
    }

    public int count(String status) {
        return jdbc.sql("select count(*) from outbox where status = ?").param(status).query(Integer.class).single();
    }

    /** Hex SHA-256 of the UTF-8 text. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
