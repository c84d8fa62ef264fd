package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The consent officer's preview and the login in front of the API, over real HTTP: what a jobcenter would receive
 * now, category by category, with the CPR only ever in a POST body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentPreviewIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final CohortRun run = new CohortRun("ips.sources[0].poll-interval=1h");

    @AfterAll
    void stop() {
        run.close();
    }

    @Test
    void shouldShowWhatTheJobcenterWouldReceiveAndWhatIsHeldBack() throws Exception {
        CohortPatient patient = run.cohort.patients().stream().filter(CohortPatient::expectedShared)
                .filter(p -> !p.expectedCategories().contains("diagnosis")).findFirst().orElseThrow();

        HttpResponse<String> response = preview(patient.cpr(), patient.expectedJobcenterId(), LocalUsers.OFFICER);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode preview = json.readTree(response.body()).get(0);
        assertThat(preview.path("decision").asText()).isEqualTo("share");
        assertThat(preview.path("patientReference").asText()).isEqualTo(patient.patientReference());
        assertThat(preview.path("record").path("citizen").path("cpr").asText()).isEqualTo(patient.cpr());
        Map<String, Boolean> shared = new java.util.HashMap<>();
        preview.path("categories").forEach(c -> shared.put(c.path("category").asText(), c.path("shared").asBoolean()));
        assertThat(shared.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .collect(Collectors.toSet()))
                .isEqualTo(patient.expectedCategories());
        assertThat(preview.path("categories")).filteredOn(c -> !c.path("shared").asBoolean())
                .allSatisfy(c -> assertThat(c.path("reason").asText()).isNotBlank());
        assertThat(preview.path("record").has("diagnoses")).as("diagnosis is never shared unless permitted").isFalse();
    }

    @Test
    void shouldSayWhyNothingWouldBeShared() throws Exception {
        CohortPatient patient = run.cohort.patients().stream().filter(p -> !p.expectedShared())
                .filter(p -> "consent-withdrawn".equals(p.expectedHold()))
                .findFirst().orElseThrow();

        HttpResponse<String> response = preview(patient.cpr(), SyntheticCohort.JOBCENTER_A_ID, LocalUsers.OFFICER);

        JsonNode preview = json.readTree(response.body()).get(0);
        assertThat(preview.path("decision").asText()).isEqualTo("hold");
        assertThat(preview.path("reason").asText()).isEqualTo("consent-withdrawn");
        assertThat(preview.path("record").isNull() || preview.path("record").isMissingNode()).isTrue();
    }

    @Test
    void shouldNeverPutTheCprInAnEhrUrl() throws Exception {
        CohortPatient patient = run.cohort.patients().get(0);
        preview(patient.cpr(), SyntheticCohort.JOBCENTER_A_ID, LocalUsers.OFFICER);

        assertThat(run.ehr.wireMock().findAll(WireMock.anyRequestedFor(WireMock.anyUrl())))
                .allSatisfy(r -> assertThat(r.getUrl()).doesNotContain(patient.cpr()));
    }

    @Test
    void shouldLetAnOperatorLogInWithARealBrowserAndSeeTheStatusPage() {
        org.openqa.selenium.WebDriver browser = Browser.start();
        try {
            Browser.logIn(browser, run.base, LocalUsers.OPERATOR, run.password(LocalUsers.OPERATOR));
            assertThat(browser.getCurrentUrl()).isEqualTo(run.base + "/");
            assertThat(browser.getPageSource()).contains(SyntheticCohort.JOBCENTER_A_ID + " received")
                    .doesNotContain(run.cohort.patients().get(0).cpr());
        } finally {
            browser.quit();
        }
    }

    @Nested
    class Refusals {

        @Test
        void shouldRejectAnInvalidCprWithoutEchoingIt() throws Exception {
            HttpResponse<String> response = preview("3102991234", SyntheticCohort.JOBCENTER_A_ID, LocalUsers.OFFICER);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("valid CPR").doesNotContain("3102991234");
        }

        @Test
        void shouldRejectAnUnknownJobcenter() throws Exception {
            assertThat(preview(run.cohort.patients().get(0).cpr(), "jobcenter-nowhere", LocalUsers.OFFICER).statusCode())
                    .isEqualTo(400);
        }

        @Test
        void shouldAnswer404ForACprNoEhrKnows() throws Exception {
            assertThat(preview("0101010101", SyntheticCohort.JOBCENTER_A_ID, LocalUsers.OFFICER).statusCode())
                    .isEqualTo(404);
        }

        @Test
        void shouldRefuseAnonymousCallersAndOperators() throws Exception {
            String cpr = run.cohort.patients().get(0).cpr();
            assertThat(preview(cpr, SyntheticCohort.JOBCENTER_A_ID, null).statusCode()).isEqualTo(401);
            assertThat(preview(cpr, SyntheticCohort.JOBCENTER_A_ID, LocalUsers.OPERATOR).statusCode()).isEqualTo(403);
        }

        @Test
        void shouldKeepStatusForOperatorsSendBrowsersToTheLoginAndLeaveHealthOpen() throws Exception {
            assertThat(get("/api/status", null).statusCode()).isEqualTo(401);
            assertThat(get("/api/failed", LocalUsers.OFFICER).statusCode()).isEqualTo(403);
            assertThat(get("/api/failed", LocalUsers.OPERATOR).statusCode()).isEqualTo(200);
            assertThat(get("/api/consents/expiring", LocalUsers.OFFICER).statusCode()).isEqualTo(200);
            assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(run.base + "/"))
                    .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(302);
            assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        }
    }

    private HttpResponse<String> preview(String cpr, String jobcenterId, String user)
            throws IOException, InterruptedException {
        String body = json.writeValueAsString(Map.of("cpr", cpr, "jobcenterId", jobcenterId));
        return send(HttpRequest.newBuilder(URI.create(run.base + "/api/consents/preview"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), user);
    }

    private HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(run.base + path)).GET(), user);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String user)
            throws IOException, InterruptedException {
        if (user != null) {
            String password = run.password(user);
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
