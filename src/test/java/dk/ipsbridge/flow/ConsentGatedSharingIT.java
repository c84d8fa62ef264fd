package dk.ipsbridge.flow;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole flow over real HTTP: a mock EHR serves the synthetic cohort, the adapter polls, decides and delivers, and
 * two mock jobcenters receive exactly the consented records with exactly the permitted categories. Then a restart
 * resumes from the cursors (a change made while it was down arrives, nothing else is sent again), and a revoked
 * consent leads to a withdrawal. On the embedded store and on PostgreSQL.
 */
class ConsentGatedSharingIT {

    private final SyntheticCohort cohort = SyntheticCohort.create(Instant.now());
    private MockEhr ehr;
    private MockJobcenter jobcenterA;
    private MockJobcenter jobcenterB;
    private ConfigurableApplicationContext adapter;

    @BeforeEach
    void startSimulators() {
        ehr = new MockEhr();
        jobcenterA = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
        jobcenterB = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME);
        cohort.loadInto(ehr);
    }

    @AfterEach
    void stopAll() {
        if (adapter != null) {
            adapter.close();
        }
        ehr.close();
        jobcenterA.close();
        jobcenterB.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldShareExactlyWhatConsentsAllowResumeAfterRestartAndWithdrawOnRevocation(Kind kind) {
        String db = kind == Kind.H2 ? TestDatabases.h2Url() : TestDatabases.postgresUrl();
        List<CohortPatient> shared = cohort.patients().stream().filter(CohortPatient::expectedShared).toList();
        List<CohortPatient> held = cohort.patients().stream().filter(p -> !p.expectedShared()).toList();
        assertThat(cohort.patients()).hasSizeGreaterThanOrEqualTo(50);

        adapter = start(db);
        await().atMost(Duration.ofSeconds(60)).until(() -> jobcenterA.cases().size() + jobcenterB.cases().size()
                >= shared.size() && adapter.getBean(ReviewQueue.class).due(Instant.now(), 1).isEmpty()
                && adapter.getBean(Outbox.class).count("pending") == 0);

        assertThat(held).as("held patients whose CPR reached a jobcenter, by scenario")
                .filteredOn(p -> jobcenterA.receivedCprs().contains(p.cpr())
                        || jobcenterB.receivedCprs().contains(p.cpr()))
                .extracting(CohortPatient::scenario).isEmpty();
        assertThat(jobcenterA.cases().size() + jobcenterB.cases().size()).isEqualTo(shared.size());

        for (CohortPatient patient : shared) {
            MockJobcenter to = jobcenter(patient.expectedJobcenterId());
            MockJobcenter other = to == jobcenterA ? jobcenterB : jobcenterA;
            String caseId = to.caseFor(patient.cpr()).orElseThrow(() -> new AssertionError(
                    patient.patientReference() + " (" + patient.scenario() + ") did not reach " + to.id()))
                    .path("caseId").asText();
            assertThat(caseId).doesNotContain(patient.cpr());
            assertThat(to.categoriesReceived(caseId)).as("%s (%s)", patient.patientReference(), patient.scenario())
                    .isEqualTo(expectedCategories(patient));
            other.assertNoRecordFor(patient.cpr());
        }
        Set<String> heldCprs = held.stream().map(CohortPatient::cpr).collect(Collectors.toSet());
        for (MockJobcenter jobcenter : List.of(jobcenterA, jobcenterB)) {
            assertThat(jobcenter.receivedCprs()).doesNotContainAnyElementsOf(heldCprs);
            assertThat(jobcenter.requests()).allSatisfy(r -> assertThat(heldCprs.stream()
                    .noneMatch(cpr -> r.url().contains(cpr) || r.body().contains(cpr))).isTrue());
            assertThat(jobcenter.requests()).allSatisfy(r -> assertThat(r.url()).doesNotMatch(".*\\d{10}.*"));
        }
        List<LoggedRequest> ehrRequests = ehr.wireMock().findAll(com.github.tomakehurst.wiremock.client.WireMock
                .anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertThat(ehrRequests).isNotEmpty().allSatisfy(r -> assertThat(r.getUrl())
                .doesNotContain("patient=").doesNotContain("identifier=").doesNotContain("_id="));

        DecisionLog decisions = adapter.getBean(DecisionLog.class);
        for (CohortPatient patient : cohort.patients()) {
            List<Decision> forPatient = decisions.forPatient("ehr", patient.patientReference());
            if (forPatient.isEmpty()) {
                // Neither consent nor referral: not in an IPS course, so the adapter keeps no record of the patient.
                assertThat(patient.expectedHold()).as(patient.patientReference()).isEqualTo(HoldReason.NO_CONSENT.code());
                assertThat(cohort.resourcesOf(patient.patientId())).noneMatch(r -> r instanceof Consent
                        || r instanceof org.hl7.fhir.r4.model.ServiceRequest
                        || r instanceof org.hl7.fhir.r4.model.EpisodeOfCare);
                continue;
            }
            if (patient.expectedShared()) {
                assertThat(forPatient).anySatisfy(d -> {
                    assertThat(d.outcome()).isEqualTo(Decision.SHARED);
                    assertThat(d.recipient()).isEqualTo(patient.expectedJobcenterId());
                });
            } else {
                assertThat(forPatient).as("%s (%s)", patient.patientReference(), patient.scenario())
                        .anySatisfy(d -> assertThat(d.reason()).isEqualTo(patient.expectedHold()))
                        .noneSatisfy(d -> assertThat(d.outcome()).isEqualTo(Decision.SHARED));
            }
        }

        // A restart resumes from the cursors: a change made while the adapter was down arrives, and nothing
        // unchanged is sent again. The change proves that the restarted adapter polls: silence alone would also
        // come from one that never polled again.
        long requestsBefore = caseRequests();
        adapter.close();
        CohortPatient renamed = shared.stream().skip(1).filter(p -> patient(p).getNameFirstRep().hasFamily()
                && !patient(p).getNameFirstRep().hasText()).findFirst().orElseThrow();
        MockJobcenter renamedAt = jobcenter(renamed.expectedJobcenterId());
        String renamedCase = renamedAt.caseFor(renamed.cpr()).orElseThrow().path("caseId").asText();
        int revisionsBefore = renamedAt.revisions(renamedCase).size();
        Patient changed = patient(renamed);
        changed.getNameFirstRep().setFamily("Omdøbtsen");
        ehr.store(changed);
        Instant restartedAt = Instant.now();
        adapter = start(db);
        await().atMost(Duration.ofSeconds(60)).until(() -> renamedAt.revisions(renamedCase).size() > revisionsBefore);
        assertThat(renamedAt.caseFor(renamed.cpr()).orElseThrow().path("citizen").path("familyName").asText())
                .isEqualTo("Omdøbtsen");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(
                () -> caseRequests() == requestsBefore + 1);
        List<LoggedRequest> pollsAfterRestart = ehr.wireMock().findAll(getRequestedFor(urlPathMatching(".*/Patient")))
                .stream().filter(r -> r.getLoggedDate().toInstant().isAfter(restartedAt)).toList();
        assertThat(pollsAfterRestart).as("Patient polls after the restart").isNotEmpty()
                .allSatisfy(r -> assertThat(r.queryParameter("_lastUpdated").isPresent())
                        .as("a poll after the restart starts from the cursor").isTrue());

        // Revoking a consent in the EHR withdraws the case at the jobcenter.
        CohortPatient revoked = shared.get(0);
        MockJobcenter revokedAt = jobcenter(revoked.expectedJobcenterId());
        String caseId = revokedAt.caseFor(revoked.cpr()).orElseThrow().path("caseId").asText();
        Consent consent = ehr.resources(Consent.class).stream()
                .filter(c -> c.getPatient().getReference().endsWith(revoked.patientReference()))
                .findFirst().orElseThrow();
        consent.setStatus(Consent.ConsentState.INACTIVE);
        ehr.store(consent);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(revokedAt.withdrawals()).containsKey(caseId));
        assertThat(revokedAt.withdrawals().get(caseId).path("reason").asText()).isEqualTo("consent-withdrawn");
        revokedAt.assertNoRecordFor(revoked.cpr());
        assertThat(adapter.getBean(DecisionLog.class).forPatient("ehr", revoked.patientReference()))
                .anySatisfy(d -> assertThat(d.outcome()).isEqualTo(Decision.WITHDRAWN));
    }

    /** Requests that send case data (the outcomes feed is read on every start, and that is fine). */
    private long caseRequests() {
        return Stream.of(jobcenterA, jobcenterB).flatMap(j -> j.requests().stream())
                .filter(r -> !r.method().equals("GET")).count();
    }

    private static Set<String> expectedCategories(CohortPatient patient) {
        Set<String> expected = new HashSet<>(Set.of(MockJobcenter.IDENTITY));
        patient.expectedCategories().stream().filter(c -> !c.equals("outcomes")).forEach(expected::add);
        return expected;
    }

    private Patient patient(CohortPatient patient) {
        return ehr.resources(Patient.class).stream()
                .filter(p -> p.getIdElement().getIdPart().equals(patient.patientId())).findFirst().orElseThrow();
    }

    private MockJobcenter jobcenter(String id) {
        return SyntheticCohort.JOBCENTER_A_ID.equals(id) ? jobcenterA : jobcenterB;
    }

    private ConfigurableApplicationContext start(String db) {
        return Adapter.start(db, ehr, jobcenterA, jobcenterB, null);
    }
}
