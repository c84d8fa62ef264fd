package dk.ipsbridge.flow;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_A_ORGANIZATION;
import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_B_ORGANIZATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Employment outcomes travel back: from the jobcenter's feed into the EHR as Observations, only under a consent that
 * permits collect, exactly once even when the feed repeats itself, and never for a case or CPR that does not match.
 * Event ids are scoped per jobcenter (C16); one that breaks the contract's pattern is a failed record that never
 * repeats it and never holds up the feed; a retraction marks the Observation it takes back entered-in-error.
 */
class OutcomeWriteBackIT {

    private static final String COLLECT_CPR = "0404904004";
    private static final String DISCLOSE_ONLY_CPR = "0505905005";
    private static final String COLLECT_AT_B_CPR = "0606906006";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockEhr ehr;
    private MockJobcenter jobcenter;
    private MockJobcenter other;
    private ConfigurableApplicationContext adapter;

    @BeforeEach
    void start() {
        ehr = new MockEhr();
        jobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
        other = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME);
        MinimalRegion.storeInto(ehr);
        ehr.store(IpsFixtures.organization(JOBCENTER_B_ORGANIZATION, SyntheticCohort.JOBCENTER_B_SYSTEM,
                        SyntheticCohort.JOBCENTER_B_VALUE, SyntheticCohort.JOBCENTER_B_NAME),
                IpsFixtures.practitioner("consultant-b", "Bo", "Konsulentsen"));
        storePatient("collects", COLLECT_CPR, JOBCENTER_A_ORGANIZATION, "consultant", "disclose", "collect");
        storePatient("discloses", DISCLOSE_ONLY_CPR, JOBCENTER_A_ORGANIZATION, "consultant", "disclose");
        storePatient("collectsatb", COLLECT_AT_B_CPR, JOBCENTER_B_ORGANIZATION, "consultant-b", "disclose", "collect");
        adapter = Adapter.start(TestDatabases.h2Url(), ehr, jobcenter, other, null,
                "ips.operations.outcome-interval=300ms");
        // generous: on a loaded machine the first start alone may take a minute
        await().atMost(Duration.ofSeconds(90)).until(() -> jobcenter.cases().size() == 2 && other.cases().size() == 1);
    }

    @AfterEach
    void stop() {
        adapter.close();
        ehr.close();
        jobcenter.close();
        other.close();
    }

    @Test
    void shouldWriteConsentedOutcomesOnceAndHoldTheRest() {
        String collectCase = caseOf(COLLECT_CPR);
        String discloseCase = caseOf(DISCLOSE_ONLY_CPR);
        String collected = jobcenter.addOutcome(collectCase, COLLECT_CPR, "job-started", LocalDate.now());
        String notCollected = jobcenter.addOutcome(discloseCase, DISCLOSE_ONLY_CPR, "job-started", LocalDate.now());
        jobcenter.addOutcome("ips-nosuchcaseatall", COLLECT_CPR, "job-ended", LocalDate.now());
        jobcenter.addOutcome(collectCase, DISCLOSE_ONLY_CPR, "job-ended", LocalDate.now());

        await().atMost(Duration.ofSeconds(30)).until(() -> decisions("collects").stream()
                .anyMatch(d -> Decision.COLLECTED.equals(d.outcome()))
                && decisions("discloses").stream().anyMatch(d -> d.detail() != null && d.detail().contains("outcome"))
                && failedOutcomes().size() == 2);

        List<Observation> written = ehr.resources(Observation.class);
        assertThat(written).singleElement().satisfies(o -> {
            assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo(jobcenter.id() + ":" + collected);
            assertThat(o.getSubject().getReference()).endsWith("Patient/collects");
            assertThat(o.getCode().getCodingFirstRep().getCode()).isEqualTo("67875-5");
        });
        assertThat(written).noneMatch(o -> o.getIdentifierFirstRep().getValue().endsWith(notCollected));
        assertThat(decisions("discloses")).anySatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(Decision.HELD);
            assertThat(d.reason()).isNotBlank();
        });
        assertThat(failedOutcomes()).extracting(FailedRecords.FailedRecord::reason)
                .containsExactlyInAnyOrder("unknown-case", "cpr-mismatch");
        assertThat(failedOutcomes()).allSatisfy(r -> assertThat(r.message()).doesNotContain(COLLECT_CPR)
                .doesNotContain(DISCLOSE_ONLY_CPR));

        // The feed starts over (a lost cursor, a restored jobcenter): nothing is written or recorded twice.
        JdbcClient jdbc = adapter.getBean(JdbcClient.class);
        jdbc.sql("delete from outcome_cursor").update();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "select count(*) from outcome_cursor where jobcenter_id = ?").param(jobcenter.id())
                .query(Integer.class).single() == 1); // the whole feed was read again
        assertThat(ehr.resources(Observation.class)).hasSize(1);
        assertThat(decisions("collects")).filteredOn(d -> Decision.COLLECTED.equals(d.outcome())).hasSize(1);

        // issue 18: what the results count is kept of the collected event only; of the held one nothing
        assertThat(jdbc.sql("select event_id, outcome, event_type, occurred_on from outcome_event where jobcenter_id = ?"
                + " order by event_id").param(jobcenter.id()).query((rs, n) -> rs.getString(1) + " " + rs.getString(2)
                        + " " + rs.getString(3) + " " + rs.getString(4)).list())
                .containsExactlyInAnyOrder(collected + " collected job-started " + LocalDate.now(),
                        notCollected + " held null null");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void shouldNeverLogACprEvenWhenTheJobcenterPutsOneInAnEventId(CapturedOutput output) {
        String hyphenated = COLLECT_CPR.substring(0, 6) + "-" + COLLECT_CPR.substring(6);
        jobcenter.addOutcome("evt-" + hyphenated, caseOf(COLLECT_CPR), COLLECT_CPR, "job-started", LocalDate.now(),
                null);
        jobcenter.addOutcome("evt-" + DISCLOSE_ONLY_CPR, caseOf(DISCLOSE_ONLY_CPR), DISCLOSE_ONLY_CPR, "job-started",
                LocalDate.now(), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> decisions("collects").stream()
                .anyMatch(d -> Decision.COLLECTED.equals(d.outcome())) && decisions("discloses").stream()
                .anyMatch(d -> Decision.HELD.equals(d.outcome()) && d.detail() != null
                        && d.detail().startsWith("outcome event")));
        assertThat(output.getAll()).as("both events were logged").contains("outcome event=evt-")
                .doesNotContain(COLLECT_CPR, hyphenated, DISCLOSE_ONLY_CPR);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void shouldRecordEventsWithHostileIdsAsFailedRecordsWithoutTheIdAndGoOnWithTheFeed(CapturedOutput output) {
        String caseId = caseOf(COLLECT_CPR);
        String tooLong = "e".repeat(65);
        List<String> hostile = List.of("evt-crlf\r\nX-Injected: 1", "evt-amp&identifier=x", "evt cpr " + COLLECT_CPR,
                tooLong);
        List<ObjectNode> first = new ArrayList<>();
        hostile.forEach(id -> first.add(event(id, caseId, COLLECT_CPR, "job-started")));
        first.add(event("evt-after-1", caseId, COLLECT_CPR, "job-started"));
        serveFeed(jobcenter, List.of(first, List.of(event("evt-after-2", caseId, COLLECT_CPR, "job-ended"))));

        await().atMost(Duration.ofSeconds(20)).until(() -> "page-2".equals(cursor(jobcenter))
                && ehr.resources(Observation.class).size() == 2);

        assertThat(ehr.resources(Observation.class)).extracting(o -> o.getIdentifierFirstRep().getValue())
                .containsExactlyInAnyOrder(jobcenter.id() + ":evt-after-1", jobcenter.id() + ":evt-after-2");
        assertThat(failedOutcomes()).hasSize(hostile.size()).allSatisfy(r -> {
            assertThat(r.reason()).isEqualTo("invalid-outcome");
            assertThat(r.subject()).startsWith("outcome item sha256:");
            for (String text : List.of(r.subject(), r.message())) {
                assertThat(text).doesNotContain("\r", "\n", "&", "identifier=x", "X-Injected", COLLECT_CPR, tooLong,
                        "evt-crlf", "evt-amp", "evt cpr");
            }
        }).extracting(FailedRecords.FailedRecord::subject).doesNotHaveDuplicates();
        assertThat(output.getAll()).contains("is not a valid outcome event").doesNotContain("identifier=x",
                "X-Injected", COLLECT_CPR, tooLong, "evt-crlf", "evt-amp", "evt cpr");
        // the conditional create's criteria went URL-encoded: one identifier parameter, whatever the value holds
        List<LoggedRequest> creates = ehr.wireMock().findAll(postRequestedFor(urlPathMatching(".*/Observation")));
        assertThat(creates).hasSize(2).allSatisfy(r -> assertThat(r.getHeader("If-None-Exist"))
                .startsWith("identifier=http%3A%2F%2Fipsbridge.dk%2Ffhir%2Fsid%2Fjobcenter-event%7C"
                        + jobcenter.id() + "%3Aevt-after-"));
    }

    @Test
    void shouldKeepTheSameEventIdOfTwoJobcentersApartAndWriteEachOnce() {
        serveFeed(jobcenter, List.of(List.of(event("evt-same", caseOf(COLLECT_CPR), COLLECT_CPR, "job-started"))));
        String caseAtB = other.caseFor(COLLECT_AT_B_CPR).orElseThrow().path("caseId").asText();
        serveFeed(other, List.of(List.of(event("evt-same", caseAtB, COLLECT_AT_B_CPR, "education-started"))));

        await().atMost(Duration.ofSeconds(20)).until(() -> handledEvents() == 2);

        assertThat(ehr.resources(Observation.class)).extracting(o -> o.getIdentifierFirstRep().getValue(),
                o -> o.getSubject().getReference()).containsExactlyInAnyOrder(
                        tuple(jobcenter.id() + ":evt-same", "Patient/collects"),
                        tuple(other.id() + ":evt-same", "Patient/collectsatb"));

        // Both events handled anew, as after a lost database: each conditional create finds its own Observation.
        JdbcClient jdbc = adapter.getBean(JdbcClient.class);
        jdbc.sql("delete from outcome_event").update();
        jdbc.sql("delete from outcome_cursor").update();
        await().atMost(Duration.ofSeconds(20)).until(() -> handledEvents() == 2);
        assertThat(ehr.resources(Observation.class)).hasSize(2);
    }

    @Test
    void shouldMarkARetractedOutcomeEnteredInErrorAndNeverWriteOneRetractedBeforeItCame() {
        String caseId = caseOf(COLLECT_CPR);
        String caseAtB = other.caseFor(COLLECT_AT_B_CPR).orElseThrow().path("caseId").asText();
        serveFeed(jobcenter, List.of(
                List.of(event("evt-r1", caseId, COLLECT_CPR, "job-started"),
                        event("evt-r2", caseId, COLLECT_CPR, "job-ended")),
                List.of(retraction("evt-r3", caseId, COLLECT_CPR, "evt-r1"),
                        retraction("evt-r4", caseId, COLLECT_CPR, "evt-r5"),
                        event("evt-r5", caseId, COLLECT_CPR, "education-started"))));
        // another jobcenter's event of the same id is another event: B cannot retract A's evt-r2
        serveFeed(other, List.of(List.of(retraction("evt-rb", caseAtB, COLLECT_AT_B_CPR, "evt-r2"))));

        await().atMost(Duration.ofSeconds(20)).until(() -> "page-2".equals(cursor(jobcenter))
                && "page-1".equals(cursor(other)));

        assertThat(ehr.resources(Observation.class)).extracting(o -> o.getIdentifierFirstRep().getValue(),
                Observation::getStatus).containsExactlyInAnyOrder(
                        tuple(jobcenter.id() + ":evt-r1", Observation.ObservationStatus.ENTEREDINERROR),
                        tuple(jobcenter.id() + ":evt-r2", Observation.ObservationStatus.FINAL));
        assertThat(failedOutcomes()).isEmpty();
    }

    /**
     * The jobcenter's feed answers these pages instead of its own: page n is read after the cursor {@code page-n},
     * the first after any other cursor (the adapter has read the mock's empty feed by now), and the last cursor
     * answers no more items. The mock's own outcomes follow the contract 1.0 schema, which knows neither
     * {@code retracted} nor the eventId pattern.
     */
    private static void serveFeed(MockJobcenter to, List<List<ObjectNode>> pages) {
        for (int n = 0; n <= pages.size(); n++) {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("items").addAll(n < pages.size() ? pages.get(n) : List.of());
            body.put("nextCursor", "page-" + Math.min(n + 1, pages.size()));
            MappingBuilder page = get(urlPathEqualTo(MockJobcenter.BASE_PATH + "/outcomes"));
            to.wireMock().stubFor((n == 0 ? page.atPriority(2) : page.withQueryParam("after", equalTo("page-" + n))
                    .atPriority(1)).willReturn(okJson(body.toString())));
        }
    }

    private static ObjectNode event(String eventId, String caseId, String cpr, String type) {
        return JSON.createObjectNode().put("eventId", eventId).put("caseId", caseId).put("cpr", cpr).put("type", type)
                .put("occurredOn", LocalDate.now().toString());
    }

    private static ObjectNode retraction(String eventId, String caseId, String cpr, String retracts) {
        return event(eventId, caseId, cpr, "retracted").put("retractsEventId", retracts);
    }

    private String cursor(MockJobcenter of) {
        return adapter.getBean(JdbcClient.class).sql("select feed_cursor from outcome_cursor where jobcenter_id = ?")
                .param(of.id()).query(String.class).optional().orElse(null);
    }

    private int handledEvents() {
        return adapter.getBean(JdbcClient.class).sql("select count(*) from outcome_event").query(Integer.class)
                .single();
    }

    private void storePatient(String id, String cpr, String jobcenterOrganization, String consultant,
            String... actions) {
        ehr.store(IpsFixtures.patient(id, cpr, "Test", "Testesen"),
                IpsFixtures.consent(id + "-consent", id).givenAt(Instant.now().minus(Duration.ofDays(10)))
                        .recipient("Organization/" + jobcenterOrganization).actions(actions)
                        .categories("contact", "outcomes").build(),
                IpsFixtures.referral(id + "-referral", id, "psy", jobcenterOrganization,
                        LocalDate.now().minusDays(20), ServiceRequest.ServiceRequestStatus.ACTIVE),
                IpsFixtures.careTeam(id + "-team", id, "Practitioner/" + consultant, jobcenterOrganization, null));
    }

    private String caseOf(String cpr) {
        return jobcenter.caseFor(cpr).orElseThrow().path("caseId").asText();
    }

    private List<Decision> decisions(String patientId) {
        return adapter.getBean(DecisionLog.class).forPatient("ehr", "Patient/" + patientId);
    }

    private List<FailedRecords.FailedRecord> failedOutcomes() {
        return adapter.getBean(FailedRecords.class).open().stream()
                .filter(r -> FailedRecords.OUTCOME.equals(r.stage())).toList();
    }
}
