package dk.ipsbridge.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.RoundSettings;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.http.Http;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A first poll (a go-live load) of more pages than {@code max-pages-per-poll}: in {@code _lastUpdated} order the cursor
 * moves as far as was read and the next poll, asked for at once, goes on from there, so that every patient is marked
 * once and nothing is read again. Before, such a poll failed as a paging loop, kept its cursor, and read the same pages
 * again on every poll.
 */
class EhrIngestTest {

    private final MockEhr ehr = new MockEhr();
    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final ReviewQueue queue = new ReviewQueue(jdbc);
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final EhrSources sources = new EhrSources(new IpsProperties("DK-82", List.of(new IpsProperties.Source("ehr",
            URI.create(ehr.baseUrl()), Duration.ofSeconds(30), 3)), List.of(), new IpsProperties.Consent(
            Period.ofMonths(12), 30)));
    private final PollSchedule schedule = new PollSchedule(jdbc, sources, Clock.systemUTC());
    private final EhrIngest ingest = new EhrIngest(sources, new EhrClient(FhirContext.forR4Cached(), Http.client()),
            new CursorStore(jdbc), queue, failed, Operations.with(RoundSettings.class,
                    Map.of("max-pages-per-poll", "2")), schedule, Clock.systemUTC());

    @AfterEach
    void stop() {
        ehr.close();
    }

    @Test
    void shouldGoOnWhereALongFirstPollStoppedAndMarkEveryPatientOnce() {
        for (int i = 0; i < 10; i++) {
            ehr.store(IpsFixtures.consent("k" + i, "p" + i).build());
        }
        schedule.claim("ehr");

        assertThat(ingest.poll("ehr", "Consent")).isEqualTo(6); // two pages of three
        assertThat(schedule.claim("ehr")).as("the next poll is asked for at once").isTrue();
        assertThat(ingest.poll("ehr", "Consent")).isEqualTo(4);
        assertThat(ingest.poll("ehr", "Consent")).isZero();

        assertThat(queue.size()).isEqualTo(10);
        assertThat(failed.open()).isEmpty();
        assertThat(ehr.requestCount()).as("no page read twice: 2 + 2 + 1 searches and pages").isLessThanOrEqualTo(6);
    }
}
