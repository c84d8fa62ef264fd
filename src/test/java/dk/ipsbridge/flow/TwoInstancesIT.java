package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Goal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Two adapter processes on one PostgreSQL database share the work without doing anything twice; when one is killed
 * ({@code kill -9}) mid-run, the other takes its work over within the lease and finishes it.
 */
class TwoInstancesIT {

    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Cases sent to one jobcenter at a time: what a killed instance can have had in flight, per jobcenter. */
    private static final int CONCURRENCY = 2;

    private final SyntheticCohort cohort = SyntheticCohort.create(Instant.now());
    private final MockEhr ehr = new MockEhr();
    private final MockJobcenter jobcenterA = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID,
            SyntheticCohort.JOBCENTER_A_NAME);
    private final MockJobcenter jobcenterB = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID,
            SyntheticCohort.JOBCENTER_B_NAME);
    private AdapterProcess first;
    private AdapterProcess second;

    @AfterEach
    void stopAll() {
        for (AdapterProcess instance : new AdapterProcess[] {first, second}) {
            if (instance != null && instance.isAlive()) {
                instance.kill();
            }
        }
        ehr.close();
        jobcenterA.close();
        jobcenterB.close();
    }

    @Test
    void shouldShareTheWorkAndTakeOverFromAKilledInstance() throws Exception {
        cohort.loadInto(ehr);
        String url = TestDatabases.postgresUrl();
        DataSource db = new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "postgres");
        List<String> arguments = Adapter.arguments(url, ehr, jobcenterA, jobcenterB,
                "ips.cluster.lease=" + LEASE.toSeconds() + "s", "ips.operations.review-batch=5",
                "ips.operations.delivery-batch=5", "ips.operations.delivery-concurrency=" + CONCURRENCY);
        List<CohortPatient> shared = cohort.patients().stream().filter(CohortPatient::expectedShared).toList();
        first = new AdapterProcess("instance-1", arguments);
        second = new AdapterProcess("instance-2", arguments);
        first.start();
        second.start();
        first.awaitHealthy(Duration.ofSeconds(90));
        second.awaitHealthy(Duration.ofSeconds(90));

        // mid-run: some cases delivered, not all
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> held() >= 3);
        first.kill();
        assertThat(held()).as("killed mid-run").isLessThan(shared.size());

        // a change after the kill must still get through, by the surviving instance
        CohortPatient changed = shared.stream()
                .filter(p -> p.expectedCategories().contains("employment-goal")).findFirst().orElseThrow();
        Goal goal = (Goal) cohort.resourcesOf(changed.patientId()).stream().filter(r -> r instanceof Goal)
                .findFirst().orElseThrow();
        goal.getDescription().setText("Changed after the kill");
        ehr.store(goal);

        MockJobcenter changedAt = SyntheticCohort.JOBCENTER_A_ID.equals(changed.expectedJobcenterId()) ? jobcenterA
                : jobcenterB;
        await().atMost(LEASE.plusSeconds(60)).untilAsserted(() -> {
            assertThat(held()).isEqualTo(shared.size());
            assertThat(changedAt.caseFor(changed.cpr()).orElseThrow().path("employmentGoal").path("text").asText())
                    .isEqualTo("Changed after the kill");
            assertThat(JdbcClient.create(db).sql("select count(*) from outbox where status = 'pending'")
                    .query(Integer.class).single()).isZero();
        });

        // sent twice at most: what the killed instance had in flight, delivery-concurrency per jobcenter route
        assertThat(DeliveryAudit.assertOneContentPerRevision(jobcenterA, jobcenterB)).isLessThanOrEqualTo(2 * CONCURRENCY);
        DeliveryAudit.assertEveryDeliveryDecided(db, jobcenterA, jobcenterB);
        DeliveryAudit.assertLedgerVerifies(db);
        for (CohortPatient patient : cohort.patients()) {
            if (!patient.expectedShared()) {
                jobcenterA.assertNoRecordFor(patient.cpr());
                jobcenterB.assertNoRecordFor(patient.cpr());
            }
        }
        assertThat(Files.readString(second.log())).contains("delivered to"); // the survivor finished the work

        // a graceful stop releases what the survivor still holds
        second.stop();
        assertThat(Files.readString(second.log())).contains("released");
        assertThat(JdbcClient.create(db).sql("select count(*) from outbox where claimed_by = 'instance-2'")
                .query(Integer.class).single()).isZero();
    }

    private int held() {
        return jobcenterA.cases().size() + jobcenterB.cases().size();
    }
}
