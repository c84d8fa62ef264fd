package dk.ipsbridge.queue;

import static dk.ipsbridge.config.Times.utc;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.cluster.Claims;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Patients whose IPS data changed (or whose consent may lapse) and must be decided again; durable. */
@Repository
public class ReviewQueue implements Claims {

    private static final String RELEASE = "update patient_review set claimed_by = null, claimed_until = null";

    private final JdbcClient jdbc;

    public ReviewQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Marks a patient as changed at {@code now}: due for review at once. */
    public void changed(PatientKey key, Instant now) {
        jdbc.sql("""
                merge into patient_review t
                using (values (?, ?, cast(? as timestamp with time zone))) as s(source_id, patient_id, at)
                on t.source_id = s.source_id and t.patient_id = s.patient_id
                when matched then update set due_at = least(t.due_at, s.at), changed_at = greatest(t.changed_at, s.at)
                when not matched then insert (source_id, patient_id, due_at, changed_at)
                  values (s.source_id, s.patient_id, s.at, s.at)
                """).params(key.sourceId(), key.patientId(), utc(now)).update();
    }

    /**
     * {@link #changed} for several patients, in one transaction: a page of changes costs one commit. The rows are
     * locked in the order of their keys, the order in which a review round's transaction locks its patients too, so
     * that the two wait for each other at most, and never deadlock.
     */
    @Transactional
    public void changedAll(Collection<PatientKey> keys, Instant now) {
        keys.stream().sorted(ORDER).forEach(key -> changed(key, now));
    }

    /**
     * Marks every patient of a source that has a case (shared, held or withdrawn) as changed at {@code now}: an
     * operator's resync of the source.
     *
     * @return how many patients
     */
    public int changedAllOf(String sourceId, Instant now) {
        return jdbc.sql("""
                merge into patient_review t
                using (select distinct source_id, patient_id from ips_case where source_id = ?) s
                on t.source_id = s.source_id and t.patient_id = s.patient_id
                when matched then update set due_at = least(t.due_at, cast(? as timestamp with time zone)),
                  changed_at = greatest(t.changed_at, cast(? as timestamp with time zone))
                when not matched then insert (source_id, patient_id, due_at, changed_at)
                  values (s.source_id, s.patient_id, cast(? as timestamp with time zone),
                          cast(? as timestamp with time zone))
                """).params(sourceId, utc(now), utc(now), utc(now), utc(now)).update();
    }

    /** The one order in which transactions lock several patients. */
    public static final Comparator<PatientKey> ORDER = Comparator.comparing(PatientKey::sourceId)
            .thenComparing(PatientKey::patientId);

    /** Patients due now, without claiming them. */
    public List<PatientKey> due(Instant now, int limit) {
        return jdbc.sql("select source_id, patient_id from patient_review where due_at <= ? order by due_at limit ?")
                .params(utc(now), limit)
                .query((rs, n) -> new PatientKey(rs.getString(1), rs.getString(2))).list();
    }

    /**
     * Claims up to {@code limit} due patients for {@code owner} until {@code leaseUntil}. Patients another instance
     * holds are skipped ({@code for update skip locked}); a claim whose lease ran out (its instance died) is taken
     * over.
     */
    @Transactional
    public List<PatientKey> claim(Instant now, int limit, String owner, Instant leaseUntil) {
        Instant until = leaseUntil.truncatedTo(ChronoUnit.MILLIS);
        // Two statements in one transaction: the row locks of "skip locked" hold until the claim is written. One
        // "update ... where (key) in (select ... for update skip locked)" made H2 test every due row against the
        // subquery: when every patient is due (a go-live load), each claim cost in proportion to the whole queue.
        List<PatientKey> due = jdbc.sql("""
                select source_id, patient_id from patient_review
                where due_at <= ? and (claimed_until is null or claimed_until < ?)
                order by due_at limit ? for update skip locked
                """).params(utc(now), utc(now), limit)
                .query((rs, n) -> new PatientKey(rs.getString(1), rs.getString(2))).list();
        due.forEach(key -> jdbc.sql("update patient_review set claimed_by = ?, claimed_until = ? "
                + "where source_id = ? and patient_id = ?").params(owner, utc(until), key.sourceId(), key.patientId())
                .update());
        return due;
    }

    /**
     * The patient was decided with what the EHR held at {@code reviewStartedAt}. A change seen after that keeps the
     * patient due; otherwise the patient leaves the queue, or stays for a re-check at {@code recheckAt} (a consent
     * that lapses by time alone changes nothing in the EHR). Either way the claim ends.
     */
    public void done(PatientKey key, Instant reviewStartedAt, Instant recheckAt) {
        if (recheckAt == null) {
            jdbc.sql("delete from patient_review where source_id = ? and patient_id = ? and changed_at <= ?")
                    .params(key.sourceId(), key.patientId(), utc(reviewStartedAt)).update();
        } else {
            jdbc.sql("update patient_review set due_at = ?, attempts = 0 "
                    + "where source_id = ? and patient_id = ? and changed_at <= ?")
                    .params(utc(recheckAt), key.sourceId(), key.patientId(), utc(reviewStartedAt)).update();
        }
        release(key);
    }

    /** Ends the claim on a patient; the patient stays as due as it is. */
    public void release(PatientKey key) {
        jdbc.sql(RELEASE + " where source_id = ? and patient_id = ?").params(key.sourceId(), key.patientId()).update();
    }

    @Override
    public String what() {
        return "patients";
    }

    /** Every claim of an instance, released when it stops (the patients stay due for any instance). */
    @Override
    public int release(String owner) {
        return jdbc.sql(RELEASE + " where claimed_by = ?").param(owner).update();
    }

    public void retryLater(PatientKey key, Instant due) {
        jdbc.sql("update patient_review set due_at = ?, attempts = attempts + 1, claimed_by = null, claimed_until = null "
                + "where source_id = ? and patient_id = ?")
                .params(utc(due), key.sourceId(), key.patientId()).update();
    }

    public int attempts(PatientKey key) {
        return jdbc.sql("select attempts from patient_review where source_id = ? and patient_id = ?")
                .params(key.sourceId(), key.patientId()).query(Integer.class).optional().orElse(0);
    }

    public int size() {
        return jdbc.sql("select count(*) from patient_review").query(Integer.class).single();
    }
}
