package dk.ipsbridge.flow;

import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_A_ORGANIZATION;
import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_A_SYSTEM;
import static dk.ipsbridge.testkit.cohort.SyntheticCohort.JOBCENTER_A_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;

import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.expiry.ExpiryWarnings;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Replays;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Revocation from the EHR and by the passing of time, while the jobcenter is down or rejecting: what is queued or
 * dead-lettered for a revoked patient is purged, consent is read again at the moment of delivery, and the jobcenter
 * receives the withdrawal and never a case record sent after it. On the embedded store and on PostgreSQL.
 */
@ExtendWith(ThreadDumpOnFailure.class)
class ConsentRevocationIT {

    private static final Instant NOW = Instant.now();

    private final MutableClock clock = new MutableClock();
    private MockEhr ehr;
    private MockJobcenter jobcenter;
    private MockJobcenter otherJobcenter;
    private ConfigurableApplicationContext adapter;

    @BeforeEach
    void startSimulators() {
        ehr = new MockEhr();
        jobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
        otherJobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME);
        ehr.store(IpsFixtures.organization(JOBCENTER_A_ORGANIZATION, JOBCENTER_A_SYSTEM, JOBCENTER_A_VALUE,
                        SyntheticCohort.JOBCENTER_A_NAME),
                IpsFixtures.organization("psy", IpsCodes.SOR_SYSTEM, SyntheticCohort.TREATING_UNIT_SOR, "Psykiatrien"),
                IpsFixtures.practitioner("consultant", "Ida", "Konsulentsen"));
    }

    @AfterEach
    void stopAll() {
        if (adapter != null) {
            adapter.close();
        }
        ehr.close();
        jobcenter.close();
        otherJobcenter.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldPurgeQueuedAndFailedDeliveriesAndSendOnlyTheWithdrawal(Kind kind) throws InterruptedException {
        String queued = "0101901001";
        String deadLettered = "0202902002";
        storeIpsPatient("queued", queued, NOW.minus(Duration.ofDays(30)));
        storeIpsPatient("dead", deadLettered, NOW.minus(Duration.ofDays(30)));
        adapter = start(kind, "ips.operations.max-delivery-attempts=1000",
                "ips.operations.delivery-read-max-age=2s");
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.caseFor(queued).isPresent()
                && jobcenter.caseFor(deadLettered).isPresent() && outbox().count("pending") == 0);
        String queuedCase = jobcenter.caseFor(queued).orElseThrow().path("caseId").asText();
        String deadCase = jobcenter.caseFor(deadLettered).orElseThrow().path("caseId").asText();

        // A changed goal for "dead" is rejected by the jobcenter: a dead-lettered delivery an operator could replay.
        jobcenter.failNext(400, 1);
        changeGoal("dead");
        FailedRecord deadLetter = await().atMost(Duration.ofSeconds(30)).until(() -> failed().open().stream()
                .filter(r -> FailedRecords.DELIVERY.equals(r.stage())).findFirst().orElse(null), r -> r != null);
        assertThat(outbox().count(deadCase, "failed")).isEqualTo(1);

        // The jobcenter goes down; a changed goal for "queued" is retried again and again.
        jobcenter.failNext(503, 100_000);
        changeGoal("queued");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbcInt(
                "select coalesce(max(attempts), 0) from outbox where case_id = ? and status = 'pending'",
                queuedCase) >= 2);

        // "dead" withdraws consent; polling sees it: the dead letter is purged, only the withdrawal is queued.
        withdrawConsent("dead");
        await().atMost(Duration.ofSeconds(30)).until(() -> withdrawn("dead"));
        assertThat(failed().find(deadLetter.id()).orElseThrow().status()).isEqualTo("purged");
        assertThat(adapter.getBean(Replays.class).replay(deadLetter.id())).as("a purged delivery cannot be replayed")
                .isFalse();
        assertThat(outbox().count(deadCase, "failed")).isZero();

        // "queued" withdraws consent while polling is stopped: only the check at the moment of delivery can see it.
        // While the jobcenter is down, the case record waits behind the withdrawal for "dead", which goes first
        // (issue 17), and its read ages past delivery-read-max-age. When the jobcenter is back, the withdrawal goes
        // out, then the case record meets its check against the EHR, and the withdrawal of "queued" follows instead.
        stopPolling();
        withdrawConsent("queued");
        int before = jobcenter.requests().size();
        Thread.sleep(3_000); // longer than delivery-read-max-age (2s here) since the record was decided
        jobcenter.clearFaults();
        await().atMost(Duration.ofSeconds(30)).until(() -> withdrawn("queued"));

        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.withdrawals().containsKey(queuedCase)
                && jobcenter.withdrawals().containsKey(deadCase));
        assertThat(jobcenter.withdrawals().get(queuedCase).path("reason").asText()).isEqualTo("consent-withdrawn");
        assertThat(jobcenter.requests().subList(before, jobcenter.requests().size()))
                .as("no case record is sent once the withdrawal is known")
                .noneMatch(r -> r.method().equals("PUT"));
        assertThat(jobcenter.revisions(queuedCase)).containsExactly(1);
        assertThat(jobcenter.revisions(deadCase)).containsExactly(1);
        jobcenter.assertNoRecordFor(queued);
        jobcenter.assertNoRecordFor(deadLettered);
        // the jobcenter records a withdrawal before it answers; the adapter settles the message once it has the answer
        await().atMost(Duration.ofSeconds(10))
                .until(() -> outbox().count("pending") + outbox().count("failed") == 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldWarnBeforeAndWithdrawWhenConsentLapsesByTimeAlone(Kind kind) {
        // Given 12 months ago, plus two days: the consent lapses in two days, with nothing changing in the EHR.
        Instant given = ZonedDateTime.ofInstant(NOW, IpsCodes.DANISH_TIME).minusMonths(12).plusDays(2).toInstant();
        String cpr = "0303903003";
        storeIpsPatient("lapsing", cpr, given);
        adapter = start(kind);
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.caseFor(cpr).isPresent());
        String caseId = jobcenter.caseFor(cpr).orElseThrow().path("caseId").asText();

        ExpiryWarnings warnings = adapter.getBean(ExpiryWarnings.class);
        assertThat(warnings.expiring()).singleElement().satisfies(e -> {
            assertThat(e.caseId()).isEqualTo(caseId);
            assertThat(e.daysLeft()).isBetween(1L, 2L);
        });
        assertThat(warnings.scan()).isEqualTo(1);
        assertThat(warnings.scan()).as("recorded once").isZero();
        assertThat(adapter.getBean(MeterRegistry.class).get("ips.consents.expiring").gauge().value()).isEqualTo(1.0);
        int ehrWrites = ehr.history("Consent", "lapsing-consent").size();

        clock.advance(Duration.ofDays(3));

        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.withdrawals().containsKey(caseId));
        assertThat(jobcenter.withdrawals().get(caseId).path("reason").asText()).isEqualTo("consent-expired");
        jobcenter.assertNoRecordFor(cpr);
        assertThat(ehr.history("Consent", "lapsing-consent")).as("nothing changed in the EHR").hasSize(ehrWrites);
        assertThat(decisions("lapsing")).anySatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(Decision.WITHDRAWN);
            assertThat(d.reason()).isEqualTo("consent-lapsed");
        });
        assertThat(warnings.expiring()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldWithdrawWithinTheRecheckIntervalWhenTheConsentIsDeletedFromTheEhr(Kind kind) {
        String cpr = "0404904004";
        storeIpsPatient("deleted", cpr, NOW.minus(Duration.ofDays(30)));
        adapter = start(kind);
        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.caseFor(cpr).isPresent());
        String caseId = jobcenter.caseFor(cpr).orElseThrow().path("caseId").asText();
        // settled: no review of the patient still due (one queued before the delete would rightly see it at once)
        ReviewQueue queue = adapter.getBean(ReviewQueue.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.due(clock.instant(), 1).isEmpty()
                && adapter.getBean(Outbox.class).count("pending") == 0);

        // a hard delete: no new version for _lastUpdated polling to find, and no notification
        assertThat(ehr.delete("Consent", "deleted-consent")).isTrue();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> !jobcenter.withdrawals().containsKey(caseId));

        clock.advance(Duration.ofHours(24).plusMinutes(1)); // ips.operations.recheck-interval, the default

        await().atMost(Duration.ofSeconds(30)).until(() -> jobcenter.withdrawals().containsKey(caseId));
        assertThat(jobcenter.withdrawals().get(caseId).path("reason").asText()).isEqualTo("consent-withdrawn");
        jobcenter.assertNoRecordFor(cpr);
        assertThat(decisions("deleted")).anySatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(Decision.WITHDRAWN);
            assertThat(d.reason()).isEqualTo("no-consent");
        });
    }

    private void storeIpsPatient(String id, String cpr, Instant consentGiven) {
        ehr.store(IpsFixtures.patient(id, cpr, "Test", "Testesen"),
                IpsFixtures.consent(id + "-consent", id).givenAt(consentGiven)
                        .recipient("Organization/" + JOBCENTER_A_ORGANIZATION)
                        .categories("contact", "employment-goal").build(),
                IpsFixtures.referral(id + "-referral", id, "psy", JOBCENTER_A_ORGANIZATION,
                        LocalDate.now().minusDays(40), ServiceRequest.ServiceRequestStatus.ACTIVE),
                IpsFixtures.careTeam(id + "-team", id, "Practitioner/consultant", JOBCENTER_A_ORGANIZATION, null),
                IpsFixtures.employmentGoal(id + "-goal", id, "Arbejde i et køkken"));
    }

    private void changeGoal(String id) {
        Goal goal = ehr.resources(Goal.class).stream().filter(g -> g.getIdPart().equals(id + "-goal")).findFirst()
                .orElseThrow();
        goal.getDescription().setText("Arbejde i et lager, " + System.nanoTime());
        ehr.store(goal);
    }

    private void withdrawConsent(String id) {
        Consent consent = ehr.resources(Consent.class).stream()
                .filter(c -> c.getIdPart().equals(id + "-consent")).findFirst().orElseThrow();
        consent.setStatus(Consent.ConsentState.INACTIVE);
        ehr.store(consent);
    }

    private boolean withdrawn(String id) {
        return decisions(id).stream().anyMatch(d -> Decision.WITHDRAWN.equals(d.outcome()));
    }

    private List<Decision> decisions(String id) {
        return adapter.getBean(DecisionLog.class).forPatient("ehr", "Patient/" + id);
    }

    private void stopPolling() {
        try {
            adapter.getBean(CamelContext.class).getRouteController().stopRoute("ehr-poll-ehr");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Outbox outbox() {
        return adapter.getBean(Outbox.class);
    }

    private FailedRecords failed() {
        return adapter.getBean(FailedRecords.class);
    }

    private int jdbcInt(String sql, Object param) {
        return adapter.getBean(org.springframework.jdbc.core.simple.JdbcClient.class).sql(sql).param(param)
                .query(Integer.class).single();
    }

    private ConfigurableApplicationContext start(Kind kind, String... extra) {
        String db = kind == Kind.H2 ? TestDatabases.h2Url() : TestDatabases.postgresUrl();
        return Adapter.start(db, ehr, jobcenter, otherJobcenter, clock, extra);
    }
}
