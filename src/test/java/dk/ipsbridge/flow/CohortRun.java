package dk.ipsbridge.flow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.springframework.context.ConfigurableApplicationContext;

/** The synthetic cohort in a mock EHR, the two cohort jobcenters and the adapter with local users, on H2. */
final class CohortRun implements AutoCloseable {

    final SyntheticCohort cohort = SyntheticCohort.create(Instant.now());
    final LocalUsers users = LocalUsers.random();
    final MockEhr ehr = new MockEhr();
    final MockJobcenter jobcenterA = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID,
            SyntheticCohort.JOBCENTER_A_NAME);
    final MockJobcenter jobcenterB = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID,
            SyntheticCohort.JOBCENTER_B_NAME);
    final ConfigurableApplicationContext adapter;
    final String base;

    CohortRun(String... settings) {
        this(ehr -> { }, settings);
    }

    /**
     * A run whose EHR {@code prepare} has set up, the cohort loaded, before the adapter starts (a fault, a lenient
     * search, a changed resource).
     */
    CohortRun(java.util.function.Consumer<CohortRun> prepare, String... settings) {
        cohort.loadInto(ehr);
        prepare.accept(this);
        List<String> extra = new ArrayList<>(users.settings());
        extra.addAll(List.of(settings));
        adapter = Adapter.start(TestDatabases.h2Url(), ehr, jobcenterA, jobcenterB, null, extra.toArray(String[]::new));
        base = "http://localhost:" + adapter.getEnvironment().getProperty("local.server.port");
    }

    String password(String user) {
        return LocalUsers.OFFICER.equals(user) ? users.officerPassword() : users.operatorPassword();
    }

    @Override
    public void close() {
        adapter.close();
        ehr.close();
        jobcenterA.close();
        jobcenterB.close();
    }
}
