package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fault.InjectedFault;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17: readiness covers each EHR source and jobcenter, the store and the ledger's keys. A jobcenter that answers
 * nothing but 503 makes readiness DOWN and is named to a logged-in operator, and to no one else; liveness stays UP;
 * when the jobcenter answers again, readiness is UP again.
 */
class ReadinessIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPR = "0101901234";

    private final LocalUsers users = LocalUsers.random();

    @Test
    void shouldNameTheJobcenterThatIsDownToAnOperatorAndBeReadyAgainWhenItAnswers() throws Exception {
        try (MockEhr ehr = new MockEhr();
                MockJobcenter a = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
                MockJobcenter b = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME)) {
            MinimalRegion.storeInto(ehr);
            MinimalRegion.storeReferredPatient(ehr, "p1", CPR, true);
            a.failWith(InjectedFault.status(503));
            try (ConfigurableApplicationContext adapter = Adapter.start(TestDatabases.h2Url(), ehr, a, b, null,
                    users.settings().toArray(String[]::new))) {
                String base = "http://localhost:" + adapter.getEnvironment().getProperty("local.server.port");
                String component = "jobcenter-" + SyntheticCohort.JOBCENTER_A_ID;

                await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/actuator/health/readiness", false)
                        .statusCode() == 503);

                HttpResponse<String> anonymous = get(base + "/actuator/health/readiness", false);
                assertThat(JSON.readTree(anonymous.body()).path("status").asText()).isEqualTo("DOWN");
                assertThat(anonymous.body()).doesNotContain(component).doesNotContain("components");
                JsonNode operator = JSON.readTree(get(base + "/actuator/health/readiness", true).body());
                JsonNode peers = operator.path("components").path("peers").path("components");
                assertThat(peers.path(component).path("status").asText()).isEqualTo("DOWN");
                assertThat(peers.path(component).path("details").path("lastProblem").asText())
                        .isEqualTo("answered 503");
                assertThat(peers.path("ehr-ehr").path("status").asText()).isEqualTo("UP");
                assertThat(operator.path("components").path("db").path("status").asText()).isEqualTo("UP");
                assertThat(operator.path("components").path("ledgerKeys").path("status").asText()).isEqualTo("UP");
                assertThat(operator.toString()).doesNotContain(CPR).doesNotContain("p1");
                assertThat(get(base + "/actuator/health/liveness", false).statusCode()).isEqualTo(200);

                a.clearFaults();
                await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/actuator/health/readiness", false)
                        .statusCode() == 200);
            }
        }
    }

    private HttpResponse<String> get(String url, boolean asOperator) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (asOperator) {
            request.header("Authorization", users.operatorAuthorization());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
