package dk.ipsbridge.decision;

import static dk.ipsbridge.config.Times.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The durable record of every decision; the tamper-evident ledger builds on it. */
@Repository
public class DecisionLog {

    private static final String COLUMNS = "decided_at, source_id, patient_ref, recipient, case_id, outcome, "
            + "categories, reason, detail, consent_id, consent_version, revision, correlation_id";

    private final JdbcClient jdbc;

    public DecisionLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(Decision d) {
        jdbc.sql("insert into decision (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(utc(d.decidedAt()), d.sourceId(), d.patientRef(), d.recipient(), d.caseId(), d.outcome(),
                        d.categories(), d.reason(), d.detail(), d.consentId(), d.consentVersion(), d.revision(),
                        d.correlationId())
                .update();
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
