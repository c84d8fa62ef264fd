package dk.ipsbridge.flow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.patient.Cpr;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import org.apache.camel.CamelContext;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken EHR input, over real HTTP against the running adapter and the synthetic cohort: every polled
 * resource type answers its own kind of wrong (XML with external entities, malformed, oversized, deeply nested, not a
 * Bundle, paging in a loop, every resource twice), one entry hides an external entity in its narrative, and the
 * cohort holds an invalid CPR and an unknown organisation. Each becomes a failed record with its reason in
 * {@code GET /api/failed}, no entity is ever resolved, a well-formed patient is still delivered and no route stops.
 * Once the EHR is mended, the failures resolve by themselves, but for the ones an operator must see to.
 */
@ExtendWith(ThreadDumpOnFailure.class)
class HostileEhrInputIT {

    private static final String SECRET = "TOP-SECRET-5d2c";
    private static final int LIMIT = 100_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldRecordEachHostileInputWithItsReasonWhileTheOthersFlow() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        WireMockServer dtd = new WireMockServer(options().dynamicPort().bindAddress("localhost"));
        dtd.stubFor(any(anyUrl()).willReturn(aResponse().withBody("<!ENTITY leak \"x\">")));
        dtd.start();
        try (CohortRun run = new CohortRun("ips.operations.max-response-bytes=" + LIMIT)) {
            String doctype = "<!DOCTYPE Bundle [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\"><!ENTITY % ext SYSTEM \""
                    + dtd.baseUrl() + "/evil.dtd\"> %ext;]>";
            hostile(run, doctype);
            CohortPatient shared = run.cohort.patientsIn(SyntheticCohort.SHARED_WITH_A).get(0);
            CohortPatient invalidCpr = run.cohort.patientsIn(SyntheticCohort.INVALID_CPR).get(0);
            CohortPatient unknownOrg = run.cohort.patientsIn(SyntheticCohort.UNKNOWN_RECIPIENT).get(0);
            Map<String, String> expected = Map.of(
                    "ingest Patient/xxe-in-narrative", "unreadable-resource",
                    "ingest Consent search", "duplicate-across-pages",
                    "ingest ServiceRequest search", "xml-not-accepted",
                    "ingest EpisodeOfCare search", "malformed-response",
                    "ingest CareTeam search", "response-too-large",
                    "ingest Appointment search", "json-limit-exceeded",
                    "ingest Goal search", "unexpected-resource-type",
                    "ingest Condition search", "paging-loop",
                    "review " + invalidCpr.patientReference(), "invalid-cpr",
                    "review " + unknownOrg.patientReference(), "unknown-recipient");

            await().atMost(Duration.ofSeconds(90)).until(() -> run.jobcenterA.caseFor(shared.cpr()).isPresent()
                    && reasons(failed(run)).entrySet().containsAll(expected.entrySet()));

            List<JsonNode> failed = failed(run);
            assertThat(subjects(failed, s -> s.startsWith("ingest "))).as("every ingest failure is one of ours")
                    .containsExactlyInAnyOrderElementsOf(subjects(expected.keySet(), s -> s.startsWith("ingest ")));
            String api = failed.toString();
            assertThat(api).doesNotContain(SECRET);
            run.cohort.patients().forEach(p -> assertThat(api).doesNotContain(p.cpr()));
            assertThat(run.adapter.getBean(FailedRecords.class).open()).allSatisfy(r -> {
                assertThat(String.valueOf(r.original())).doesNotContain(SECRET);
                if (FailedRecords.REVIEW.equals(r.stage())) {
                    assertThat(r.original()).isNull();
                }
            });
            assertThat(dtd.getAllServeEvents()).as("the external DTD is never fetched").isEmpty();
            assertThat(run.adapter.getBean(CamelContext.class).getRoutes()).as("no route stops")
                    .allSatisfy(route -> assertThat(run.adapter.getBean(CamelContext.class).getRouteController()
                            .getRouteStatus(route.getRouteId()).isStarted()).isTrue());

            // The EHR is mended and the invalid CPR corrected: what was wrong resolves by itself.
            run.ehr.clearFaults();
            String corrected = "0101" + invalidCpr.cpr().substring(4);
            assertThat(Cpr.isValid(corrected)).isTrue();
            Patient patient = (Patient) run.ehr.resource("Patient", invalidCpr.patientId()).orElseThrow();
            patient.getIdentifier().stream().filter(i -> IpsCodes.CPR_SYSTEM.equals(i.getSystem()))
                    .forEach(i -> i.setValue(corrected));
            run.ehr.store(patient);

            // each condition on its own, so that a timeout says which one still does not hold
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                assertThat(run.jobcenterA.caseFor(corrected)).as("the corrected patient's case").isPresent();
                assertThat(reasons(failed(run))).as("open failed records")
                        .doesNotContainKey("review " + invalidCpr.patientReference())
                        .doesNotContainKey("ingest Condition search");
            });
            assertThat(subjects(failed(run), expected::containsKey)).as("what an operator must see to stays open")
                    .containsExactlyInAnyOrder("ingest Patient/xxe-in-narrative", "ingest Consent search",
                            "review " + unknownOrg.patientReference());

            // Replaying the duplicate notice acknowledges it: nothing to redo, nothing lost.
            long duplicate = failed(run).stream().filter(r -> r.path("subject").asText().equals("Consent search"))
                    .findFirst().orElseThrow().path("id").asLong();
            assertThat(send(run, HttpRequest.newBuilder(URI.create(run.base + "/api/failed/" + duplicate + "/replay"))
                    .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(202);
            assertThat(reasons(failed(run))).doesNotContainKey("ingest Consent search");
        } finally {
            dtd.stop();
        }
    }

    /** One hostile answer per polled type; searches by patient (POST) are answered as usual. */
    private static void hostile(CohortRun run, String doctype) {
        String div = (doctype + "<div xmlns=\"http://www.w3.org/1999/xhtml\">&xxe;</div>").replace("\"", "\\\"");
        run.ehr.pollAnswers("Patient", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"searchset\","
                + "\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"xxe-in-narrative\",\"text\":"
                + "{\"status\":\"generated\",\"div\":\"" + div + "\"}}}]}");
        run.ehr.pollRepeatsPages("Consent");
        run.ehr.pollAnswers("ServiceRequest", "application/fhir+xml;charset=utf-8", "<?xml version=\"1.0\"?>"
                + doctype + "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"searchset\"/><entry><resource>"
                + "<Patient><id value=\"x\"/><name><family value=\"&xxe;\"/></name></Patient></resource></entry>"
                + "</Bundle>");
        run.ehr.pollAnswers("EpisodeOfCare", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"entry\":[{");
        run.ehr.pollAnswers("CareTeam", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"id\":\""
                + "a".repeat(LIMIT) + "\"}");
        run.ehr.pollAnswers("Appointment", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"entry\":"
                + "[".repeat(100) + "]".repeat(100) + "}");
        run.ehr.pollAnswers("Goal", "application/fhir+json", "{\"resourceType\":\"Patient\",\"id\":\"not-a-bundle\"}");
        run.ehr.pollPagingLoop("Condition");
    }

    /** The open failed records, as an operator gets them. */
    private List<JsonNode> failed(CohortRun run) throws IOException, InterruptedException {
        HttpResponse<String> response = send(run, HttpRequest.newBuilder(URI.create(run.base + "/api/failed")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        json.readTree(response.body()).forEach(records::add);
        return records;
    }

    /** "stage subject" to reason; each subject of ours has one reason. */
    private static Map<String, String> reasons(List<JsonNode> failed) {
        return failed.stream().collect(Collectors.toMap(
                r -> r.path("stage").asText() + " " + r.path("subject").asText(), r -> r.path("reason").asText(),
                (a, b) -> a + "," + b));
    }

    /** The "stage subject"s of the open records that {@code keep}. */
    private static List<String> subjects(List<JsonNode> failed, Predicate<String> keep) {
        return subjects(reasons(failed).keySet(), keep);
    }

    private static List<String> subjects(Collection<String> subjects, Predicate<String> keep) {
        return subjects.stream().filter(keep).toList();
    }

    private HttpResponse<String> send(CohortRun run, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        String credentials = LocalUsers.OPERATOR + ":" + run.password(LocalUsers.OPERATOR);
        return http.send(request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
