package dk.ipsbridge.failure;

import static dk.ipsbridge.config.Times.utc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.keys.AtRest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What could not be processed, kept for an operator to see, replay or discard. The same failure seen again counts up
 * instead of adding a row, so a broken page polled every 30 seconds is one record.
 */
@Repository
public class FailedRecords {

    public static final String INGEST = "ingest";
    public static final String REVIEW = "review";
    public static final String DELIVERY = "delivery";
    public static final String OUTCOME = "outcome";
    public static final String NOTIFICATION = "notification";

    private static final String ORIGINAL = "failed_record.original";

    private final JdbcClient jdbc;
    private final AtRest atRest;

    /** @param atRest seals the original (personal data) while the record is open; it is dropped when closed */
    public FailedRecords(JdbcClient jdbc, AtRest atRest) {
        this.jdbc = jdbc;
        this.atRest = atRest;
    }

    /**
     * @param subject what failed, by id only ({@code Patient/123}, {@code outbox/45}, {@code Consent search page 3})
     * @param message what is wrong, without personal data
     * @param original the message as received or as it would have been sent, or null
     */
    public record FailedRecord(long id, Instant firstAt, Instant lastAt, int occurrences, String stage,
            String sourceId, String recipient, String subject, String reason, String message, String original,
            String status) {
        @Override
        public String toString() {
            return Redacted.toString(this, "original");
        }
    }

    public void record(String stage, String sourceId, String recipient, String subject, String reason, String message,
            String original, Instant now) {
        String shortMessage = message.length() > 1000 ? message.substring(0, 1000) : message;
        String sealed = atRest.seal(original, ORIGINAL);
        // the same failure of the same source (or, for a jobcenter's feed, the same jobcenter): not another source's
        int updated = jdbc.sql("""
                update failed_record set occurrences = occurrences + 1, last_at = ?, message = ?, original = ?
                where status = 'open' and stage = ? and subject = ? and reason = ?""" + " and " + SAME_ORIGIN)
                .params(utc(now), shortMessage, sealed, stage, subject, reason, sourceId, sourceId, recipient)
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into failed_record (first_at, last_at, occurrences, stage, source_id, recipient, subject,
                      reason, message, original, status)
                    values (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 'open')
                    """).params(utc(now), utc(now), stage, sourceId, recipient, subject, reason, shortMessage, sealed)
                    .update();
        }
    }

    public List<FailedRecord> open() {
        return jdbc.sql(SELECT + " where status = 'open' order by id").query(this::row).list();
    }

    public Optional<FailedRecord> find(long id) {
        return jdbc.sql(SELECT + " where id = ?").param(id).query(this::row).optional();
    }

    /** Closes an open record and drops its original; false when it was not open. */
    public boolean close(long id, String status) {
        return jdbc.sql("update failed_record set status = ?, original = null where id = ? and status = 'open'")
                .params(status, id).update() == 1;
    }

    /** Closes open records about a subject that now went through. */
    public void resolved(String stage, String subject) {
        close(stage, subject, "resolved");
    }

    /**
     * Closes one source's open records about a subject that now went through, except those whose reason is in
     * {@code stillOpen}.
     */
    public void resolved(String stage, String sourceId, String subject, Collection<String> stillOpen) {
        // "not in" an empty list is no SQL: a reason never used stands in for it
        jdbc.sql("update failed_record set status = 'resolved', original = null where status = 'open' and stage = :stage "
                + "and subject = :subject and source_id = :source and reason not in (:reasons)")
                .param("stage", stage).param("subject", subject).param("source", sourceId)
                .param("reasons", stillOpen.isEmpty() ? List.of("-") : stillOpen).update();
    }

    /** Closes open records about a subject, e.g. {@code purged} when a withdrawal makes a failed delivery moot. */
    public void close(String stage, String subject, String status) {
        jdbc.sql("update failed_record set status = ?, original = null where status = 'open' and stage = ? "
                + "and subject = ?")
                .params(status, stage, subject).update();
    }

    /**
     * Retention: closed records last seen before {@code cutoff} are deleted, and open ones keep their counts but no
     * longer their original.
     *
     * @return how many records were deleted or lost their original
     */
    public int expire(Instant cutoff) {
        return jdbc.sql("delete from failed_record where status <> 'open' and last_at < ?").param(utc(cutoff)).update()
                + jdbc.sql("update failed_record set original = null where status = 'open' and last_at < ? "
                        + "and original is not null").param(utc(cutoff)).update();
    }

    /** The record's source, or for a record without one (a jobcenter's outcomes feed), its jobcenter. */
    private static final String SAME_ORIGIN =
            "source_id is not distinct from ? and (cast(? as varchar(64)) is not null or recipient is not distinct from ?)";

    private static final String SELECT = "select id, first_at, last_at, occurrences, stage, source_id, recipient, "
            + "subject, reason, message, original, status from failed_record";

    private FailedRecord row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new FailedRecord(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), atRest.open(rs.getString(11), ORIGINAL),
                rs.getString(12));
    }
}
