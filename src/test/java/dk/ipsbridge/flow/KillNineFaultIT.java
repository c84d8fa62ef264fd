package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import dk.ipsbridge.ledger.VerificationReport;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The crash test of issue 5: patient changes stream into the mock EHR while the adapter, a process of its own on
 * PostgreSQL, is killed with {@code kill -9} at random moments (some during start-up) and restarted, and the EHR and
 * the jobcenters go down, answer 5xx and 429. At the end every consented patient's latest data is at its jobcenter,
 * nothing was ever sent for a patient who never consented, every revision reached a jobcenter with one content only,
 * every delivery has its decision in the verified ledger, and nothing is left in flight.
 *
 * <p>Long (several minutes), so not part of {@code mvn verify}; run it with {@code mvn -B verify -Pfault-test}.
 * {@code -Dfault.changes}, {@code -Dfault.kills} and {@code -Dfault.rate} (changes per second) scale it.
 */
class KillNineFaultIT {

    private static final int PATIENTS = Integer.getInteger("fault.patients", 300);
    private static final int CHANGES = Integer.getInteger("fault.changes", 10_000);
    private static final int KILLS = Integer.getInteger("fault.kills", 20);
    private static final int RATE = Integer.getInteger("fault.rate", 50);
    /** Cases sent to one jobcenter at a time, the default: what a kill can leave in flight, per jobcenter. */
    private static final int CONCURRENCY = 4;

    private final Random random = new Random(Long.getLong("fault.seed", System.nanoTime()));
    private final MockEhr ehr = new MockEhr();
    private final MockJobcenter jobcenterA = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID,
            SyntheticCohort.JOBCENTER_A_NAME);
    private final MockJobcenter jobcenterB = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID,
            SyntheticCohort.JOBCENTER_B_NAME);
    private final List<Citizen> citizens = new ArrayList<>();
    private final Map<String, AtomicInteger> faults = new ConcurrentHashMap<>();
    private AdapterProcess adapter;

    /** One synthetic patient and what the test last wrote to the EHR about them. */
    private static final class Citizen {
        final Patient patient;
        final Consent consent;
        final Goal goal;
        final boolean mayConsent;
        final MockJobcenter jobcenter;
        boolean everConsented;

        Citizen(Patient patient, Consent consent, Goal goal, boolean mayConsent, MockJobcenter jobcenter) {
            this.patient = patient;
            this.consent = consent;
            this.goal = goal;
            this.mayConsent = mayConsent;
            this.jobcenter = jobcenter;
            this.everConsented = consent.getStatus() == Consent.ConsentState.ACTIVE;
        }

        String cpr() {
            return patient.getIdentifierFirstRep().getValue();
        }

        boolean consented() {
            return consent.getStatus() == Consent.ConsentState.ACTIVE;
        }
    }

    @AfterEach
    void stopAll() {
        if (adapter != null && adapter.isAlive()) {
            adapter.kill();
        }
        ehr.close();
        jobcenterA.close();
        jobcenterB.close();
    }

    @Test
    void shouldLoseNothingAndSendNothingTwiceDifferentlyThroughKillsAndOutages() throws Exception {
        Instant started = Instant.now();
        seed();
        String url = TestDatabases.postgresUrl();
        DataSource db = new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "postgres");
        adapter = new AdapterProcess("fault-adapter", Adapter.arguments(url, ehr, jobcenterA, jobcenterB,
                "ips.sources[0].poll-interval=500ms", "ips.sources[0].page-size=100",
                "ips.operations.review-batch=100", "ips.operations.delivery-batch=50",
                "ips.operations.delivery-concurrency=" + CONCURRENCY,
                "ips.operations.retry-backoff=200ms", "ips.operations.max-retry-backoff=3s",
                "ips.operations.max-delivery-attempts=1000000", "ips.operations.reconcile-interval=1h"));

        AtomicInteger changes = new AtomicInteger();
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread stream = new Thread(() -> streamChanges(changes), "fault-stream");
        Thread chaos = new Thread(() -> injectOutages(streaming), "fault-outages");
        stream.start();
        chaos.start();
        int kills = 0;
        int killsDuringStartUp = 0;
        while (changes.get() < CHANGES || kills < KILLS) {
            adapter.start();
            if (random.nextInt(5) == 0) {
                AdapterProcess.sleep(Duration.ofMillis(500 + random.nextInt(5_500))); // at any moment of start-up
                killsDuringStartUp++;
            } else {
                adapter.awaitHealthy(Duration.ofMinutes(2));
                AdapterProcess.sleep(Duration.ofMillis(2_000 + random.nextInt(13_000)));
            }
            adapter.kill();
            kills++;
        }
        stream.join();
        streaming.set(false);
        chaos.join();
        ehr.clearFaults();
        jobcenterA.clearFaults();
        jobcenterB.clearFaults();
        Instant chaosEnded = Instant.now();

        adapter.start();
        adapter.awaitHealthy(Duration.ofMinutes(2));
        try {
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2)).until(
                    () -> mismatches().isEmpty() && settled(db));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not settled: " + unsettled(db), e);
        }
        adapter.stop();
        Instant settledAt = Instant.now();

        assertThat(mismatches()).isEmpty();
        for (Citizen citizen : citizens) {
            if (!citizen.everConsented) {
                assertThat(jobcenterA.receivedCprs()).doesNotContain(citizen.cpr());
                assertThat(jobcenterB.receivedCprs()).doesNotContain(citizen.cpr());
            }
        }
        int repeats = DeliveryAudit.assertOneContentPerRevision(jobcenterA, jobcenterB);
        assertThat(repeats).as("revisions sent again (at most what was in flight at each kill: delivery-concurrency "
                + "per jobcenter)").isLessThanOrEqualTo(2 * CONCURRENCY * kills);
        DeliveryAudit.assertEveryDeliveryDecided(db, jobcenterA, jobcenterB);
        DeliveryAudit.assertNothingInFlight(db);
        VerificationReport ledger = DeliveryAudit.assertLedgerVerifies(db);
        assertCursorsCaughtUp(db);

        report(started, chaosEnded, settledAt, changes.get(), kills, killsDuringStartUp, repeats, ledger, db);
    }

    /** Patients that may consent (most) and some that never do, half with each jobcenter. */
    private void seed() {
        ehr.store(SyntheticCohort.create(Instant.now()).resources().stream() // the organisations and staff
                .filter(r -> r instanceof Organization || r instanceof Practitioner || r instanceof PractitionerRole)
                .toList());
        for (int i = 0; i < PATIENTS; i++) {
            boolean toA = i % 2 == 0;
            String org = toA ? SyntheticCohort.JOBCENTER_A_ORGANIZATION : SyntheticCohort.JOBCENTER_B_ORGANIZATION;
            String id = "fault-" + i;
            Patient patient = IpsFixtures.patient(id, cpr(i), "Test" + i, "Faultsen");
            boolean mayConsent = i % 5 != 0;
            Consent consent = IpsFixtures.consent("consent-" + id, id)
                    .status(mayConsent ? Consent.ConsentState.ACTIVE : Consent.ConsentState.REJECTED)
                    .recipient("Organization/" + org).categories("contact", "referral", "employment-goal")
                    .givenAt(Instant.now().minus(Duration.ofDays(10))).build();
            Goal goal = IpsFixtures.employmentGoal("goal-" + id, id, "goal " + i + " #0");
            citizens.add(new Citizen(patient, consent, goal, mayConsent, toA ? jobcenterA : jobcenterB));
            ehr.store(patient, consent, goal,
                    IpsFixtures.referral("sr-" + id, id, SyntheticCohort.TREATING_UNIT_ORGANIZATION, org,
                            java.time.LocalDate.now().minusDays(20), ServiceRequest.ServiceRequestStatus.ACTIVE),
                    IpsFixtures.careTeam("ct-" + id, id, toA ? "Practitioner/" + SyntheticCohort.CONSULTANT_A_PRACTITIONER
                            : "PractitionerRole/" + SyntheticCohort.CONSULTANT_B_ROLE, org,
                            new Period().setStart(IpsFixtures.date(java.time.LocalDate.now().minusDays(20)))));
        }
    }

    /** A goal (half), a phone number (three in ten) or the consent (one in five, toggled) changes, RATE a second. */
    private void streamChanges(AtomicInteger changes) {
        long interval = 1_000_000_000L / RATE;
        long next = System.nanoTime();
        for (int k = 1; k <= CHANGES; k++) {
            Citizen citizen = citizens.get(random.nextInt(citizens.size()));
            int kind = random.nextInt(10);
            synchronized (citizen) {
                if (kind < 5) {
                    citizen.goal.getDescription().setText("goal " + citizen.patient.getIdPart() + " #" + k);
                    ehr.store(citizen.goal);
                } else if (kind < 8 || !citizen.mayConsent) {
                    citizen.patient.getTelecomFirstRep().setValue("+45 30 " + String.format("%06d", k));
                    ehr.store(citizen.patient);
                } else {
                    citizen.consent.setStatus(citizen.consented() ? Consent.ConsentState.INACTIVE
                            : Consent.ConsentState.ACTIVE);
                    citizen.everConsented |= citizen.consented();
                    ehr.store(citizen.consent);
                }
            }
            changes.incrementAndGet();
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                AdapterProcess.sleep(Duration.ofNanos(wait));
            }
        }
    }

    /** Every few seconds one outage or burst of errors, for a few seconds. */
    private void injectOutages(AtomicBoolean streaming) {
        while (streaming.get()) {
            AdapterProcess.sleep(Duration.ofMillis(3_000 + random.nextInt(7_000)));
            String fault = switch (random.nextInt(5)) {
                case 0 -> {
                    ehr.failWith(MockEhr.ANY_TYPE, 503);
                    yield "EHR down (503)";
                }
                case 1 -> {
                    ehr.failWith(MockEhr.ANY_TYPE, 429, 1);
                    yield "EHR throttling (429, Retry-After 1)";
                }
                case 2 -> {
                    jobcenterA.failNext(503, Integer.MAX_VALUE);
                    yield "jobcenter A down (503)";
                }
                case 3 -> {
                    jobcenterB.failNext(429, 20);
                    yield "jobcenter B throttling (20 x 429)";
                }
                default -> {
                    jobcenterA.failNext(500, 10);
                    jobcenterB.failNext(502, 10);
                    yield "jobcenters erring (10 x 500, 10 x 502)";
                }
            };
            faults.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
            AdapterProcess.sleep(Duration.ofMillis(2_000 + random.nextInt(3_000)));
            ehr.clearFaults();
            jobcenterA.clearFaults();
            jobcenterB.clearFaults();
        }
    }

    /** What differs between what the jobcenters hold and the EHR's latest data under its consents. */
    private List<String> mismatches() {
        List<String> wrong = new ArrayList<>();
        for (Citizen citizen : citizens) {
            synchronized (citizen) {
                String who = citizen.patient.getIdPart();
                MockJobcenter other = citizen.jobcenter == jobcenterA ? jobcenterB : jobcenterA;
                if (other.caseFor(citizen.cpr()).isPresent()) {
                    wrong.add(who + " at the wrong jobcenter");
                }
                JsonNode held = citizen.jobcenter.caseFor(citizen.cpr()).orElse(null);
                if (!citizen.consented()) {
                    if (held != null) {
                        wrong.add(who + " held without consent");
                    }
                    continue;
                }
                if (held == null) {
                    wrong.add(who + " missing");
                } else if (!held.path("employmentGoal").path("text").asText().equals(
                        citizen.goal.getDescription().getText())
                        || !held.path("citizen").path("phone").asText().equals(
                                citizen.patient.getTelecomFirstRep().getValue())) {
                    wrong.add(who + " stale");
                }
            }
        }
        return wrong;
    }

    /** What keeps the run from settling, for the failure message: ids and states only. */
    private String unsettled(DataSource db) {
        JdbcClient jdbc = JdbcClient.create(db);
        return "mismatches " + mismatches() + "; pending " + jdbc.sql("select id || ' ' || case_id || ' ' || kind "
                + "|| ' ' || recipient || ' next ' || next_attempt_at || ' claimed ' || coalesce(claimed_by, '-') "
                + "|| ' until ' || coalesce(cast(claimed_until as varchar), '-') || ' attempts ' || attempts "
                + "from outbox where status = 'pending'").query(String.class).list()
                + "; due " + jdbc.sql("select patient_id || ' due ' || due_at || ' attempts ' || attempts || ' claimed '"
                + " || coalesce(claimed_by, '-') from patient_review where due_at <= current_timestamp")
                .query(String.class).list()
                + "; paused " + jdbc.sql("select recipient from jobcenter_pause").query(String.class).list()
                + "; open failures " + jdbc.sql("select stage || ' ' || subject || ' ' || reason from failed_record "
                + "where status = 'open'").query(String.class).list();
    }

    private static boolean settled(DataSource db) {
        JdbcClient jdbc = JdbcClient.create(db);
        return jdbc.sql("select count(*) from outbox where status = 'pending'").query(Integer.class).single() == 0
                && jdbc.sql("select count(*) from patient_review where due_at <= current_timestamp")
                        .query(Integer.class).single() == 0;
    }

    /** The cursors stand at the EHR's latest change of each type they poll: nothing is skipped or left behind. */
    private void assertCursorsCaughtUp(DataSource db) {
        Map<String, String> cursors = new LinkedHashMap<>();
        JdbcClient.create(db).sql("select resource_type, last_updated from ingest_cursor").query(
                (rs, n) -> cursors.put(rs.getString(1), rs.getString(2))).list();
        for (String type : List.of("Patient", "Consent", "Goal")) {
            Instant newest = ehr.resources(type).stream().map(r -> r.getMeta().getLastUpdated().toInstant())
                    .max(Instant::compareTo).orElseThrow();
            assertThat(new org.hl7.fhir.r4.model.InstantType(cursors.get(type)).getValue().toInstant())
                    .as("cursor of " + type).isEqualTo(newest);
        }
    }

    private void report(Instant started, Instant chaosEnded, Instant settledAt, int changes, int kills,
            int killsDuringStartUp, int repeats, VerificationReport ledger, DataSource db) throws IOException {
        JdbcClient jdbc = JdbcClient.create(db);
        Map<String, Integer> decisions = new LinkedHashMap<>();
        jdbc.sql("select outcome, count(*) from decision group by outcome order by outcome")
                .query((rs, n) -> decisions.put(rs.getString(1), rs.getInt(2))).list();
        long puts = accepted("PUT");
        long withdrawals = accepted("POST");
        long rejectedByFaults = List.of(jobcenterA, jobcenterB).stream().flatMap(j -> j.requests().stream())
                .filter(r -> r.status() == 429 || r.status() >= 500).count();
        String report = String.join("\n",
                "kill -9 fault test, " + Instant.now(),
                "patients: " + PATIENTS + " (" + citizens.stream().filter(c -> !c.mayConsent).count()
                        + " never consent), consented at the end: " + citizens.stream().filter(Citizen::consented)
                                .count(),
                "patient changes streamed: " + changes + " at " + RATE + "/s",
                "kill -9: " + kills + " (" + killsDuringStartUp + " during start-up)",
                "outages and error bursts: " + faults,
                "jobcenter answers 429/5xx: " + rejectedByFaults,
                "case records accepted: " + puts + ", of which sent again with the same content: " + repeats,
                "withdrawals accepted: " + withdrawals,
                "decisions: " + decisions,
                "ledger: " + ledger.summary(),
                "chaos: " + Duration.between(started, chaosEnded).toSeconds() + " s, settled "
                        + Duration.between(chaosEnded, settledAt).toSeconds() + " s after");
        System.out.println(report);
        Files.writeString(Path.of("target", "kill-nine-fault-report.txt"), report + "\n");
    }

    private long accepted(String method) {
        return List.of(jobcenterA, jobcenterB).stream().flatMap(j -> j.requests().stream())
                .filter(r -> r.method().equals(method) && r.accepted()).count();
    }

    /** A valid synthetic CPR per index: a 1900s birth date from the index, serial 9000 + index. */
    private static String cpr(int i) {
        return String.format("%02d%02d%02d%04d", 1 + i % 28, 1 + i % 12, 60 + i % 40, 9000 + i);
    }
}
