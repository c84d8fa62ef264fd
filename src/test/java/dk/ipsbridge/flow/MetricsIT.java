package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 17: the metrics an operator scrapes from {@code /actuator/prometheus} after a flow, by name, label and value;
 * and no label value anywhere holds a CPR number, a patient id or a case id.
 */
class MetricsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final String SHARED_CPR = "0101901234";
    private static final String HELD_CPR = "0202902345";

    private final LocalUsers users = LocalUsers.random();

    @Test
    void shouldReportDecisionsQueuesCasesPollingAndTheLedgerWithoutAPersonInAnyLabel() throws Exception {
        try (MockEhr ehr = new MockEhr();
                MockJobcenter a = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
                MockJobcenter b = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME)) {
            MinimalRegion.storeInto(ehr);
            MinimalRegion.storeReferredPatient(ehr, "shared-1", SHARED_CPR, true);
            MinimalRegion.storeReferredPatient(ehr, "held-1", HELD_CPR, false);
            List<String> settings = new ArrayList<>(users.settings());
            settings.add("ips.operations.metrics-interval=200ms");
            try (ConfigurableApplicationContext adapter = Adapter.start(TestDatabases.h2Url(), ehr, a, b, null,
                    settings.toArray(String[]::new))) {
                String base = "http://localhost:" + adapter.getEnvironment().getProperty("local.server.port");
                await().atMost(Duration.ofSeconds(60)).until(() -> a.caseFor(SHARED_CPR).isPresent());
                String jobcenter = "jobcenter=\"" + SyntheticCohort.JOBCENTER_A_ID + "\"";

                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    String m = scrape(base);
                    return value(m, "ips_cases", jobcenter, "state=\"shared\"") == 1
                            && value(m, "ips_outbox_pending", jobcenter) == null;
                });
                String metrics = scrape(base);

                assertThat(value(metrics, "ips_decisions_total", jobcenter, "outcome=\"shared\"", "reason=\"none\""))
                        .isEqualTo(1);
                // no consent names a jobcenter for the other patient: held without a recipient
                assertThat(value(metrics, "ips_decisions_total", "jobcenter=\"none\"", "outcome=\"held\"",
                        "reason=\"no-consent\"")).isEqualTo(1);
                assertThat(value(metrics, "ips_cases", "jobcenter=\"none\"", "state=\"held\"",
                        "reason=\"no-consent\"")).isEqualTo(1);
                assertThat(value(metrics, "ips_review_due")).isZero();
                assertThat(value(metrics, "ips_review_queued")).isEqualTo(1); // the shared patient, for its re-check
                assertThat(value(metrics, "ips_ledger_entries")).isGreaterThanOrEqualTo(2);
                assertThat(value(metrics, "ips_ehr_poll_age_seconds", "source=\"ehr\"", "resource_type=\"Consent\""))
                        .isBetween(0.0, 30.0);
                assertThat(value(metrics, "ips_ledger_checkpoint_age_seconds")).isNotNull();
                assertThat(value(metrics, "ips_consents_expiring")).isZero();

                List<String> forbidden = new ArrayList<>(List.of(SHARED_CPR, HELD_CPR, "shared-1", "held-1"));
                forbidden.addAll(new JdbcTemplate(adapter.getBean(javax.sql.DataSource.class))
                        .queryForList("select case_id from ips_case where case_id is not null", String.class));
                assertThat(forbidden).hasSizeGreaterThan(4);
                Matcher labels = LABEL.matcher(metrics);
                while (labels.find()) {
                    String label = labels.group(2);
                    assertThat(forbidden).as("label %s", labels.group(1)).noneMatch(label::contains);
                }
            }
        }
    }

    private String scrape(String base) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .header("Authorization", users.operatorAuthorization()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** The value of the one sample of {@code name} whose labels hold all of {@code labels}; null when none. */
    private static Double value(String metrics, String name, String... labels) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String label : labels) {
                    all &= line.contains(label);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return null;
    }
}
