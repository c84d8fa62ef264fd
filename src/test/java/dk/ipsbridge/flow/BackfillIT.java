package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dk.ipsbridge.control.Backfill;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 17: a backfill stopped while it still reads the source goes on where it stopped: the patients found before
 * keep their place and are not queued again, the rest are found, and all end settled. On H2 and PostgreSQL. (The
 * command around it, stopped and run again as a process, is {@code PackagedStopAndBackfillIT}.)
 */
class BackfillIT {

    private static final int PATIENTS = 30;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldGoOnReadingWhereAStoppedBackfillStoppedAndSettleEveryPatientOnce(Kind kind) {
        try (MockEhr ehr = new MockEhr();
                MockJobcenter a = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
                MockJobcenter b = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME)) {
            MinimalRegion.storeInto(ehr);
            for (int i = 0; i < PATIENTS; i++) {
                MinimalRegion.storeReferredPatient(ehr, "p" + i, String.format("0101%02d%04d", 60, 2000 + i), true);
            }
            String db = kind == Kind.H2 ? TestDatabases.h2Url() : TestDatabases.postgresUrl();
            try (ConfigurableApplicationContext adapter = Adapter.start(db, ehr, a, b, null,
                    "ips.sources[0].page-size=5", "ips.sources[0].poll-interval=1h")) {
                Backfill backfill = adapter.getBean(Backfill.class);
                JdbcClient jdbc = JdbcClient.create(adapter.getBean(javax.sql.DataSource.class));

                assertThat(backfill.start("ehr", "cli:tester").resumed()).isFalse();
                AtomicInteger pages = new AtomicInteger();
                assertThat(backfill.enumerate("ehr", () -> pages.incrementAndGet() == 2)).isFalse();
                int foundBefore = backfill.progress("ehr").found();
                assertThat(foundBefore).isBetween(1, 10); // two pages of five consents
                List<String> queuedBefore = queuedAt(jdbc);

                Backfill.Run again = backfill.start("ehr", "cli:someone-else");
                assertThat(again.resumed()).isTrue();
                assertThat(again.enumerated()).isFalse();
                assertThat(again.startedBy()).isEqualTo("cli:tester");
                assertThat(backfill.enumerate("ehr", () -> false)).isTrue();

                assertThat(queuedAt(jdbc)).as("found before: not queued again").containsAll(queuedBefore);
                await().atMost(Duration.ofSeconds(60)).until(() -> backfill.progress("ehr").done());
                Backfill.Progress done = backfill.progress("ehr");
                assertThat(done.found()).isEqualTo(PATIENTS);
                assertThat(done.settled()).isEqualTo(PATIENTS);
                assertThat(done.failed()).isZero();
                assertThat(a.cases()).hasSize(PATIENTS);
                assertThat(adapter.getBean(Ledger.class).search(new Ledger.Query(null, null, null, null,
                        "resync-requested", null, null, 10))).singleElement()
                        .satisfies(e -> assertThat(e.actor()).isEqualTo("cli:tester"));

                backfill.finish("ehr");
                assertThat(backfill.start("ehr", "cli:tester").resumed()).as("after the end, a new one").isFalse();
                assertThat(backfill.progress("ehr").found()).isZero();
            }
        }
    }

    private static List<String> queuedAt(JdbcClient jdbc) {
        return jdbc.sql("select patient_id || ' ' || queued_at from backfill_patient").query(String.class).list();
    }
}
