package dk.ipsbridge.queue;

import static dk.ipsbridge.config.Times.utc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.cluster.Claims;
import dk.ipsbridge.keys.AtRest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Outbound work for the jobcenters, written in the transaction of the decision that caused it. A newer message for a
 * case supersedes the ones still pending, so a jobcenter never receives stale content after fresh content.
 */
@Repository
public class Outbox implements Claims {

    public static final String CASE = "case";
    public static final String WITHDRAWAL = "withdrawal";

    private static final String PAYLOAD = "outbox.payload";

    private final JdbcClient jdbc;
    private final AtRest atRest;

    /** @param atRest seals a payload (personal data) until it is delivered or superseded, when it is dropped */
    public Outbox(JdbcClient jdbc, AtRest atRest) {
        this.jdbc = jdbc;
        this.atRest = atRest;
    }

    /** One message to deliver: a case record ({@code PUT}) or a withdrawal ({@code POST}). */
    /**
     * @param readAt when the EHR read this case record was decided from began; null for a withdrawal (and for rows
     *               queued before it was kept)
     */
    public record Delivery(long id, String caseId, String recipient, String kind, long revision, String payload,
            int attempts, String correlationId, Instant readAt) {

        @Override
        public String toString() {
            return Redacted.toString(this, "payload");
        }

        /** This delivery, decided again from an EHR read that began at {@code at}, which confirmed it. */
        public Delivery readAgainAt(Instant at) {
            return new Delivery(id, caseId, recipient, kind, revision, payload, attempts, correlationId, at);
        }

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
        return enqueue(caseId, recipient, kind, revision, payload, correlationId, null, now);
    }

    /** As above, for a case record decided from an EHR read that began at {@code readAt}. */
    public List<Long> enqueue(String caseId, String recipient, String kind, long revision, String payload,
            String correlationId, Instant readAt, Instant now) {
        List<Long> superseded = purge(caseId, now);
        jdbc.sql("""
                insert into outbox (case_id, recipient, kind, revision, payload, payload_sha256, status, attempts,
                  next_attempt_at, correlation_id, read_at, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)
                """).params(caseId, recipient, kind, revision, atRest.seal(payload, PAYLOAD), sha256(payload), utc(now),
                        correlationId, readAt == null ? null : utc(readAt), utc(now), utc(now))
                .update();
        return superseded;
    }

    /**
     * Supersedes whatever is still pending or failed for the case and drops its payload: it can never be sent or
     * replayed.
     *
     * @return the ids of the superseded deliveries
     */
    public List<Long> purge(String caseId, Instant now) {
        List<Long> superseded = jdbc.sql("select id from outbox where case_id = ? and status in ('pending', 'failed')")
                .param(caseId).query(Long.class).list();
        jdbc.sql("update outbox set status = 'superseded', payload = null, updated_at = ? "
                + "where case_id = ? and status in ('pending', 'failed')")
                .params(utc(now), caseId).update();
        return superseded;
    }

    /**
     * Claims up to {@code limit} due deliveries to one jobcenter for {@code owner} until {@code until}, the longest due
     * first, returned in the order they were queued. Due withdrawals come first: a claim that finds any takes only
     * withdrawals, so that sharing stops before anything else goes out (after a resume, after an outage). Nothing is
     * claimed while an operator has paused the jobcenter ({@link #pauseRecipient}). Rows another instance holds are
     * skipped ({@code for update skip locked}); so is a case with a message in flight, so that the messages of one case
     * go out one after the other, in order. A claim whose lease ran out (its instance died) is taken over.
     */
    @Transactional
    public List<Delivery> claim(String recipient, Instant now, int limit, String owner, Instant leaseUntil) {
        List<Delivery> due = claim(recipient, WITHDRAWAL, now, limit, owner, leaseUntil);
        return due.isEmpty() ? claim(recipient, CASE, now, limit, owner, leaseUntil) : due;
    }

    private List<Delivery> claim(String recipient, String kind, Instant now, int limit, String owner,
            Instant leaseUntil) {
        Instant until = leaseUntil.truncatedTo(ChronoUnit.MILLIS);
        // Two statements in one transaction: the row locks of "skip locked" hold until the claim is written. The order
        // is that of the index outbox_claim, so a claim reads the rows it takes and stops: one "update ... where id in
        // (select ...)" made H2 scan the outbox for every claim, in proportion to all its rows (issue 16).
        List<Delivery> due = jdbc.sql("""
                select id, case_id, recipient, kind, revision, payload, attempts, correlation_id, read_at from outbox o
                where recipient = ? and kind = ? and status = 'pending' and next_attempt_at <= ?
                  and (claimed_until is null or claimed_until < ?)
                  and not exists (select 1 from outbox p where p.case_id = o.case_id and p.id <> o.id
                                  and p.claimed_until >= ?)
                  and not exists (select 1 from jobcenter_pause j where j.recipient = o.recipient)
                order by recipient, kind, status, next_attempt_at, id limit ? for update skip locked
                """).params(recipient, kind, utc(now), utc(now), utc(now), limit)
                .query((rs, n) -> new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), atRest.open(rs.getString(6), PAYLOAD), rs.getInt(7), rs.getString(8),
                        readAt(rs.getObject(9, OffsetDateTime.class))))
                .list();
        due.forEach(d -> jdbc.sql("update outbox set claimed_by = ?, claimed_until = ? where id = ?")
                .params(owner, utc(until), d.id()).update());
        return due.stream().sorted(Comparator.comparingLong(Delivery::id)).toList();
    }

    private static Instant readAt(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    /**
     * Renews the claim just before sending. False when the delivery is no longer this instance's to send: it was
     * superseded, postponed (its jobcenter is backing off), its jobcenter was paused by an operator since the claim, or
     * it was taken over after the lease ran out; a claim still held is then released.
     */
    public boolean renew(long id, String owner, Instant now, Instant until) {
        boolean renewed = jdbc.sql("update outbox set claimed_until = ? where id = ? and claimed_by = ? "
                + "and status = 'pending' and next_attempt_at <= ? "
                + "and not exists (select 1 from jobcenter_pause j where j.recipient = outbox.recipient)")
                .params(utc(until), id, owner, utc(now)).update() == 1;
        if (!renewed) {
            jdbc.sql(RELEASE + " where id = ? and claimed_by = ?").params(id, owner).update();
        }
        return renewed;
    }

    @Override
    public String what() {
        return "deliveries";
    }

    /** Every claim of an instance, released when it stops (the work stays pending for any instance). */
    @Override
    public int release(String owner) {
        return jdbc.sql(RELEASE + " where claimed_by = ?").param(owner).update();
    }

    /** Not sent now (the EHR could not confirm consent, or the case is being decided again): tried again later. */
    public void postpone(long id, Instant next, Instant now) {
        jdbc.sql("update outbox set next_attempt_at = ?, claimed_by = null, claimed_until = null, updated_at = ? "
                + "where id = ?").params(utc(next), utc(now), id).update();
    }

    /**
     * The jobcenter is unavailable: its other pending deliveries wait until {@code until} too, so that one jobcenter
     * that is down costs one request per backoff, not one per queued message.
     */
    public int backOff(String recipient, Instant until, Instant now) {
        return jdbc.sql("update outbox set next_attempt_at = ?, updated_at = ? "
                + "where recipient = ? and status = 'pending' and next_attempt_at < ?")
                .params(utc(until), utc(now), recipient, utc(until)).update();
    }

    /** An operator's pause of delivery to a jobcenter: who, when and why. */
    public record Pause(String recipient, String pausedBy, Instant pausedAt, String reason) {
    }

    /**
     * Pauses delivery to a jobcenter for every instance until {@link #resumeRecipient}: nothing more is claimed or sent
     * to it (a message already on the wire completes); its work waits here as pending.
     *
     * @return false when it was paused already (the first pause stands)
     */
    public boolean pauseRecipient(String recipient, String by, String reason, Instant now) {
        try {
            return jdbc.sql("insert into jobcenter_pause (recipient, paused_by, paused_at, reason) values (?, ?, ?, ?)")
                    .params(recipient, by, utc(now), reason).update() == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** @return false when the jobcenter was not paused */
    public boolean resumeRecipient(String recipient) {
        return jdbc.sql("delete from jobcenter_pause where recipient = ?").param(recipient).update() == 1;
    }

    public List<Pause> pauses() {
        return jdbc.sql("select recipient, paused_by, paused_at, reason from jobcenter_pause order by recipient")
                .query((rs, n) -> new Pause(rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4)))
                .list();
    }

    /** Messages waiting to be sent to each jobcenter (pending, due or not), by kind: {@code recipient -> kind -> n}. */
    public Map<String, Map<String, Integer>> waiting() {
        Map<String, Map<String, Integer>> waiting = new TreeMap<>();
        jdbc.sql("select recipient, kind, count(*) from outbox where status = 'pending' group by recipient, kind")
                .query(rs -> {
                    waiting.computeIfAbsent(rs.getString(1), r -> new TreeMap<>()).put(rs.getString(2), rs.getInt(3));
                });
        return waiting;
    }

    /** Delivered: the payload (personal data) is dropped, its SHA-256 stays. */
    public void delivered(long id, int status, Instant now) {
        jdbc.sql("update outbox set status = 'delivered', payload = null, last_status = ?, last_error = null, "
                + "attempts = attempts + 1, claimed_by = null, claimed_until = null, updated_at = ? where id = ?").params(status, utc(now), id).update();
    }

    public void retryAt(long id, Integer status, String error, Instant next, Instant now) {
        jdbc.sql("update outbox set attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?, "
                + "claimed_by = null, claimed_until = null, updated_at = ? where id = ?").params(status, error, utc(next), utc(now), id).update();
    }

    /** Given up; the payload stays so that an operator can replay it. */
    public void failed(long id, Integer status, String error, Instant now) {
        jdbc.sql("update outbox set status = 'failed', attempts = attempts + 1, last_status = ?, last_error = ?, "
                + "claimed_by = null, claimed_until = null, updated_at = ? where id = ?").params(status, error, utc(now), id).update();
    }

    /** Not sent because the case changed since (a newer revision or a withdrawal); never retried. */
    public void superseded(long id, Instant now) {
        jdbc.sql("update outbox set status = 'superseded', payload = null, claimed_by = null, claimed_until = null, "
                + "updated_at = ? where id = ?")
                .params(utc(now), id).update();
    }

    /** The same content at a new revision, sent at once; false when the message was superseded meanwhile. */
    public boolean rebase(long id, long revision, String payload, Instant now) {
        return jdbc.sql("update outbox set revision = ?, payload = ?, payload_sha256 = ?, attempts = attempts + 1, "
                + "last_status = 409, next_attempt_at = ?, claimed_by = null, claimed_until = null, updated_at = ? "
                + "where id = ? and status = 'pending'")
                .params(revision, atRest.seal(payload, PAYLOAD), sha256(payload), utc(now), utc(now), id).update() == 1;
    }

    /** Back to pending, for a replay an operator asked for. */
    public boolean requeue(long id, Instant now) {
        return jdbc.sql("update outbox set status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? "
                + "where id = ? and status = 'failed'").params(utc(now), utc(now), id).update() == 1;
    }

    /**
     * Retention: a delivery given up before {@code cutoff} loses its payload and becomes {@code expired}; it can no
     * longer be replayed.
     *
     * @return how many expired
     */
    public int expire(Instant cutoff, Instant now) {
        return jdbc.sql("update outbox set status = 'expired', payload = null, updated_at = ? "
                + "where status = 'failed' and updated_at < ?").params(utc(now), utc(cutoff)).update();
    }

    /** Messages for a case in a state. */
    public int count(String caseId, String status) {
        return jdbc.sql("select count(*) from outbox where case_id = ? and status = ?").params(caseId, status)
                .query(Integer.class).single();
    }

    public int count(String status) {
        return jdbc.sql("select count(*) from outbox where status = ?").param(status).query(Integer.class).single();
    }

    private static final String RELEASE = "update outbox set claimed_by = null, claimed_until = null";

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
