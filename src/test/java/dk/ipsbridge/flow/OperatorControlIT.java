package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerRecord;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter.ReceivedRequest;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17: an operator pauses delivery to a jobcenter (nothing reaches it, its work waits in the outbox, a withdrawal
 * too, shown as paused), resumes it (everything goes out, the withdrawal first), and resyncs a citizen or a source;
 * each action is a ledger entry naming the operator. Through the API and through the page in a real browser.
 */
class OperatorControlIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EARLY = "0101901234";
    private static final String LATE_1 = "0202902345";
    private static final String LATE_2 = "0303903456";
    private static final String JOBCENTER = SyntheticCohort.JOBCENTER_A_ID;

    private final LocalUsers users = LocalUsers.random();
    private MockEhr ehr;
    private MockJobcenter a;
    private MockJobcenter b;
    private ConfigurableApplicationContext adapter;
    private String base;

    @BeforeEach
    void startPeers() {
        ehr = new MockEhr();
        a = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
        b = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME);
        MinimalRegion.storeInto(ehr);
        MinimalRegion.storeReferredPatient(ehr, "early", EARLY, true);
    }

    @AfterEach
    void stopAll() {
        if (adapter != null) {
            adapter.close();
        }
        ehr.close();
        a.close();
        b.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldHoldEverythingForAPausedJobcenterAndSendTheWithdrawalFirstAfterResume(Kind kind) throws Exception {
        start(kind == Kind.H2 ? TestDatabases.h2Url() : TestDatabases.postgresUrl());
        await().atMost(Duration.ofSeconds(60)).until(() -> a.caseFor(EARLY).isPresent() && pending() == 0);
        String earlyCase = a.caseFor(EARLY).orElseThrow().path("caseId").asText();

        JsonNode paused = post("/api/control/jobcenters/" + JOBCENTER + "/pause", "{\"reason\":\"jobcenter upgrade\"}",
                200);
        assertThat(paused.path("changed").asBoolean()).isTrue();
        assertThat(post("/api/control/jobcenters/" + JOBCENTER + "/pause", "{}", 200).path("changed").asBoolean())
                .isFalse();
        int sentBeforePause = writes().size();

        // while paused: two new citizens are decided and queued, and the first withdraws consent
        MinimalRegion.storeReferredPatient(ehr, "late-1", LATE_1, true);
        MinimalRegion.storeReferredPatient(ehr, "late-2", LATE_2, true);
        withdrawConsent("early");
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenterState().path("waiting").asInt() == 3
                && jobcenterState().path("withdrawalsWaiting").asInt() == 1);
        Thread.sleep(1_500); // seven delivery rounds
        assertThat(writes()).as("nothing reaches a paused jobcenter").hasSize(sentBeforePause);
        JsonNode state = jobcenterState();
        assertThat(state.path("paused").asBoolean()).isTrue();
        assertThat(state.path("pausedBy").asText()).isEqualTo(LocalUsers.OPERATOR);
        assertThat(state.path("reason").asText()).isEqualTo("jobcenter upgrade");
        assertThat(outbox().waiting().get(JOBCENTER)).containsEntry(Outbox.WITHDRAWAL, 1).containsEntry(Outbox.CASE, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> text("/actuator/prometheus")
                .contains("ips_jobcenter_paused_seconds{jobcenter=\"" + JOBCENTER + "\"}"));

        assertThat(post("/api/control/jobcenters/" + JOBCENTER + "/resume", "", 200).path("changed").asBoolean())
                .isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> a.caseFor(LATE_1).isPresent()
                && a.caseFor(LATE_2).isPresent() && a.withdrawals().containsKey(earlyCase));
        List<ReceivedRequest> afterResume = writes().subList(sentBeforePause, writes().size());
        assertThat(afterResume.get(0).method()).isEqualTo("POST");
        assertThat(afterResume.get(0).url()).endsWith("/cases/" + earlyCase + "/withdrawal");
        assertThat(afterResume).hasSize(3);
        assertThat(jobcenterState().path("paused").asBoolean()).isFalse();

        assertThat(control()).extracting(LedgerRecord::decision, LedgerRecord::actor, LedgerRecord::recipient)
                .containsExactly(tuple("delivery-paused", LocalUsers.OPERATOR, JOBCENTER),
                        tuple("delivery-resumed", LocalUsers.OPERATOR, JOBCENTER));
    }

    @Test
    void shouldResyncACitizenByCprInTheBodyAndASourceAndRefuseWhatItCannotDo() throws Exception {
        start(TestDatabases.h2Url());
        await().atMost(Duration.ofSeconds(60)).until(() -> a.caseFor(EARLY).isPresent() && pending() == 0);

        assertThat(post("/api/control/resync", "{\"cpr\":\"" + EARLY + "\"}", 202).path("queued").asInt())
                .isEqualTo(1);
        HttpResponse<String> invalid = send("/api/control/resync", "{\"cpr\":\"3213901234\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).doesNotContain("3213901234");
        assertThat(send("/api/control/resync", "{\"cpr\":\"0404904567\"}").statusCode()).isEqualTo(404);
        assertThat(send("/api/control/resync", "{\"source\":\"nowhere\"}").statusCode()).isEqualTo(400);
        assertThat(send("/api/control/jobcenters/nowhere/pause", "{}").statusCode()).isEqualTo(400);
        assertThat(send("/api/control/resync", "{}").statusCode()).isEqualTo(400);
        assertThat(post("/api/control/resync", "{\"source\":\"ehr\"}", 202).path("queued").asInt()).isEqualTo(1);

        // the resynced citizen's unchanged record is not sent again
        Thread.sleep(1_500);
        assertThat(a.revisions(a.caseFor(EARLY).orElseThrow().path("caseId").asText())).hasSize(1);
        assertThat(control()).extracting(LedgerRecord::decision, LedgerRecord::reason, LedgerRecord::actor,
                r -> r.cprHash() != null).containsExactly(
                        tuple("resync-requested", "patient", LocalUsers.OPERATOR, true),
                        tuple("resync-requested", "patient-not-found",
                                LocalUsers.OPERATOR, true),
                        tuple("resync-requested", "source", LocalUsers.OPERATOR, false));
        assertThat(routes()).anySatisfy(r -> {
            assertThat(r.path("id").asText()).isEqualTo("jobcenter-deliver-" + JOBCENTER);
            assertThat(r.path("status").asText()).isEqualTo("Started");
        });
    }

    @Test
    void shouldPauseAndResumeFromTheControlPageInABrowser() throws Exception {
        start(TestDatabases.h2Url());
        await().atMost(Duration.ofSeconds(60)).until(() -> a.caseFor(EARLY).isPresent() && pending() == 0);
        WebDriver browser = Browser.start();
        try {
            Browser.logIn(browser, base, LocalUsers.OPERATOR, users.operatorPassword());
            browser.get(base + "/control");
            By row = By.cssSelector("tr[data-jobcenter='" + JOBCENTER + "']");
            browser.findElement(row).findElement(By.name("reason")).sendKeys("upgrade tonight");
            Browser.submit(browser, browser.findElement(row).findElement(By.cssSelector("button.pause")));

            assertThat(browser.findElement(By.id("message")).getText()).contains("paused");
            assertThat(browser.findElement(row).findElement(By.className("state")).getText())
                    .startsWith("paused by operator").endsWith(": upgrade tonight");
            MinimalRegion.storeReferredPatient(ehr, "late-1", LATE_1, true);
            await().atMost(Duration.ofSeconds(30)).until(() -> jobcenterState().path("waiting").asInt() == 1);
            browser.get(base + "/control");
            assertThat(browser.findElement(row).findElement(By.className("waiting")).getText()).isEqualTo("1");

            browser.findElement(By.name("cpr")).sendKeys(EARLY);
            Browser.submit(browser, browser.findElement(By.cssSelector("#resync-patient button")));
            assertThat(browser.findElement(By.id("message")).getText())
                    .isEqualTo("1 patient record(s) queued for review.");
            assertThat(browser.getCurrentUrl()).doesNotContain(EARLY);

            Browser.submit(browser, browser.findElement(row).findElement(By.cssSelector("button.resume")));
            assertThat(browser.findElement(row).findElement(By.className("state")).getText()).isEqualTo("running");
            await().atMost(Duration.ofSeconds(30)).until(() -> a.caseFor(LATE_1).isPresent());
        } finally {
            browser.quit();
        }
        assertThat(control()).extracting(LedgerRecord::decision).containsExactly("delivery-paused",
                "resync-requested", "delivery-resumed");
    }

    private void start(String db) {
        List<String> settings = new ArrayList<>(users.settings());
        settings.add("ips.operations.metrics-interval=200ms");
        adapter = Adapter.start(db, ehr, a, b, null, settings.toArray(String[]::new));
        base = "http://localhost:" + adapter.getEnvironment().getProperty("local.server.port");
    }

    private Outbox outbox() {
        return adapter.getBean(Outbox.class);
    }

    private int pending() {
        return outbox().count("pending");
    }

    /** What reached jobcenter A that writes: case records and withdrawals, in the order they arrived. */
    private List<ReceivedRequest> writes() {
        return a.requests().stream().filter(r -> !"GET".equals(r.method())).toList();
    }

    private List<LedgerRecord> control() {
        return adapter.getBean(Ledger.class).search(new Ledger.Query(null, null, null, null, null, null, null, 100))
                .stream().filter(r -> r.actor() != null && r.decision().matches("delivery-.*|resync-.*"))
                .sorted(Comparator.comparingLong(LedgerRecord::index)).toList();
    }

    private JsonNode jobcenterState() throws Exception {
        for (JsonNode j : get("/api/control").path("jobcenters")) {
            if (JOBCENTER.equals(j.path("id").asText())) {
                return j;
            }
        }
        throw new AssertionError("no jobcenter " + JOBCENTER);
    }

    private JsonNode routes() throws Exception {
        return get("/api/control/routes");
    }

    private void withdrawConsent(String id) {
        Consent consent = ehr.resources(Consent.class).stream()
                .filter(c -> c.getIdPart().equals(id + "-consent")).findFirst().orElseThrow();
        consent.setStatus(Consent.ConsentState.INACTIVE);
        ehr.store(consent);
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(text(path));
    }

    private String text(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", users.operatorAuthorization()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> answer = send(path, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> send(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", users.operatorAuthorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
