package dk.ipsbridge.testkit.jobcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.testkit.fault.InjectedFault;
import dk.ipsbridge.testkit.fhir.IpsContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MockJobcenterTest {

    private static final String CPR = "0101901234";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private MockJobcenter jobcenter;

    @BeforeEach
    void start() {
        jobcenter = new MockJobcenter("jobcenter-a", "Jobcenter Aarhus");
    }

    @AfterEach
    void stop() {
        jobcenter.close();
    }

    @Nested
    class Revisions {

        @Test
        void shouldCreateANewCaseWith201() throws Exception {
            HttpResponse<String> r = put("c-1", record("c-1", 1, "contact"));
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(json.readTree(r.body()).get("revision").asInt()).isEqualTo(1);
            assertThat(jobcenter.cases()).containsOnlyKeys("c-1");
            assertThat(jobcenter.caseFor(CPR)).isPresent();
        }

        @Test
        void shouldStoreAHigherRevisionWith200() throws Exception {
            put("c-1", record("c-1", 1, "contact"));
            HttpResponse<String> r = put("c-1", record("c-1", 2, "referral"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(jobcenter.revisions("c-1")).containsExactly(1, 2);
            assertThat(jobcenter.categoriesReceived("c-1")).containsExactlyInAnyOrder("identity", "referral");
        }

        @Test
        void shouldAnswerAnEqualRevisionWith200AndTheStoredRecordWithoutApplyingIt() throws Exception {
            put("c-1", record("c-1", 3, "contact"));
            HttpResponse<String> r = put("c-1", record("c-1", 3, "referral"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json.readTree(r.body()).path("citizen").has("phone")).isTrue();
            assertThat(jobcenter.categoriesReceived("c-1")).containsExactlyInAnyOrder("identity", "contact");
            assertThat(jobcenter.revisions("c-1")).containsExactly(3);
        }

        @Test
        void shouldRejectALowerRevisionWith409AndTheCurrentRevision() throws Exception {
            put("c-1", record("c-1", 5, "contact"));
            HttpResponse<String> r = put("c-1", record("c-1", 4, "contact"));
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(r.body()).get("currentRevision").asInt()).isEqualTo(5);
        }

        @Test
        void shouldOpenAWithdrawnCaseAgainOnlyWithAHigherRevision() throws Exception {
            put("c-1", record("c-1", 2, "contact"));
            withdraw("c-1", "{\"reason\":\"consent-withdrawn\",\"effectiveAt\":\"2026-03-01T10:00:00Z\"}");

            assertThat(put("c-1", record("c-1", 2, "contact")).statusCode()).isEqualTo(409);
            assertThat(get("c-1").statusCode()).isEqualTo(410);

            assertThat(put("c-1", record("c-1", 3, "contact")).statusCode()).isEqualTo(201);
            assertThat(get("c-1").statusCode()).isEqualTo(200);
            assertThat(jobcenter.withdrawals()).isEmpty();
        }
    }

    @Nested
    class Contract11Records {

        @Test
        void shouldAcceptACitizenWithoutGivenName() throws Exception {
            String singleName = record("c-1", 1, "contact").replace("\"givenName\":\"Test\",", "");
            assertThat(put("c-1", singleName).statusCode()).isEqualTo(201);
            assertThat(jobcenter.cases().get("c-1").path("citizen").has("givenName")).isFalse();
        }

        @Test
        void shouldAcceptAProgrammeAndRejectAnUnknownOne() throws Exception {
            String general = record("c-1", 1, "referral").replace("\"referredOn\":\"2026-01-05\"",
                    "\"referredOn\":\"2026-01-05\",\"programme\":\"ips-ptsd\"");
            assertThat(put("c-1", general).statusCode()).isEqualTo(201);
            assertThat(put("c-2", general.replace("c-1", "c-2").replace("ips-ptsd", "ips-other")).statusCode())
                    .isEqualTo(400);
        }

        @Test
        void shouldKeepAnEndedCaseAndTakeAHigherRevisionAsAnUpdate() throws Exception {
            put("c-1", record("c-1", 1, "contact"));
            HttpResponse<String> ended = put("c-1", record("c-1", 2, "contact").replace("\"active\"", "\"ended\""));
            assertThat(ended.statusCode()).isEqualTo(200);
            assertThat(get("c-1").statusCode()).isEqualTo(200);
            assertThat(jobcenter.cases().get("c-1").get("status").asText()).isEqualTo("ended");
            assertThat(jobcenter.withdrawals()).isEmpty();

            // a new course begins: the sender sends again with a higher revision; the case was held, so 200
            assertThat(put("c-1", record("c-1", 3, "contact")).statusCode()).isEqualTo(200);
            assertThat(jobcenter.statuses("c-1")).containsExactly("active", "ended", "active");
            assertThat(jobcenter.revisions("c-1")).containsExactly(1, 2, 3);
        }

        @Test
        void shouldReopenAWithdrawnCaseWith201AndTheRecordAsSent() throws Exception {
            put("c-1", record("c-1", 4, "contact"));
            withdraw("c-1", "{\"reason\":\"referral-ended\",\"effectiveAt\":\"2026-03-01T10:00:00Z\"}");

            HttpResponse<String> reopened = put("c-1", record("c-1", 5, "referral"));
            assertThat(reopened.statusCode()).isEqualTo(201);
            assertThat(json.readTree(reopened.body())).isEqualTo(json.readTree(record("c-1", 5, "referral")));
            assertThat(jobcenter.categoriesReceived("c-1")).containsExactlyInAnyOrder("identity", "referral");
            assertThat(jobcenter.revisions("c-1")).containsExactly(4, 5);
        }

        @Test
        void shouldGiveTheRevisionInQuotesAsETagOnGet() throws Exception {
            put("c-1", record("c-1", 3, "contact"));
            HttpResponse<String> r = get("c-1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("ETag")).hasValue("\"3\"");
            assertThat(json.readTree(r.body()).get("revision").asInt()).isEqualTo(3);
        }

        @Test
        void shouldAnswerAGetOfAnUnknownCaseWithTheUnknownCaseProblem() throws Exception {
            HttpResponse<String> r = get("c-404");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(r.body()).get("type").asText()).isEqualTo(IpsContract.UNKNOWN_CASE_PROBLEM);
        }

        @Test
        void shouldAcceptTheOutcomeEventsOf11AndRetractOne() throws Exception {
            ObjectNode started = json.createObjectNode().put("eventId", "jc-a:17").put("caseId", "c-1")
                    .put("cpr", CPR).put("type", "job-started").put("occurredOn", "2026-02-01")
                    .put("employmentTerms", "subsidised").put("hoursPerWeek", 15);
            jobcenter.addOutcome(started);
            jobcenter.addOutcome("jc-a:18", "c-1", CPR, "internship-started", LocalDate.of(2026, 2, 2), null);
            String retraction = jobcenter.retractOutcome("jc-a:17", LocalDate.of(2026, 2, 3));

            JsonNode items = outcomes(null, 10).get("items");
            assertThat(items).hasSize(3);
            assertThat(items.get(2).get("eventId").asText()).isEqualTo(retraction);
            assertThat(items.get(2).get("type").asText()).isEqualTo("retracted");
            assertThat(items.get(2).get("retractsEventId").asText()).isEqualTo("jc-a:17");
            assertThat(items.get(2).get("caseId").asText()).isEqualTo("c-1");
            assertThatThrownBy(() -> jobcenter.retractOutcome("jc-a:99", LocalDate.of(2026, 2, 3)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void shouldRejectAnEventIdOutsideThePattern() {
            assertThatThrownBy(() -> jobcenter.addOutcome("event 1", "c-1", CPR, "job-started",
                    LocalDate.of(2026, 2, 1), null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class UnknownCases {

        private static final String WITHDRAWAL =
                "{\"reason\":\"consent-withdrawn\",\"effectiveAt\":\"2026-03-01T10:00:00Z\"}";

        @Test
        void shouldAnswerAWithdrawalOfACaseItDoesNotHoldWithTheUnknownCaseProblem() throws Exception {
            put("c-1", record("c-1", 1, "contact"));
            jobcenter.forget("c-1");

            HttpResponse<String> r = withdraw("c-1", WITHDRAWAL);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = json.readTree(r.body());
            assertThat(problem.get("type").asText()).isEqualTo("https://ipsbridge.dk/problems/unknown-case");
            assertThat(problem.get("status").asInt()).isEqualTo(404);
            assertThat(CaseApiSchema.problems("Problem", problem)).isEmpty();
        }

        @Test
        void shouldAnswerABare404InTheBareMode() throws Exception {
            jobcenter.unknownCaseAnswer(MockJobcenter.UnknownCaseAnswer.BARE);
            put("c-1", record("c-1", 1, "contact"));

            HttpResponse<String> unknown = withdraw("c-2", WITHDRAWAL);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).isEmpty();
            assertThat(unknown.headers().firstValue("Content-Type")).isEmpty();
            assertThat(get("c-2").body()).isEmpty();
            assertThat(withdraw("c-1", WITHDRAWAL).statusCode()).as("a case it holds").isEqualTo(202);
        }

        @Test
        void shouldAnswerA404OfAnotherTypeInTheUntypedMode() throws Exception {
            jobcenter.unknownCaseAnswer(MockJobcenter.UnknownCaseAnswer.UNTYPED_PROBLEM);
            HttpResponse<String> r = withdraw("c-2", WITHDRAWAL);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(json.readTree(r.body()).get("type").asText()).isEqualTo("about:blank");
        }

        @Test
        void shouldGoBackToTheContractWhenFaultsAreCleared() throws Exception {
            jobcenter.unknownCaseAnswer(MockJobcenter.UnknownCaseAnswer.BARE);
            jobcenter.clearFaults();
            assertThat(json.readTree(withdraw("c-2", WITHDRAWAL).body()).get("type").asText())
                    .isEqualTo(IpsContract.UNKNOWN_CASE_PROBLEM);
        }

        @Test
        void shouldAnswerABare404ForTheNextRequestWhateverItIs() throws Exception {
            put("c-1", record("c-1", 1, "contact"));
            jobcenter.failNext(InjectedFault.bareStatus(404), 1);

            HttpResponse<String> r = withdraw("c-1", WITHDRAWAL);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEmpty();
            assertThat(jobcenter.withdrawals()).as("a faulted request changes nothing").isEmpty();
            assertThat(withdraw("c-1", WITHDRAWAL).statusCode()).isEqualTo(202);
        }
    }

    @Nested
    class Listing {

        private static final String SCHEMA = "/paths/~1cases/get/responses/200/content/application~1json/schema";

        @Test
        void shouldListEveryCaseInCaseIdOrderWithdrawnOnesWithoutStatus() throws Exception {
            put("c-2", record("c-2", 2, "contact"));
            put("c-1", record("c-1", 1, "contact").replace("\"active\"", "\"referred\""));
            put("c-3", record("c-3", 7, "contact"));
            withdraw("c-3", "{\"reason\":\"consent-withdrawn\",\"effectiveAt\":\"2026-03-01T10:00:00Z\"}");

            JsonNode page = list("");
            assertThat(CaseApiSchema.problemsAt(SCHEMA, page)).isEmpty();
            assertThat(page.get("items")).hasSize(3);
            assertThat(page.get("items").get(0)).isEqualTo(json.readTree(
                    "{\"caseId\":\"c-1\",\"revision\":1,\"status\":\"referred\",\"withdrawn\":false}"));
            assertThat(page.get("items").get(1).get("caseId").asText()).isEqualTo("c-2");
            assertThat(page.get("items").get(2)).isEqualTo(json.readTree(
                    "{\"caseId\":\"c-3\",\"revision\":7,\"withdrawn\":true}"));
            assertThat(page.toString()).doesNotContain(CPR);
        }

        @Test
        void shouldPageWithAfterAndLimit() throws Exception {
            for (String id : List.of("c-1", "c-2", "c-3", "c-4", "c-5")) {
                put(id, record(id, 1, "contact"));
            }
            List<String> seen = new ArrayList<>();
            String after = null;
            while (true) {
                JsonNode items = list("?limit=2" + (after == null ? "" : "&after=" + after)).get("items");
                if (items.isEmpty()) {
                    break;
                }
                items.forEach(i -> seen.add(i.get("caseId").asText()));
                after = items.get(items.size() - 1).get("caseId").asText();
            }
            assertThat(seen).containsExactly("c-1", "c-2", "c-3", "c-4", "c-5");
            assertThat(send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases?limit=1001")).build())
                    .statusCode()).isEqualTo(400);
        }

        @Test
        void shouldSayNotOfferedWith404Or501() throws Exception {
            jobcenter.caseListing(MockJobcenter.CaseListing.NOT_IMPLEMENTED);
            assertThat(send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases")).build()).statusCode())
                    .isEqualTo(501);
            jobcenter.caseListing(MockJobcenter.CaseListing.NOT_FOUND);
            assertThat(send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases")).build()).statusCode())
                    .isEqualTo(404);
            jobcenter.reset();
            assertThat(list("").get("items")).isEmpty();
        }
    }

    @Nested
    class Rejections {

        @Test
        void shouldRejectARecordThatBreaksTheSchemaWith400AndKeepTheRequest() throws Exception {
            ObjectNode bad = (ObjectNode) json.readTree(record("c-1", 1, "contact"));
            bad.put("diagnosisText", "F20");
            HttpResponse<String> r = put("c-1", bad.toString());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(r.body()).get("errors")).isNotEmpty();
            assertThat(jobcenter.cases()).isEmpty();
            assertThat(jobcenter.requests()).extracting(MockJobcenter.ReceivedRequest::method).containsExactly("PUT");
        }

        @Test
        void shouldRejectABadCaseIdAndABodyThatIsNotJson() throws Exception {
            assertThat(put("has%20space", record("has space", 1, "contact")).statusCode()).isEqualTo(400);
            assertThat(put("c-1", "not json").statusCode()).isEqualTo(400);
            assertThat(jobcenter.cases()).isEmpty();
        }

        @Test
        void shouldRejectACaseIdThatDiffersFromThePathWith422() throws Exception {
            HttpResponse<String> r = put("c-2", record("c-1", 1, "contact"));
            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(r.body()).get("status").asInt()).isEqualTo(422);
            assertThat(jobcenter.cases()).isEmpty();
        }

        @Test
        void shouldRejectABodyCaseIdOutsideThePatternWith400BeforeComparingItWithThePath() throws Exception {
            assertThat(put("c-1", record("c 1", 1, "contact")).statusCode()).isEqualTo(400);
        }

        @Test
        void shouldRejectACitizenWithoutFamilyName() throws Exception {
            String noFamily = record("c-1", 1, "contact").replace(",\"familyName\":\"Person\"", "");
            assertThat(put("c-1", noFamily).statusCode()).isEqualTo(400);
        }

        @Test
        void shouldSeeACprInACaseIdAsReceived() throws Exception {
            put(CPR, record(CPR, 1, "contact"));
            put("c-9", record("c-9", 1, "contact").replace(CPR, "0202020202"));
            assertThat(jobcenter.receivedCprs()).containsExactlyInAnyOrder(CPR, "0202020202");
        }
    }

    @Nested
    class Withdrawals {

        @Test
        void shouldEraseTheRecordAndAnswer410WithTheWithdrawal() throws Exception {
            put("c-1", record("c-1", 1, "contact"));
            String body = "{\"reason\":\"consent-expired\",\"effectiveAt\":\"2026-03-01T10:00:00Z\",\"consentId\":\"k1\"}";

            assertThat(withdraw("c-1", body).statusCode()).isEqualTo(202);
            assertThat(withdraw("c-1", body).statusCode()).isEqualTo(202);

            HttpResponse<String> gone = get("c-1");
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(json.readTree(gone.body()).get("reason").asText()).isEqualTo("consent-expired");
            assertThat(jobcenter.cases()).isEmpty();
            assertThat(jobcenter.caseFor(CPR)).isEmpty();
            assertThat(jobcenter.withdrawals()).containsOnlyKeys("c-1");
            assertThat(jobcenter.categoriesReceived("c-1")).isEmpty();
            jobcenter.assertNoRecordFor(CPR);
        }

        @Test
        void shouldRejectAnInvalidWithdrawalAndAnUnknownCase() throws Exception {
            put("c-1", record("c-1", 1, "contact"));
            assertThat(withdraw("c-1", "{\"reason\":\"because\",\"effectiveAt\":\"2026-03-01T10:00:00Z\"}").statusCode())
                    .isEqualTo(400);
            assertThat(withdraw("c-2", "{\"reason\":\"consent-withdrawn\",\"effectiveAt\":\"2026-03-01T10:00:00Z\"}")
                    .statusCode()).isEqualTo(404);
            assertThat(get("c-2").statusCode()).isEqualTo(404);
            assertThat(get("c-1").statusCode()).isEqualTo(200);
        }

        @Test
        void shouldNameTheCaseButNotTheCprWhenARecordIsHeld() throws Exception {
            put("c-7", record("c-7", 1, "contact"));
            assertThatThrownBy(() -> jobcenter.assertNoRecordFor(CPR)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("c-7").hasMessageNotContaining(CPR);
        }
    }

    @Nested
    class Outcomes {

        @Test
        void shouldPageOldestFirstAndKeepTheCursorWhenNothingIsNew() throws Exception {
            for (int i = 1; i <= 5; i++) {
                jobcenter.addOutcome("c-1", CPR, "job-started", LocalDate.of(2026, 2, i));
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            while (true) {
                JsonNode page = outcomes(cursor, 2);
                page.get("items").forEach(i -> seen.add(i.get("occurredOn").asText()));
                String next = page.get("nextCursor").asText();
                if (page.get("items").isEmpty()) {
                    assertThat(next).isEqualTo(cursor);
                    break;
                }
                cursor = next;
            }
            assertThat(seen).containsExactly("2026-02-01", "2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05");

            jobcenter.addOutcome("c-1", CPR, "job-ended", LocalDate.of(2026, 2, 6));
            assertThat(outcomes(cursor, 2).get("items")).hasSize(1);
        }

        @Test
        void shouldRejectAnOutcomeThatBreaksTheSchema() {
            assertThatThrownBy(() -> jobcenter.addOutcome("c-1", "123", "hired", LocalDate.of(2026, 2, 1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void shouldRejectAForeignCursorAndABadLimit() throws Exception {
            assertThat(send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/outcomes?after=zzz")).build())
                    .statusCode()).isEqualTo(400);
            assertThat(send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/outcomes?limit=0")).build())
                    .statusCode()).isEqualTo(400);
        }
    }

    @Nested
    class FaultInjection {

        @Test
        void shouldFailTheNextRequestsWithRetryAfterAndThenServe() throws Exception {
            jobcenter.failNext(503, 2);
            HttpResponse<String> first = put("c-1", record("c-1", 1, "contact"));
            assertThat(first.statusCode()).isEqualTo(503);
            assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(put("c-1", record("c-1", 1, "contact")).statusCode()).isEqualTo(503);
            assertThat(jobcenter.cases()).isEmpty();
            assertThat(put("c-1", record("c-1", 1, "contact")).statusCode()).isEqualTo(201);
            assertThat(jobcenter.requests()).hasSize(3);
        }

        @Test
        void shouldStopFailingWhenCleared() throws Exception {
            jobcenter.failNext(500, 10);
            jobcenter.clearFaults();
            assertThat(put("c-1", record("c-1", 1, "contact")).statusCode()).isEqualTo(201);
        }

        @Test
        void shouldAnswer429WithTheRetryAfterGivenForTheNextRequests() throws Exception {
            jobcenter.failNext(InjectedFault.status(429, 30), 1);
            HttpResponse<String> throttled = put("c-1", record("c-1", 1, "contact"));
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(throttled.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(put("c-1", record("c-1", 1, "contact")).statusCode()).isEqualTo(201);
        }

        @Test
        void shouldAnswerABodyThatIsNotJsonAndStoreNothing() throws Exception {
            jobcenter.failWith(InjectedFault.malformedBody());
            HttpResponse<String> r = put("c-1", record("c-1", 1, "contact"));
            HttpResponse<String> again = get("c-1");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThatThrownBy(() -> json.readTree(r.body())).isInstanceOf(IOException.class);
            assertThat(again.statusCode()).as("until cleared").isEqualTo(200);
            assertThat(jobcenter.cases()).isEmpty();
            jobcenter.clearFaults();
            assertThat(get("c-1").statusCode()).isEqualTo(404);
        }

        @Test
        void shouldResetTheConnectionAndRecordTheRequestWithoutAStatus() throws Exception {
            jobcenter.failNext(InjectedFault.connectionReset(), 1);
            HttpClient fresh = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases/c-1"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(record("c-1", 1, "contact"))).build();

            assertThatThrownBy(() -> fresh.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(jobcenter.cases()).isEmpty();
            assertThat(jobcenter.requests()).singleElement().satisfies(r -> {
                assertThat(r.status()).isZero();
                assertThat(r.accepted()).isFalse();
            });
            assertThat(fresh.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
        }

        @Test
        void shouldAnswerEveryRequestLateUntilCleared() throws Exception {
            // long enough that an answer without it stays below it on a loaded machine (a run saw 0.76 s)
            Duration latency = Duration.ofSeconds(2);
            put("c-0", record("c-0", 1, "contact")); // the first request loads the schema: slow of its own
            jobcenter.withLatency(latency);
            long start = System.nanoTime();
            assertThat(put("c-1", record("c-1", 1, "contact")).statusCode()).isEqualTo(201);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(latency);

            jobcenter.clearFaults();
            start = System.nanoTime();
            get("c-1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(latency);
        }

        @Test
        void shouldForgetEverythingOnReset() throws Exception {
            put("c-1", record("c-1", 1, "contact"));
            jobcenter.addOutcome("c-1", CPR, "job-started", LocalDate.of(2026, 2, 1));
            jobcenter.reset();
            assertThat(jobcenter.cases()).isEmpty();
            assertThat(jobcenter.requests()).isEmpty();
            assertThat(outcomes(null, 10).get("items")).isEmpty();
        }
    }

    /** A valid record with the fields of one extra category. */
    private static String record(String caseId, int revision, String category) {
        String extra = switch (category) {
            case "contact" -> ",\"phone\":\"+45 20 00 00 00\"";
            default -> "";
        };
        String referral = category.equals("referral") ? ",\"referral\":{\"referredOn\":\"2026-01-05\"}" : "";
        return """
                {"caseId":"%s","revision":%d,"region":"DK-82","status":"active",
                 "citizen":{"cpr":"%s","givenName":"Test","familyName":"Person"%s}%s,
                 "consent":{"consentId":"k1","givenOn":"2026-01-02","expiresOn":"2027-01-02","categories":["%s"]}}
                """.formatted(caseId, revision, CPR, extra, referral, category);
    }

    private HttpResponse<String> put(String caseId, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases/" + caseId))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> get(String caseId) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases/" + caseId)).build());
    }

    private HttpResponse<String> withdraw(String caseId, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases/" + caseId + "/withdrawal"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode list(String query) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/cases" + query))
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private JsonNode outcomes(String after, int limit) throws Exception {
        String query = "?limit=" + limit + (after == null ? "" : "&after=" + after);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(jobcenter.baseUrl() + "/outcomes" + query))
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
