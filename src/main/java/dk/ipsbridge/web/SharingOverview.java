package dk.ipsbridge.web;

import java.util.List;
import java.util.Map;

import dk.ipsbridge.review.CaseStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What is shared with whom, what is held back and why, as regional IT and the demo see it. Ids only, no names. */
@Component
public class SharingOverview {

    private final JdbcClient jdbc;
    private final CaseStore cases;

    SharingOverview(JdbcClient jdbc, CaseStore cases) {
        this.jdbc = jdbc;
        this.cases = cases;
    }

    /**
     * One patient and recipient.
     *
     * @param delivery the newest outbound message's status: pending, delivered, failed, or null
     */
    public record Row(String sourceId, String patientId, String recipient, String caseId, String state, String reason,
            String categories, long revision, String consentId, String consentVersion, String delivery) {
    }

    public List<Row> rows() {
        return jdbc.sql("""
                select c.source_id, c.patient_id, c.recipient, c.case_id, c.state, c.reason, c.categories, c.revision,
                       c.consent_id, c.consent_version,
                       (select o.status from outbox o where o.case_id = c.case_id
                        order by o.id desc limit 1) as delivery
                from ips_case c order by c.recipient, c.state, c.source_id, c.patient_id
                """).query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
                        rs.getString(10), rs.getString(11)))
                .list();
    }

    /** {@code shared -> {"" -> 41}, held -> {"no-consent" -> 4}, withdrawn -> {...}}. */
    public Map<String, Map<String, Integer>> summary() {
        return cases.summary();
    }
}
