package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.ledger.LedgerKeys;
import dk.ipsbridge.ledger.LedgerProperties;
import dk.ipsbridge.ledger.LedgerVerifier;
import dk.ipsbridge.ledger.VerificationReport;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * What a consent officer relies on after any number of crashes and retries, checked against what the mock jobcenters
 * received and what the adapter's database holds.
 */
final class DeliveryAudit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeliveryAudit() {
    }

    /**
     * Every revision of a case that reached a jobcenter reached it with one content only: a message sent twice (after
     * a crash, a timeout, a takeover) is the same message.
     *
     * @return how many accepted PUTs repeated a revision already accepted (sent again, same content)
     */
    static int assertOneContentPerRevision(MockJobcenter... jobcenters) {
        Map<String, Set<JsonNode>> bodies = new HashMap<>();
        Map<String, Integer> accepted = new HashMap<>();
        for (MockJobcenter jobcenter : jobcenters) {
            for (MockJobcenter.ReceivedRequest request : jobcenter.requests()) {
                if (!"PUT".equals(request.method())) {
                    continue;
                }
                JsonNode record = parse(request.body());
                String revision = jobcenter.id() + " " + record.path("caseId").asText() + " revision "
                        + record.path("revision").asLong();
                bodies.computeIfAbsent(revision, k -> new HashSet<>()).add(record);
                if (request.accepted()) {
                    accepted.merge(revision, 1, Integer::sum);
                }
            }
        }
        assertThat(bodies).as("revisions received with more than one content").allSatisfy(
                (revision, contents) -> assertThat(contents).as(revision).hasSize(1));
        return accepted.values().stream().mapToInt(n -> n - 1).sum();
    }

    /** Every case revision a jobcenter accepted and every withdrawal it holds has its decision in the record. */
    static void assertEveryDeliveryDecided(DataSource db, MockJobcenter... jobcenters) {
        JdbcClient jdbc = JdbcClient.create(db);
        Set<String> shared = new HashSet<>(jdbc.sql("select case_id || ' ' || revision from decision "
                + "where outcome = 'shared'").query(String.class).list());
        Set<String> withdrawn = new HashSet<>(jdbc.sql("select case_id from decision where outcome = 'withdrawn'")
                .query(String.class).list());
        for (MockJobcenter jobcenter : jobcenters) {
            for (String caseId : jobcenter.cases().keySet()) {
                for (Integer revision : jobcenter.revisions(caseId)) {
                    assertThat(shared).as("decision for %s revision %s", caseId, revision)
                            .contains(caseId + " " + revision);
                }
            }
            assertThat(withdrawn).as("decisions for the withdrawals at " + jobcenter.id())
                    .containsAll(jobcenter.withdrawals().keySet());
        }
    }

    /** Nothing is left to do: no delivery pending or failed, no patient due, no failed record open. */
    static void assertNothingInFlight(DataSource db) {
        JdbcClient jdbc = JdbcClient.create(db);
        assertThat(jdbc.sql("select status, count(*) from outbox where status in ('pending', 'failed') group by status")
                .query((rs, n) -> rs.getString(1) + "=" + rs.getInt(2)).list()).as("outbox").isEmpty();
        assertThat(jdbc.sql("select count(*) from patient_review where due_at <= current_timestamp")
                .query(Integer.class).single()).as("patients due").isZero();
        assertThat(jdbc.sql("select reason || ' ' || subject from failed_record where status = 'open'")
                .query(String.class).list()).as("open failed records").isEmpty();
    }

    /** The ledger holds every decision and verifies: no entry or checkpoint altered, lost or reordered. */
    static VerificationReport assertLedgerVerifies(DataSource db) {
        LedgerProperties settings = new LedgerProperties(Period.ofYears(10), 1000, Duration.ofMinutes(5), 10000,
                Adapter.LEDGER_KEYS.config());
        VerificationReport report = new LedgerVerifier(db, new DataSourceTransactionManager(db),
                LedgerKeys.load(Adapter.LEDGER_KEYS.config()), settings, Clock.systemUTC()).verify();
        assertThat(report.ok()).as(report.summary()).isTrue();
        long decisions = JdbcClient.create(db).sql("select count(*) from decision").query(Long.class).single();
        assertThat(report.entries()).as("ledger entries vs decisions").isGreaterThanOrEqualTo(decisions);
        return report;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("a PUT that is not JSON reached the jobcenter", e);
        }
    }
}
