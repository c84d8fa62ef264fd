package dk.ipsbridge.decision;

import static dk.ipsbridge.config.Times.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerEntry;
import dk.ipsbridge.patient.Cpr;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The record of every decision: a row to query, and an entry in the tamper-evident ledger, both in the caller's
 * transaction, so that there is no decision without an entry and no entry for something that did not happen.
 */
@Repository
public class DecisionLog {

    /** The purpose every IPS decision serves ({@code ips#ips-employment-support}). */
    public static final String PURPOSE = "ips-employment-support";

    /**
     * What the ledger holds beyond the decision row.
     *
     * @param cpr           the patient's CPR number, stored only as a keyed hash and a ciphertext; or null
     * @param consultantRef the IPS consultant the data went to, or null
     * @param payloadSha256 SHA-256 of the exact message queued for the jobcenter (or written to the EHR), or null
     */
    public record Evidence(String cpr, String consultantRef, String payloadSha256) {

        @Override
        public String toString() {
            return Redacted.toString(this, "cpr");
        }

        public static final Evidence NONE = new Evidence(null, null, null);
    }

    private static final String COLUMNS = "decided_at, source_id, patient_ref, recipient, case_id, outcome, "
            + "categories, reason, detail, consent_id, consent_version, revision, correlation_id";

    /** Decisions made, by jobcenter, outcome and reason, counted once their transaction has committed. */
    static final String METRIC = "ips.decisions";

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final MeterRegistry meters;

    public DecisionLog(JdbcClient jdbc, Ledger ledger, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.meters = meters;
    }

    /**
     * Records a decision. Within a transaction its ledger entry is appended with the transaction's other entries just
     * before it commits: one lock of the ledger's head per transaction (a review round's decisions together), taken
     * last, after every patient the transaction locks.
     */
    public void record(Decision d, Evidence evidence) {
        LedgerEntry entry = LedgerEntry.builder().time(d.decidedAt()).decision(d.outcome()).reason(d.reason())
                .source(d.sourceId(), d.patientRef()).recipient(d.recipient(), d.caseId())
                .consultantRef(evidence.consultantRef()).consent(d.consentId(), d.consentVersion()).purpose(PURPOSE)
                .categories(d.categories() == null || d.categories().isBlank() ? List.of()
                        : List.of(d.categories().split(" ")))
                .payloadSha256(evidence.payloadSha256()).correlationId(d.correlationId())
                .cpr(Cpr.isValid(evidence.cpr()) ? evidence.cpr() : null).build();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            Pending pending = pending();
            pending.entries().add(entry);
            pending.decisions().add(d);
        } else {
            ledger.append(entry);
            count(d);
        }
        jdbc.sql("insert into decision (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(utc(d.decidedAt()), d.sourceId(), d.patientRef(), d.recipient(), d.caseId(), d.outcome(),
                        d.categories(), d.reason(), d.detail(), d.consentId(), d.consentVersion(), d.revision(),
                        d.correlationId())
                .update();
    }

    /** The ledger entries and decisions of the current transaction. */
    private record Pending(List<LedgerEntry> entries, List<Decision> decisions) {
    }

    /**
     * The current transaction's entries, appended together before it commits; its decisions are counted after it has
     * committed (a rolled-back round counts nothing).
     */
    private Pending pending() {
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            Pending created = new Pending(new ArrayList<>(), new ArrayList<>());
            TransactionSynchronizationManager.bindResource(this, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    ledger.appendAll(created.entries());
                }

                @Override
                public void afterCommit() {
                    created.decisions().forEach(DecisionLog.this::count);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(DecisionLog.this);
                }
            });
            pending = created;
        }
        return pending;
    }

    /** Labels are a configured jobcenter id and fixed codes: never a patient, a case or a person. */
    private void count(Decision d) {
        meters.counter(METRIC, "jobcenter", d.recipient() == null || d.recipient().isEmpty() ? "none" : d.recipient(),
                "outcome", d.outcome(), "reason", d.reason() == null ? "none" : d.reason()).increment();
    }

    public List<Decision> forPatient(String sourceId, String patientRef) {
        return jdbc.sql("select " + COLUMNS + " from decision where source_id = ? and patient_ref = ? order by id")
                .params(sourceId, patientRef).query(DecisionLog::row).list();
    }

    private static Decision row(ResultSet rs, int n) throws SQLException {
        long revision = rs.getLong(12);
        return new Decision(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.wasNull() ? null : revision, rs.getString(13));
    }
}
