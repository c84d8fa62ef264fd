package dk.ipsbridge.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

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
import org.hl7.fhir.r4.model.Consent;
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

    /**
     * A search's list is fixed when it is made and each resource read when its page is: one that changed meanwhile
     * comes in its new version, newer than the search, while one changed meanwhile outside the list does not come. The
     * cursor must then not move past the search, or that change is never read (found by the kill -9 fault test: a
     * citizen's last goal never reached the jobcenter).
     */
    @Test
    void shouldNotMoveTheCursorPastTheSearchWhenAResourceChangedWhileItsPagesWereRead() {
        CursorStore.Cursor newest = new CursorStore.Cursor("2026-12-03T10:00:05.000Z", java.util.Set.of("Goal/g/2"));
        Instant newestAt = Instant.parse("2026-12-03T10:00:05Z");
        String searchedAt = "2026-12-03T10:00:01.000Z";
        CursorStore.Cursor before = new CursorStore.Cursor("2026-12-03T09:00:00.000Z", java.util.Set.of());

        Instant asked = Instant.parse("2026-12-03T10:00:01.500Z");

        assertThat(EhrIngest.cursorAfter(before, newest, newestAt, 3, searchedAt, asked))
                .isEqualTo(new CursorStore.Cursor(searchedAt, java.util.Set.of()));
        assertThat(EhrIngest.cursorAfter(null, newest, newestAt, 2, searchedAt, asked).lastUpdated())
                .isEqualTo(searchedAt);
        // one page too: HAPI may answer from a result it made a minute before
        assertThat(EhrIngest.cursorAfter(before, newest, newestAt, 1, searchedAt, asked).lastUpdated())
                .isEqualTo(searchedAt);
        // nothing newer than the search: the newest seen
        assertThat(EhrIngest.cursorAfter(before, newest, newestAt, 3, "2026-12-03T10:00:06.000Z", asked))
                .isEqualTo(newest);
        // never back before where the poll began
        CursorStore.Cursor late = new CursorStore.Cursor("2026-12-03T10:00:02.000Z", java.util.Set.of("Goal/h/1"));
        assertThat(EhrIngest.cursorAfter(late, newest, newestAt, 3, searchedAt, asked)).isEqualTo(late);
        // an EHR that does not say when it searched: one page is read as found; several count from a minute before
        // we asked
        assertThat(EhrIngest.cursorAfter(before, newest, newestAt, 1, null, asked)).isEqualTo(newest);
        assertThat(EhrIngest.cursorAfter(before, newest, newestAt, 3, "not an instant", asked).lastUpdated())
                .isEqualTo("2026-12-03T09:59:01.500Z");
    }

    @Test
    void shouldReadAChangeMadeOutsideASearchWhileItsPagesWereRead() {
        for (int i = 0; i < 6; i++) {
            ehr.store(IpsFixtures.consent("k" + i, "p" + i).build());
        }
        AtomicBoolean changed = new AtomicBoolean();
        ehr.wireMock().addMockServiceRequestListener((request, response) -> {
            if (request.getUrl().startsWith("/fhir/Consent?") && changed.compareAndSet(false, true)) {
                ehr.store(IpsFixtures.consent("late", "p-late").build()); // not in the search's list
                Consent k5 = (Consent) ehr.resource("Consent", "k5").orElseThrow();
                ehr.store(k5.setDateTime(new java.util.Date())); // in the list, on its last page, now newer
            }
        });
        schedule.claim("ehr");

        assertThat(ingest.poll("ehr", "Consent")).isEqualTo(6); // two pages of three; "late" is not in the list
        await().atMost(Duration.ofSeconds(5)).untilTrue(changed);
        ingest.poll("ehr", "Consent");

        assertThat(queue.due(Instant.now().plusSeconds(1), 100)).extracting(k -> k.patientId()).contains("p-late");
    }
}
