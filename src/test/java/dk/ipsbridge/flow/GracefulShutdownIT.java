package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A graceful stop drains: deliveries in flight when the stop begins are finished and settled, nothing the jobcenter
 * received is left looking unsent (which would send it again), and no claim outlives the instance.
 */
class GracefulShutdownIT {

    @Test
    void shouldFinishAndSettleWhatIsInFlightAndReleaseTheRest() {
        String url = TestDatabases.h2Url();
        try (MockEhr ehr = new MockEhr();
                MockJobcenter a = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
                MockJobcenter b = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME)) {
            SyntheticCohort.create(Instant.now()).loadInto(ehr);
            a.wireMock().setGlobalFixedDelay(700); // slow jobcenters: a batch takes several seconds
            b.wireMock().setGlobalFixedDelay(700);
            ConfigurableApplicationContext adapter = Adapter.start(url, ehr, a, b, null);
            await().atMost(Duration.ofSeconds(60)).until(() -> puts(a) + puts(b) >= 2);

            adapter.close(); // while both delivery routes are mid-batch

            JdbcClient db = JdbcClient.create(new DriverManagerDataSource(url, "postgres", "postgres"));
            List<String> delivered = db.sql("select case_id || ' ' || revision from outbox where status = 'delivered'")
                    .query(String.class).list();
            List<String> received = List.of(a, b).stream().flatMap(j -> j.requests().stream())
                    .filter(r -> r.method().equals("PUT") && r.accepted())
                    .map(r -> r.url().substring(r.url().lastIndexOf('/') + 1) + " "
                            + r.body().replaceAll("(?s).*\"revision\"\\s*:\\s*(\\d+).*", "$1"))
                    .toList();
            assertThat(received).isNotEmpty();
            assertThat(delivered).as("every record the jobcenters accepted is settled as delivered")
                    .containsAll(received);
            assertThat(db.sql("select count(*) from outbox where claimed_by is not null").query(Integer.class)
                    .single()).isZero();
            assertThat(db.sql("select count(*) from patient_review where claimed_by is not null")
                    .query(Integer.class).single()).isZero();
        }
    }

    private static long puts(MockJobcenter jobcenter) {
        return jobcenter.requests().stream().filter(r -> r.method().equals("PUT")).count();
    }
}
