package dk.ipsbridge.testkit.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.client.WireMock;
import dk.ipsbridge.testkit.fault.InjectedFault;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MockEhrTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private MockEhr ehr;

    @BeforeEach
    void start() {
        ehr = new MockEhr().clock(Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        ehr.close();
    }

    @Nested
    class Search {

        @Test
        void shouldReturnEveryMatchExactlyOnceAcrossPagesWithNextLinksThatCarryNoSearchParameter() throws Exception {
            for (int i = 0; i < 23; i++) {
                ehr.store(consent("k-p1-" + i, "p1"), consent("k-p2-" + i, "p2"));
            }

            List<String> seen = new ArrayList<>();
            List<String> links = new ArrayList<>();
            Bundle page = get("/Consent?patient=Patient/p1&_count=5");
            assertThat(page.getTotal()).isEqualTo(23);
            while (true) {
                page.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().getIdPart()));
                page.getLink().forEach(l -> links.add(l.getUrl()));
                if (page.getLink("next") == null) {
                    break;
                }
                page = getAbsolute(page.getLink("next").getUrl());
            }

            assertThat(seen).hasSize(23).doesNotHaveDuplicates().allMatch(id -> id.startsWith("k-p1-"));
            assertThat(links).isNotEmpty().allSatisfy(url -> assertThat(url)
                    .startsWith(ehr.baseUrl() + "?_getpages=")
                    .doesNotContain("patient").doesNotContain("p1").doesNotContain("Patient"));
        }

        @Test
        void shouldNeverPutAnIdentifierSearchedForIntoAPageLink() throws Exception {
            for (int i = 0; i < 3; i++) {
                ehr.store(IpsFixtures.patient("pt-" + i, "010190123" + i, "Test", "Person"));
            }
            Bundle page = get("/Patient?identifier=urn:oid:1.2.208.176.1.2%7C0101901231&_count=1");
            assertThat(page.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly("pt-1");
            assertThat(page.getLink()).allSatisfy(l -> assertThat(l.getUrl()).doesNotContain("0101901231"));
        }

        @Test
        void shouldFindOnlyWhatChangedAfterAGivenLastUpdated() throws Exception {
            ehr.store(consent("k-old", "p1"));
            Resource middle = ehr.store(consent("k-middle", "p1")).get(0);
            ehr.store(consent("k-new", "p1"));

            String after = URLEncoder.encode("gt" + middle.getMeta().getLastUpdatedElement().getValueAsString(),
                    StandardCharsets.UTF_8);
            assertThat(ids(get("/Consent?_lastUpdated=" + after))).containsExactly("k-new");
            assertThat(ids(get("/Consent?_lastUpdated=ge2026-03-01&_lastUpdated=lt2026-03-02"))).hasSize(3);
            assertThat(ids(get("/Consent?_lastUpdated=gt2026-03-01"))).isEmpty();
        }

        @Test
        void shouldGiveStrictlyIncreasingLastUpdatedAndVersionsUnderAFixedClock() {
            Resource v1 = ehr.store(consent("k", "p1")).get(0);
            Resource v2 = ehr.store(consent("k", "p1")).get(0);
            assertThat(v1.getMeta().getVersionId()).isEqualTo("1");
            assertThat(v2.getMeta().getVersionId()).isEqualTo("2");
            assertThat(v2.getMeta().getLastUpdated()).isAfter(v1.getMeta().getLastUpdated());
            assertThat(v1.getMeta().getLastUpdated().toInstant()).isEqualTo(T0);
            assertThat(ehr.history("Consent", "k")).hasSize(2);
        }

        @Test
        void shouldFindAPatientsResourcesByPostSearchWithTheParametersInTheBody() throws Exception {
            ehr.store(IpsFixtures.referral("sr-1", "p1", "unit", "jc-a", LocalDate.of(2026, 1, 5),
                    ServiceRequest.ServiceRequestStatus.ACTIVE));
            ehr.store(IpsFixtures.referral("sr-2", "p2", "unit", "jc-a", LocalDate.of(2026, 1, 5),
                    ServiceRequest.ServiceRequestStatus.ACTIVE));
            ehr.store(IpsFixtures.conference("ap-1", "p1", T0, T0.plusSeconds(3600)));

            assertThat(ids(postSearch("ServiceRequest", "patient=Patient%2Fp1"))).containsExactly("sr-1");
            assertThat(ids(postSearch("ServiceRequest", "subject=p2"))).containsExactly("sr-2");
            assertThat(ids(postSearch("Appointment", "patient=p1&status=booked"))).containsExactly("ap-1");
            ehr.wireMock().verify(WireMock.postRequestedFor(WireMock.urlEqualTo("/fhir/ServiceRequest/_search"))
                    .withRequestBody(WireMock.containing("patient=")));
        }

        @Test
        void shouldAnswerSearchesByPatientAndIdFromWhatTheStoreHoldsNowAfterEveryWrite() throws Exception {
            ehr.store(consent("a", "p1"), consent("b", "p2"), consent("c", "p1"));
            assertThat(ids(postSearch("Consent", "patient=p1,p2"))).containsExactly("a", "b", "c");
            assertThat(ids(postSearch("Consent", "_id=c,a"))).containsExactly("a", "c");

            ehr.store(consent("a", "p2")); // a new version, now of p2, and newest
            assertThat(ids(postSearch("Consent", "patient=p1"))).containsExactly("c");
            assertThat(ids(postSearch("Consent", "patient=p2"))).containsExactly("b", "a");

            ehr.delete("Consent", "c");
            assertThat(ids(postSearch("Consent", "_id=c,a"))).containsExactly("a");

            ehr.store(consent("d", "p1"));
            assertThat(ids(postSearch("Consent", "patient=p1"))).containsExactly("d");
            assertThat(ids(postSearch("Consent", "patient=p2&_id=a,d"))).containsExactly("a");
        }

        @Test
        void shouldFindAnAppointmentOfTwoPatientsBySearchingForEither() throws Exception {
            Appointment group = IpsFixtures.conference("group-1", "p1", T0, T0.plusSeconds(3600));
            group.addParticipant().setActor(new Reference("Patient/p2"));
            ehr.store(group);

            assertThat(ids(postSearch("Appointment", "patient=p2"))).containsExactly("group-1");
            assertThat(ids(postSearch("Appointment", "patient=p1,p2"))).containsExactly("group-1");
        }

        @Test
        void shouldReturnOnlyTheElementsAskedForWithIdMetaAndTheSubsettedTag() throws Exception {
            ehr.store(consent("a", "p1"));

            Consent subset = (Consent) get("/Consent?_elements=patient,noSuchElement").getEntryFirstRep().getResource();
            Consent whole = (Consent) get("/Consent").getEntryFirstRep().getResource();

            assertThat(subset.getPatient().getReference()).isEqualTo("Patient/p1");
            assertThat(subset.getIdElement().getIdPart()).isEqualTo("a");
            assertThat(subset.getMeta().getVersionId()).isEqualTo("1");
            assertThat(subset.getMeta().getLastUpdated()).isEqualTo(whole.getMeta().getLastUpdated());
            assertThat(subset.getMeta().getTag()).extracting(c -> c.getCode()).containsExactly("SUBSETTED");
            assertThat(whole.hasProvision()).isTrue();
            assertThat(subset.hasProvision()).isFalse();
            assertThat(subset.hasStatus()).isFalse();
        }

        @Test
        void shouldFilterByIdStatusAndSortNewestFirstOnRequest() throws Exception {
            ehr.store(consent("a", "p1"), consent("b", "p1"),
                    IpsFixtures.consent("c", "p1").status(Consent.ConsentState.INACTIVE).build());

            assertThat(ids(get("/Consent?_id=a,c"))).containsExactly("a", "c");
            assertThat(ids(get("/Consent?status=active"))).containsExactly("a", "b");
            assertThat(ids(get("/Consent?_sort=-_lastUpdated"))).containsExactly("c", "b", "a");
            assertThat(ids(get("/Consent?unknownParameter=1"))).hasSize(3);
        }

        @Test
        void shouldDefaultToTwentyPerPageAndCapAtFiveHundred() throws Exception {
            List<Resource> many = new ArrayList<>();
            for (int i = 0; i < 510; i++) {
                many.add(consent(String.format("k%03d", i), "p1"));
            }
            ehr.store(many);
            assertThat(get("/Consent").getEntry()).hasSize(20);
            Bundle capped = get("/Consent?_count=1000");
            assertThat(capped.getEntry()).hasSize(500);
            assertThat(capped.getTotal()).isEqualTo(510);
        }

        @Test
        void shouldAnswer400ForAnInvalidLastUpdated() throws Exception {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl()
                    + "/Consent?_lastUpdated=gtyesterday")).build());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(FHIR.newJsonParser().parseResource(response.body())).isInstanceOf(OperationOutcome.class);
        }
    }

    @Nested
    class Read {

        @Test
        void shouldReadAResourceAVersionAndAnswer404WithAnOperationOutcomeOtherwise() throws Exception {
            ehr.store(IpsFixtures.patient("pt-1", "0101901234", "Test", "Person"));
            ehr.store(IpsFixtures.patient("pt-1", "0101901234", "Test", "Persson"));

            HttpResponse<String> current = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Patient/pt-1")).build());
            assertThat(current.statusCode()).isEqualTo(200);
            assertThat(current.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("application/fhir+json"));
            assertThat(current.headers().firstValue("ETag")).hasValue("W/\"2\"");
            Patient patient = (Patient) FHIR.newJsonParser().parseResource(current.body());
            assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Persson");

            HttpResponse<String> first = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl()
                    + "/Patient/pt-1/_history/1")).build());
            assertThat(((Patient) FHIR.newJsonParser().parseResource(first.body())).getNameFirstRep().getFamily())
                    .isEqualTo("Person");

            HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Patient/nope")).build());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(FHIR.newJsonParser().parseResource(missing.body())).isInstanceOf(OperationOutcome.class);
        }

        @Test
        void shouldAnswer410ForADeletedResourceAndLeaveItOutOfSearches() throws Exception {
            ehr.store(consent("k1", "p1"), consent("k2", "p1"));
            ehr.delete("Consent", "k1");

            assertThat(send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Consent/k1")).build()).statusCode())
                    .isEqualTo(410);
            assertThat(ids(get("/Consent"))).containsExactly("k2");
            assertThat(ehr.resources(Consent.class)).extracting(c -> c.getIdElement().getIdPart()).containsExactly("k2");
        }

        @Test
        void shouldCreateConditionallyWithoutDuplicates() throws Exception {
            Observation obs = new Observation();
            obs.setStatus(Observation.ObservationStatus.FINAL);
            obs.addIdentifier(new Identifier().setSystem("http://ipsbridge.dk/fhir/sid/jobcenter-event").setValue("e-1"));
            String body = FHIR.newJsonParser().encodeResourceToString(obs);
            HttpRequest create = HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Observation"))
                    .header("Content-Type", "application/fhir+json")
                    .header("If-None-Exist", "identifier=http://ipsbridge.dk/fhir/sid/jobcenter-event|e-1")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();

            assertThat(send(create).statusCode()).isEqualTo(201);
            assertThat(send(create).statusCode()).isEqualTo(200);
            assertThat(ehr.resources("Observation")).hasSize(1);
        }
    }

    @Nested
    class FaultInjection {

        @Test
        void shouldAnswerTheConfiguredStatusWithRetryAfterUntilCleared() throws Exception {
            ehr.store(consent("k1", "p1"));
            ehr.failWith("Consent", 503);

            HttpResponse<String> failed = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Consent")).build());
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Patient")).build()).statusCode())
                    .isEqualTo(200);

            ehr.clearFaults();
            assertThat(ids(get("/Consent"))).containsExactly("k1");
        }

        @Test
        void shouldFailOnlyTheNextRequestsWhenLimited() throws Exception {
            ehr.failNext(MockEhr.ANY_TYPE, 500, 2);
            URI uri = URI.create(ehr.baseUrl() + "/Consent");
            assertThat(send(HttpRequest.newBuilder(uri).build()).statusCode()).isEqualTo(500);
            assertThat(send(HttpRequest.newBuilder(uri).build()).statusCode()).isEqualTo(500);
            assertThat(send(HttpRequest.newBuilder(uri).build()).statusCode()).isEqualTo(200);
        }

        @Test
        void shouldAnswer429WithTheRetryAfterGiven() throws Exception {
            ehr.failWith("Patient", 429, 7);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Patient/x")).build());
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        }

        @Test
        void shouldFailThePagesOfASearchStartedBeforeTheFault() throws Exception {
            for (int i = 0; i < 4; i++) {
                ehr.store(consent("k" + i, "p1"));
            }
            Bundle first = get("/Consent?_count=2");
            ehr.failWith("Consent", 500);
            HttpResponse<String> next = send(HttpRequest.newBuilder(URI.create(first.getLink("next").getUrl())).build());
            assertThat(next.statusCode()).isEqualTo(500);
        }

        @Test
        void shouldAnswer200WithABodyThatIsNotFhirWhenMalformed() throws Exception {
            ehr.store(consent("k1", "p1"));
            ehr.malformedBody("Consent");
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Consent")).build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> FHIR.newJsonParser().parseResource(r.body())).isInstanceOf(RuntimeException.class);
        }

        @Test
        void shouldResetTheConnectionOfTheNextRequestsOnTheTypeOnly() {
            ehr.store(consent("k1", "p1"));
            ehr.failNext("Consent", InjectedFault.connectionReset(), 1);
            EhrHttp fresh = new EhrHttp(ehr);

            assertThatThrownBy(() -> fresh.get("/Consent")).hasCauseInstanceOf(IOException.class);
            assertThat(fresh.get("/Consent").status()).isEqualTo(200);
            ehr.wireMock().verify(2, WireMock.getRequestedFor(WireMock.urlEqualTo("/fhir/Consent")));
        }

        @Test
        void shouldFailTransactionsAndTheSystemHistoryWithAFaultForEveryType() {
            ehr.failWith(MockEhr.ANY_TYPE, InjectedFault.status(429, 30));
            EhrHttp http = new EhrHttp(ehr);
            EhrHttp.Answer tx = http.post("", new Bundle().setType(Bundle.BundleType.TRANSACTION));
            assertThat(tx.status()).isEqualTo(429);
            assertThat(tx.header("Retry-After")).isEqualTo("30");
            assertThat(http.get("/_history").status()).isEqualTo(429);
            assertThat(http.get("/metadata").status()).as("capabilities never fail").isEqualTo(200);
        }

        @Test
        void shouldAnswerEveryRequestLateUntilCleared() throws Exception {
            // long enough that an answer without it stays below it on a loaded machine (a run saw 0.76 s)
            Duration latency = Duration.ofSeconds(2);
            get("/Consent"); // the first request warms the server up: slow of its own
            ehr.withLatency(latency).failNext("Consent", 503, 1);

            assertThat(timed(() -> send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Consent")).build())))
                    .isGreaterThanOrEqualTo(latency);
            assertThat(timed(() -> get("/Consent"))).isGreaterThanOrEqualTo(latency);
            ehr.clearFaults();
            assertThat(timed(() -> get("/Consent"))).isLessThan(latency);
        }

        @Test
        void shouldRejectAnUnknownResourceType() {
            assertThatThrownBy(() -> ehr.failWith("Consentt", 500)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void shouldAnswerABareStatusWithoutAnyBody() throws Exception {
            ehr.store(consent("k1", "p1"));
            ehr.failNext("Consent", InjectedFault.bareStatus(404), 1);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Consent/k1")).build());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEmpty();
            assertThat(r.headers().firstValue("Content-Type")).isEmpty();
            assertThat(send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Consent/k1")).build()).statusCode())
                    .isEqualTo(200);
        }
    }

    /** C12: some real servers ignore a search parameter they do not support and answer as if it were not there. */
    @Nested
    class LenientSearch {

        @Test
        void shouldReturnEveryPatientsResourcesWhenThePatientParameterIsIgnored() throws Exception {
            ehr.store(consent("k1", "p1"), consent("k2", "p2"));
            ehr.ignoreSearchParameter("patient");

            assertThat(ids(get("/Consent?patient=Patient/p1"))).containsExactly("k1", "k2");
            assertThat(ids(postSearch("Consent", "patient=p1"))).containsExactly("k1", "k2");
            assertThat(ids(get("/Consent?patient:Patient=p1"))).as("with a modifier").containsExactly("k1", "k2");
            assertThat(ids(get("/Consent?subject=Patient/p1"))).as("subject is still honoured").containsExactly("k1");
        }

        @Test
        void shouldIgnoreTheParameterOnlyForTheTypeGivenAndKeepTheOtherParameters() throws Exception {
            ehr.store(consent("k1", "p1"), consent("k2", "p2"),
                    IpsFixtures.employmentGoal("g1", "p1", "a job"), IpsFixtures.employmentGoal("g2", "p2", "a job"));
            ehr.ignoreSearchParameter("Goal", "subject");

            assertThat(ids(get("/Goal?subject=Patient/p1"))).containsExactly("g1", "g2");
            assertThat(ids(get("/Goal?subject=Patient/p1&_id=g2"))).containsExactly("g2");
            assertThat(ids(get("/Consent?subject=Patient/p1"))).containsExactly("k1");
        }

        @Test
        void shouldIgnoreItInTheGetEntriesOfABatchButNotInAConditionalCreate() {
            ehr.store(consent("k1", "p1"), consent("k2", "p2"));
            ehr.ignoreSearchParameter("patient");
            Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
            batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Consent?patient=Patient/p1");
            Bundle answer = new EhrHttp(ehr).post("", batch).body(Bundle.class);
            assertThat(((Bundle) answer.getEntryFirstRep().getResource()).getEntry()).hasSize(2);

            Consent third = consent("k3", "p3");
            third.setId((String) null);
            EhrHttp.Answer created = new EhrHttp(ehr).post("/Consent", third, "If-None-Exist", "patient=Patient/p3");
            assertThat(created.status()).isEqualTo(201);
        }

        @Test
        void shouldHonourTheParameterAgainWhenFaultsAreCleared() throws Exception {
            ehr.store(consent("k1", "p1"), consent("k2", "p2"));
            ehr.ignoreSearchParameter("patient");
            ehr.clearFaults();
            assertThat(ids(get("/Consent?patient=Patient/p1"))).containsExactly("k1");
        }

        @Test
        void shouldRefuseANameWithAModifierOrAnUnknownType() {
            assertThatThrownBy(() -> ehr.ignoreSearchParameter("patient:Patient"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ehr.ignoreSearchParameter("Consentt", "patient"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Hostile answers to polls (GET searches) only; searches by patient (POST) are answered from the store. */
    @Nested
    class HostilePolls {

        @Test
        void shouldAnswerAPollWithTheBodyGivenAndASearchByPatientAsUsual() throws Exception {
            ehr.store(consent("k1", "p1"));
            ehr.pollAnswers("Consent", "application/fhir+xml", "<Bundle/>");

            HttpResponse<String> poll = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/Consent?_count=5"))
                    .build());
            assertThat(poll.headers().firstValue("Content-Type")).hasValue("application/fhir+xml");
            assertThat(poll.body()).isEqualTo("<Bundle/>");
            assertThat(ids(postSearch("Consent", "patient=Patient/p1"))).containsExactly("k1");
        }

        @Test
        void shouldPageAPollToItselfInALoop() throws Exception {
            ehr.store(consent("k1", "p1"));
            ehr.pollPagingLoop("Consent");

            String url = ehr.baseUrl() + "/Consent?_count=5";
            Bundle page = get("/Consent?_count=5");
            assertThat(ids(page)).containsExactly("k1");
            assertThat(page.getLink("next").getUrl()).isEqualTo(url);
            assertThat(getAbsolute(url).getLink("next").getUrl()).isEqualTo(url);
        }

        @Test
        void shouldAnswerEveryMatchOnTwoPages() throws Exception {
            ehr.store(consent("k1", "p1"), consent("k2", "p2"));
            ehr.pollRepeatsPages("Consent");

            Bundle first = get("/Consent?_count=5");
            Bundle second = getAbsolute(first.getLink("next").getUrl());
            assertThat(ids(first)).containsExactly("k1", "k2");
            assertThat(ids(second)).containsExactly("k1", "k2");
            assertThat(second.getLink("next")).isNull();
            ehr.clearFaults();
            assertThat(get("/Consent?_count=5").getLink("next")).isNull();
        }
    }

    private static Duration timed(Callable<?> call) throws Exception {
        long start = System.nanoTime();
        call.call();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Consent consent(String id, String patientId) {
        return IpsFixtures.consent(id, patientId).recipient("Organization/jc-a").categories("contact")
                .givenAt(T0).build();
    }

    private Bundle get(String pathAndQuery) throws Exception {
        return getAbsolute(ehr.baseUrl() + pathAndQuery);
    }

    private Bundle getAbsolute(String url) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json").build());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return (Bundle) FHIR.newJsonParser().parseResource(response.body());
    }

    private Bundle postSearch(String type, String form) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(ehr.baseUrl() + "/" + type + "/_search"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = (Bundle) FHIR.newJsonParser().parseResource(response.body());
        assertThat(bundle.getEntry()).allSatisfy(e -> {
            assertThat(e.getFullUrl()).startsWith(ehr.baseUrl() + "/" + type + "/");
            assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
        });
        return bundle;
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(Bundle bundle) {
        Set<String> unique = new HashSet<>();
        List<String> ids = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            String id = e.getResource().getIdElement().getIdPart();
            assertThat(unique.add(id)).as("duplicate %s", id).isTrue();
            ids.add(id);
        }
        return ids;
    }
}
