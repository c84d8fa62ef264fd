package dk.ipsbridge.flow;

import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_A_ORGANIZATION;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.notify.NotificationBodies;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.ehr.SubscriptionNotifier;
import dk.ipsbridge.testkit.ehr.SubscriptionNotifier.Mode;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import io.micrometer.core.instrument.MeterRegistry;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Push over real HTTP, with polling set to once an hour so that only a notification can bring a change early: the mock
 * EHR's Subscription notifies the adapter, which reads the patient fresh and delivers. Duplicated and reordered
 * notifications give one delivery; lost ones make the adapter poll early; hostile bodies are refused with a reason
 * and kept as failed records, and the endpoint keeps serving; without the EHR's credentials nothing gets in.
 */
@ExtendWith(OutputCaptureExtension.class)
class NotificationIT {

    private static final String[] PATIENTS = {"anna", "bo", "cara", "dan"};
    private static final String HOSTILE_CPR = "0101901234"; // in hostile bodies only: must never be logged

    private final LocalUsers users = LocalUsers.random();
    private final String ehrPassword = password();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private MockEhr ehr;
    private MockJobcenter jobcenter;
    private MockJobcenter other;
    private ConfigurableApplicationContext adapter;
    private String base;

    @BeforeEach
    void startSimulators() {
        ehr = new MockEhr();
        jobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
        other = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME);
        MinimalRegion.storeInto(ehr);
        for (String id : PATIENTS) { // referred, no consent yet: held
            ehr.store(IpsFixtures.patient(id, cpr(id), "Test", "Testesen"),
                    IpsFixtures.referral(id + "-referral", id, "psy", JOBCENTER_A_ORGANIZATION,
                            LocalDate.now().minusDays(20), ServiceRequest.ServiceRequestStatus.ACTIVE),
                    IpsFixtures.careTeam(id + "-team", id, "Practitioner/consultant", JOBCENTER_A_ORGANIZATION, null),
                    IpsFixtures.employmentGoal(id + "-goal", id, "Arbejde i et køkken"));
        }
    }

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close();
        }
        ehr.close();
        jobcenter.close();
        other.close();
    }

    @Test
    void shouldDeliverOnAFullResourceNotificationAloneAndOnceDespiteDuplicatesAndReordering() throws Exception {
        start(TestDatabases.h2Url());
        int polls = polls();
        assertThat(polls).as("the initial load").isEqualTo(1);
        SubscriptionNotifier notifier = notifier(Mode.BACKPORT_FULL_RESOURCE).duplicate(true);

        giveConsent("anna"); // event 1, sent twice
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.caseFor(cpr("anna")).isPresent());
        assertThat(polls()).as("the notification alone brought the change").isEqualTo(polls);

        notifier.duplicate(false).reorder(true);
        giveConsent("bo"); // event 2, held back ...
        storeUnrelated(); // ... until event 3 is sent
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.caseFor(cpr("bo")).isPresent());
        awaitQuiet();

        assertThat(jobcenter.revisions(caseOf("anna"))).as("one delivery of that content").containsExactly(1);
        assertThat(jobcenter.revisions(caseOf("bo"))).containsExactly(1);
        assertThat(notifier.statuses()).hasSize(4).containsOnly(200);
        JsonNode subscription = subscription("Subscription/" + SubscriptionNotifier.SUBSCRIPTION_ID);
        assertThat(subscription.path("notifications").asLong()).isEqualTo(4);
        assertThat(subscription.path("eventsSeen").asLong()).isEqualTo(3);
        assertThat(subscription.path("duplicates").asLong()).isEqualTo(1);
        assertThat(subscription.path("outOfOrder").asLong()).as("event 2 after event 3").isEqualTo(1);
        assertThat(subscription.path("gaps").asLong()).as("event 3 came while 2 was missing").isEqualTo(1);
        assertThat(adapter.getBean(MeterRegistry.class).get("ips.notifications.events").tag("outcome", "duplicate")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldPollEarlyWhenNotificationsWereLost() throws Exception {
        start(TestDatabases.h2Url());
        SubscriptionNotifier notifier = notifier(Mode.BACKPORT_FULL_RESOURCE);

        notifier.dropNext(1);
        giveConsent("anna"); // event 1: lost
        storeUnrelated(); // event 2 shows the gap
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.caseFor(cpr("anna")).isPresent());

        notifier.dropNext(1);
        giveConsent("bo"); // event 3: lost, and nothing follows but a heartbeat counting it
        notifier.heartbeat();
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.caseFor(cpr("bo")).isPresent());

        JsonNode subscription = subscription("Subscription/" + SubscriptionNotifier.SUBSCRIPTION_ID);
        assertThat(subscription.path("gaps").asLong()).isEqualTo(2);
        assertThat(subscription.path("highestEvent").asLong()).isEqualTo(3);
        JsonNode source = get("/api/notifications", LocalUsers.OPERATOR, users.operatorPassword()).body()
                .path("sources").get(0);
        assertThat(source.path("earlyPollsRequested").asLong()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldActOnEveryKindOfNotification() throws Exception {
        start(TestDatabases.h2Url());
        SubscriptionNotifier notifier = notifier(Mode.REST_HOOK_EMPTY);
        notifier.handshake();
        List<Mode> modes = List.of(Mode.REST_HOOK_EMPTY, Mode.REST_HOOK_PAYLOAD, Mode.BACKPORT_EMPTY,
                Mode.BACKPORT_ID_ONLY);
        for (int i = 0; i < modes.size(); i++) {
            String patient = PATIENTS[i];
            notifier.mode(modes.get(i));
            giveConsent(patient);
            await(modes.get(i).name()).atMost(Duration.ofSeconds(30))
                    .until(() -> jobcenter.caseFor(cpr(patient)).isPresent());
        }
        assertThat(notifier.statuses()).containsOnly(200);
        assertThat(subscription("rest-hook").path("notifications").asLong()).isEqualTo(2);
        assertThat(subscription("Subscription/" + SubscriptionNotifier.SUBSCRIPTION_ID).path("lastType").asText())
                .isEqualTo("event-notification");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseHostileInputWithAReasonAndKeepServing(Kind kind, CapturedOutput output) throws Exception {
        start(kind == Kind.H2 ? TestDatabases.h2Url() : TestDatabases.postgresUrl(),
                "ips.notifications.max-body-bytes=65536");
        String valid = SubscriptionNotifier.backportBundle("", "heartbeat", 0, List.of(), false);

        assertThat(send("POST", "/fhir/notify/ehr", null, null, valid.getBytes(UTF_8)).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/fhir/notify/ehr", LocalUsers.OPERATOR, users.operatorPassword(),
                valid.getBytes(UTF_8)).statusCode()).as("operators do not notify").isEqualTo(403);
        assertThat(send("POST", "/fhir/notify/ehr", "ehr", "wrong", valid.getBytes(UTF_8)).statusCode()).isEqualTo(401);
        assertThat(get("/api/failed", "ehr", ehrPassword).status()).as("the EHR reads nothing").isEqualTo(403);
        assertThat(send("POST", "/fhir/notify/other", FHIR_JSON, valid.getBytes(UTF_8)).statusCode())
                .as("a source the EHR user is not bound to (C17)").isEqualTo(403);

        refused("POST", "/fhir/notify/nosuch", FHIR_JSON, valid.getBytes(UTF_8), 404, "unknown-source");
        refused("POST", "/fhir/notify/ehr", "application/fhir+xml", valid.getBytes(UTF_8), 415, "xml-not-accepted");
        refused("POST", "/fhir/notify/ehr", FHIR_JSON, " <Bundle/>".getBytes(UTF_8), 415, "xml-not-accepted");
        byte[] large = ("{\"resourceType\":\"Bundle\",\"x\":\"" + "a".repeat(70_000) + "\"}").getBytes(UTF_8);
        refused("POST", "/fhir/notify/ehr", FHIR_JSON, large, 413, "body-too-large");
        assertThat(chunked("POST", "/fhir/notify/ehr", FHIR_JSON, large).statusCode()).as("no Content-Length to go by: the limit holds while reading")
                .isEqualTo(413);
        refused("POST", "/fhir/notify/ehr", FHIR_JSON, ("{\"cpr\":\"" + HOSTILE_CPR).getBytes(UTF_8), 400,
                "malformed-json");
        refused("POST", "/fhir/notify/ehr", FHIR_JSON, ("{\"a\":" + "[".repeat(500) + "]".repeat(500) + "}")
                .getBytes(UTF_8), 400, "json-limit");
        refused("POST", "/fhir/notify/ehr", FHIR_JSON, patientJson(), 400, "unexpected-resource-type");
        refused("PUT", "/fhir/notify/ehr/Patient/someone-else", FHIR_JSON, patientJson(), 400, "path-mismatch");
        refused("POST", "/fhir/notify/ehr", FHIR_JSON, "{\"resourceType\":\"Bundle\u0000\"}".getBytes(UTF_8), 400,
                "malformed-json");
        assertThat(chunked("PUT", "/fhir/notify/ehr/Patient/p1", "application/x-www-form-urlencoded",
                ("a=" + "b".repeat(70_000)).getBytes(UTF_8)).statusCode())
                .as("a form body is not read whole before the limit (Spring's form content filter is off)")
                .isEqualTo(413);

        JsonNode failed = get("/api/failed", LocalUsers.OPERATOR, users.operatorPassword()).body();
        List<String> reasons = new ArrayList<>();
        failed.forEach(r -> {
            if ("notification".equals(r.path("stage").asText())) {
                reasons.add(r.path("reason").asText());
                assertThat(r.path("message").asText()).doesNotContain(HOSTILE_CPR);
            }
        });
        assertThat(reasons).contains("unknown-source", "xml-not-accepted", "body-too-large", "malformed-json",
                "json-limit", "unexpected-resource-type", "path-mismatch");

        // a fuzz round through HTTP: whatever comes, a 2xx or a 4xx, never a 5xx, and the endpoint keeps serving
        Map<Integer, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();
        NotificationBodies.hostile().sampleStream().limit(FUZZ_INPUTS).forEach(input -> {
            String path = "/fhir/notify/ehr" + (input.method().equals("PUT") ? "/" + input.type() + "/" + input.id()
                    : "");
            int status = send(input.method(), path, input.contentType(), input.body()).statusCode();
            statuses.merge(status, 1, Integer::sum);
        });
        System.out.printf("NotificationIT HTTP fuzz (%s): %d inputs in %.1f s, answered %s%n", kind, FUZZ_INPUTS,
                (System.nanoTime() - started) / 1e9, statuses);
        assertThat(statuses.keySet()).allSatisfy(status -> assertThat(status).isBetween(200, 499).isNotIn(401, 403));

        // still serving (a rest-hook: the fuzzed bundles used the notifier's subscription and its event numbers)
        SubscriptionNotifier notifier = notifier(Mode.REST_HOOK_PAYLOAD);
        giveConsent("anna");
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.caseFor(cpr("anna")).isPresent());
        assertThat(notifier.statuses()).containsOnly(200);
        assertThat(output.getAll()).as("no body is logged").doesNotContain(HOSTILE_CPR);
    }

    private static final int FUZZ_INPUTS = 500;
    private static final String FHIR_JSON = "application/fhir+json";

    private void start(String db, String... extra) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        List<String> settings = new ArrayList<>(users.settings());
        settings.addAll(List.of("ips.sources[0].poll-interval=1h", "ips.security.users[2].username=ehr",
                "ips.security.users[2].password-hash=" + bcrypt.encode(ehrPassword),
                "ips.security.users[2].roles[0]=EHR", "ips.security.users[2].sources[0]=ehr",
                // bound to a source no longer configured too, so that the endpoint's own unknown-source answer is reached
                "ips.security.users[2].sources[1]=nosuch"));
        settings.addAll(List.of(extra));
        adapter = Adapter.start(db, ehr, jobcenter, other, null, settings.toArray(String[]::new));
        base = "http://localhost:" + adapter.getEnvironment().getProperty("local.server.port");
        // the initial load has decided every patient (held: no consent yet)
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(PATIENTS).stream()
                .allMatch(id -> !adapter.getBean(DecisionLog.class).forPatient("ehr", "Patient/" + id).isEmpty()));
    }

    private SubscriptionNotifier notifier(Mode mode) {
        return new SubscriptionNotifier(base + "/fhir/notify/ehr", "ehr", ehrPassword, mode).attachTo(ehr);
    }

    private void giveConsent(String id) {
        ehr.store(IpsFixtures.consent(id + "-consent", id).givenAt(Instant.now().minus(Duration.ofDays(1)))
                .recipient("Organization/" + JOBCENTER_A_ORGANIZATION).categories("contact", "employment-goal")
                .build());
    }

    /** A change that concerns no patient and no case record. */
    private void storeUnrelated() {
        ehr.store(IpsFixtures.organization("elsewhere-" + System.nanoTime(), "http://cvr.dk", "87654321", "Elsewhere"));
    }

    /** Polls of the EHR so far: each poll starts with one GET search of Consents. */
    private int polls() {
        return (int) ehr.wireMock().getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> RequestMethod.GET.equals(r.getMethod()) && r.getUrl().startsWith("/fhir/Consent?"))
                .count();
    }

    private void awaitQuiet() {
        await().atMost(Duration.ofSeconds(30)).until(() -> adapter.getBean(ReviewQueue.class)
                .due(Instant.now(), 1).isEmpty() && adapter.getBean(Outbox.class).count("pending") == 0);
    }

    private String caseOf(String id) {
        return jobcenter.caseFor(cpr(id)).orElseThrow().path("caseId").asText();
    }

    /** anna 0101901001, bo 0202902002, ... */
    private static String cpr(String id) {
        int n = 1 + List.of(PATIENTS).indexOf(id);
        return "0" + n + "0" + n + "90" + n + "00" + n;
    }

    private byte[] patientJson() {
        return ("{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{\"system\":\"urn:oid:1.2.208.176.1.2\","
                + "\"value\":\"" + HOSTILE_CPR + "\"}]}").getBytes(UTF_8);
    }

    private JsonNode subscription(String name) throws IOException {
        for (JsonNode s : get("/api/notifications", LocalUsers.OPERATOR, users.operatorPassword()).body()
                .path("subscriptions")) {
            if (s.path("subscription").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no subscription " + name);
    }

    private void refused(String method, String path, String contentType, byte[] body, int status, String reason)
            throws IOException {
        HttpResponse<String> response = send(method, path, contentType, body);
        assertThat(response.statusCode()).as(reason).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(response.body()).path("reason").asText()).isEqualTo(reason);
        assertThat(response.body()).doesNotContain(HOSTILE_CPR);
    }

    private HttpResponse<String> send(String method, String path, String contentType, byte[] body) {
        return send(method, path, "ehr", ehrPassword, contentType, body);
    }

    private HttpResponse<String> send(String method, String path, String user, String password, byte[] body) {
        return send(method, path, user, password, FHIR_JSON, body);
    }

    private HttpResponse<String> send(String method, String path, String user, String password, String contentType,
            byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/fhir+json") // as HAPI's client asks
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null && !contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return exchange(request.build());
    }

    private HttpResponse<String> chunked(String method, String path, String contentType, byte[] body) {
        return exchange(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", basic("ehr", ehrPassword)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer get(String path, String user, String password) throws IOException {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", basic(user, password)).GET().build());
        return new Answer(response.statusCode(), response.statusCode() == 200 ? json.readTree(response.body()) : null);
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String password() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }
}
