package dk.ipsbridge.review;

import static dk.ipsbridge.config.Times.utc;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.patient.PatientKey;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The current state of sharing per patient and recipient. */
@Repository
public class CaseStore {

    /** No recipient could be determined (no consent, or none naming a configured jobcenter). */
    static final String NO_RECIPIENT = "";

    private final JdbcClient jdbc;

    public CaseStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param state  shared, held or withdrawn
     * @param digest    SHA-256 of the last record sent, without its revision
     * @param expiresOn the last day the consent of a shared case allows sharing; null unless shared
     */
    public record CaseRow(String sourceId, String patientId, String recipient, String caseId, String state, String reason,
            String consentId, String consentVersion, String categories, long revision, String digest,
            LocalDate expiresOn) {
    }

    List<CaseRow> forPatient(PatientKey key) {
        return jdbc.sql("""
                select source_id, patient_id, recipient, case_id, state, reason, consent_id, consent_version,
                       categories, revision, content_sha256, consent_expires_on
                from ips_case where source_id = ? and patient_id = ? order by recipient
                """).params(key.sourceId(), key.patientId()).query(CaseStore::row).list();
    }

    private static CaseRow row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new CaseRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getString(11),
                rs.getObject(12, LocalDate.class));
    }

    void save(CaseRow row, Instant now) {
        jdbc.sql("""
                merge into ips_case t
                using (values (?, ?, ?)) as s(source_id, patient_id, recipient)
                on t.source_id = s.source_id and t.patient_id = s.patient_id and t.recipient = s.recipient
                when matched then update set case_id = ?, state = ?, reason = ?, consent_id = ?, consent_version = ?,
                  categories = ?, revision = ?, content_sha256 = ?, updated_at = ?,
                  expiry_noticed_at = case when t.consent_expires_on = ? then t.expiry_noticed_at end,
                  consent_expires_on = ?
                when not matched then insert (source_id, patient_id, recipient, case_id, state, reason, consent_id,
                  consent_version, categories, revision, content_sha256, updated_at, consent_expires_on)
                  values (s.source_id, s.patient_id, s.recipient, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .params(row.sourceId(), row.patientId(), row.recipient())
                .params(row.caseId(), row.state(), row.reason(), row.consentId(), row.consentVersion(),
                        row.categories(), row.revision(), row.digest(), utc(now), row.expiresOn(), row.expiresOn())
                .params(row.caseId(), row.state(), row.reason(), row.consentId(), row.consentVersion(),
                        row.categories(), row.revision(), row.digest(), utc(now), row.expiresOn())
                .update();
    }

    /** What the programme's results count of a shared case: its source, jobcenter, programme and referral day. */
    void course(String caseId, PatientKey key, String recipient, CaseRecordTranslator.Course course, Instant now) {
        jdbc.sql("""
                merge into ips_course t using (values (?)) as s(case_id) on t.case_id = s.case_id
                when matched then update set programme = ?, referred_on = ?, updated_at = ?
                when not matched then insert (case_id, source_id, recipient, programme, referred_on, updated_at)
                  values (s.case_id, ?, ?, ?, ?, ?)
                """).params(caseId, course.programme(), course.referredOn(), utc(now), key.sourceId(), recipient,
                course.programme(), course.referredOn(), utc(now)).update();
    }

    /** The jobcenter holds a higher revision than we knew of: continue above it. */
    public void rebase(String caseId, long revision) {
        jdbc.sql("update ips_case set revision = ? where case_id = ?").params(revision, caseId).update();
    }

    void delete(CaseRow row) {
        jdbc.sql("delete from ips_case where source_id = ? and patient_id = ? and recipient = ?")
                .params(row.sourceId(), row.patientId(), row.recipient()).update();
    }

    /**
     * Every patient and recipient by current state and reason: {@code shared -> {"" -> 41}, held -> {"no-consent" -> 4}}.
     */
    public Map<String, Map<String, Integer>> summary() {
        Map<String, Map<String, Integer>> result = new LinkedHashMap<>();
        jdbc.sql("select state, coalesce(reason, ''), count(*) from ips_case group by state, coalesce(reason, '') "
                + "order by 1, 3 desc, 2")
                .query((rs, n) -> result.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), rs.getInt(3)))
                .list();
        return result;
    }

    /** Whom a case is about and which jobcenter holds it. */
    public record CaseOwner(PatientKey patient, String recipient) {
    }

    public Optional<CaseOwner> owner(String caseId) {
        return jdbc.sql("select source_id, patient_id, recipient from ips_case where case_id = ?").param(caseId)
                .query((rs, n) -> new CaseOwner(new PatientKey(rs.getString(1), rs.getString(2)), rs.getString(3)))
                .optional();
    }

    /** Whether {@code caseId} is still shared at {@code revision} (checked again just before delivery). */
    public boolean isShared(String caseId, long revision) {
        return jdbc.sql("select count(*) from ips_case where case_id = ? and state = 'shared' and revision = ?")
                .params(caseId, revision).query(Integer.class).single() > 0;
    }

    /** How many decisions for the patient have been applied: read before the EHR is, compared when applying. */
    public long generation(PatientKey key) {
        return jdbc.sql("select generation from patient_generation where source_id = ? and patient_id = ?")
                .params(key.sourceId(), key.patientId()).query(Long.class).optional().orElse(0L);
    }

    /**
     * Within the applying transaction: locks the patient (a concurrent apply for the same patient waits) and moves
     * the generation on, but only if it is still {@code readAt}, that is, no other decision was applied since this
     * one began to read the EHR. False means the read is stale and nothing may be applied from it.
     * {@link Review#ANY_GENERATION} applies regardless (failing closed never needs a fresh read).
     */
    boolean lockPatient(PatientKey key, long readAt) {
        jdbc.sql("insert into patient_generation (source_id, patient_id, generation) values (?, ?, 0) "
                + "on conflict do nothing").params(key.sourceId(), key.patientId()).update();
        long current = jdbc.sql("select generation from patient_generation where source_id = ? and patient_id = ? "
                + "for update").params(key.sourceId(), key.patientId()).query(Long.class).single();
        if (readAt != Review.ANY_GENERATION && readAt != current) {
            return false;
        }
        jdbc.sql("update patient_generation set generation = ? where source_id = ? and patient_id = ?")
                .params(current + 1, key.sourceId(), key.patientId()).update();
        return true;
    }

    /**
     * Cases a jobcenter holds or was told to erase, least recently reconciled first; not those with a message still
     * pending or failed, whose delivery decides what the jobcenter holds.
     */
    public List<CaseRow> toReconcile(int limit) {
        return jdbc.sql("""
                select source_id, patient_id, recipient, case_id, state, reason, consent_id, consent_version,
                       categories, revision, content_sha256, consent_expires_on
                from ips_case c where case_id is not null and state in ('shared', 'withdrawn')
                  and not exists (select 1 from outbox o where o.case_id = c.case_id and o.status in ('pending', 'failed'))
                order by reconciled_at nulls first, case_id limit ?
                """).param(limit).query(CaseStore::row).list();
    }

    /** The patients of {@code sourceId} whose case rests on the Consent with this id, whatever its state now. */
    public List<PatientKey> restingOn(String sourceId, String consentId) {
        return jdbc.sql("select distinct patient_id from ips_case where source_id = ? and consent_id = ?")
                .params(sourceId, consentId).query((rs, n) -> new PatientKey(sourceId, rs.getString(1))).list();
    }

    public void reconciled(String caseId, Instant now) {
        jdbc.sql("update ips_case set reconciled_at = ? where case_id = ?").params(utc(now), caseId).update();
    }

    /** The jobcenter does not hold what was sent: the next decision sends the record again, at a new revision. */
    public void forgetContent(String caseId) {
        jdbc.sql("update ips_case set content_sha256 = null where case_id = ?").param(caseId).update();
    }
}
