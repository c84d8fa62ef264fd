package dk.ipsbridge.flow;

import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_A_ORGANIZATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

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
 */
class OutcomeWriteBackIT {

    private static final String COLLECT_CPR = "0404904004";
    private static final String DISCLOSE_ONLY_CPR = "0505905005";

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
        storePatient("collects", COLLECT_CPR, "disclose", "collect");
        storePatient("discloses", DISCLOSE_ONLY_CPR, "disclose");
        adapter = Adapter.start(TestDatabases.h2Url(), ehr, jobcenter, other, null,
                "ips.operations.outcome-interval=300ms");
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.cases().size() == 2);
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
            assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo(collected);
            assertThat(o.getSubject().getReference()).endsWith("Patient/collects");
            assertThat(o.getCode().getCodingFirstRep().getCode()).isEqualTo("67875-5");
        });
        assertThat(written).noneMatch(o -> o.getIdentifierFirstRep().getValue().equals(notCollected));
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

    private void storePatient(String id, String cpr, String... actions) {
        ehr.store(IpsFixtures.patient(id, cpr, "Test", "Testesen"),
                IpsFixtures.consent(id + "-consent", id).givenAt(Instant.now().minus(Duration.ofDays(10)))
                        .recipient("Organization/" + JOBCENTER_A_ORGANIZATION).actions(actions)
                        .categories("contact", "outcomes").build(),
                IpsFixtures.referral(id + "-referral", id, "psy", JOBCENTER_A_ORGANIZATION,
                        LocalDate.now().minusDays(20), ServiceRequest.ServiceRequestStatus.ACTIVE),
                IpsFixtures.careTeam(id + "-team", id, "Practitioner/consultant", JOBCENTER_A_ORGANIZATION, null));
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
