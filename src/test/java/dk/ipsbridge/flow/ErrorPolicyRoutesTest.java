package dk.ipsbridge.flow;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.WorkCorrelation;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The error policy on the patient and outcome routes, driven one round at a time: the routes' timers are replaced with
 * {@code direct:} endpoints (AdviceWith) and nothing starts by itself. Bad input becomes a failed record; an
 * unavailable system (503) leaves the work to be retried and files nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorPolicyRoutesTest {

    private static final String REVIEW_ROUND = "direct:test-review-round";
    private static final String OUTCOME_ROUND = "direct:test-outcome-round";

    private MockEhr ehr;
    private MockJobcenter jobcenter;
    private MockJobcenter other;
    private ConfigurableApplicationContext adapter;
    private ProducerTemplate rounds;

    @BeforeAll
    void start() throws Exception {
        ehr = new MockEhr();
        jobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
        other = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME);
        MinimalRegion.storeInto(ehr);
        adapter = Adapter.start(TestDatabases.h2Url(), ehr, jobcenter, other, null, "camel.main.auto-startup=false");
        CamelContext camel = adapter.getBean(CamelContext.class);
        AdviceWith.adviceWith(camel, "patient-review", route -> route.replaceFromWith(REVIEW_ROUND));
        AdviceWith.adviceWith(camel, "outcome-collect", route -> route.replaceFromWith(OUTCOME_ROUND));
        for (String id : List.of("patient-review", "patient-decide", "outcome-collect", "outcome-collect-jobcenter")) {
            camel.getRouteController().startRoute(id);
        }
        rounds = camel.createProducerTemplate();
    }

    @AfterAll
    void stop() {
        adapter.close();
        ehr.close();
        jobcenter.close();
        other.close();
    }

    @BeforeEach
    void clear() {
        ehr.clearFaults();
        jobcenter.clearFaults();
    }

    @Nested
    class PatientRoutes {

        @Test
        void shouldFileAMalformedPatientAsAFailedReviewAndHoldThePatient() {
            PatientKey key = new PatientKey("ehr", "malformed");
            ehr.malformedBody(MockEhr.ANY_TYPE);
            adapter.getBean(ReviewQueue.class).changed(key, Instant.now());

            rounds.sendBody(REVIEW_ROUND, null);

            assertThat(failedAbout(key.reference())).singleElement().satisfies(record -> {
                assertThat(record.stage()).isEqualTo(FailedRecords.REVIEW);
                assertThat(record.sourceId()).isEqualTo("ehr");
            });
            assertThat(decisions(key)).isNotEmpty().allSatisfy(d -> {
                assertThat(d.outcome()).isEqualTo("held");
                assertThat(d.reason()).isEqualTo("consent-unreadable");
            });
        }

        @Test
        void shouldPostponeTheReviewWhenTheEhrAnswers503AndFileNothing() {
            PatientKey key = new PatientKey("ehr", "busy");
            ehr.failWith(MockEhr.ANY_TYPE, 503);
            ReviewQueue queue = adapter.getBean(ReviewQueue.class);
            queue.changed(key, Instant.now());
            ListAppender<ILoggingEvent> lines = capture("dk.ipsbridge.review.ReviewRecovery");

            rounds.sendBody(REVIEW_ROUND, null);

            assertThat(queue.attempts(key)).isEqualTo(1);
            assertThat(failedAbout(key.reference())).isEmpty();
            assertThat(decisions(key)).isEmpty();
            // the error policy's own line belongs to the patient's unit of work too
            assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getMDCPropertyMap())
                    .hasEntrySatisfying(WorkCorrelation.MDC_KEY, id -> assertThat(id).matches("review-[0-9a-f]{12}")));
        }
    }

    @Nested
    class OutcomeRoutes {

        @Test
        void shouldFileABadOutcomeEventAsAFailedRecordAndReadOn() {
            // one page with an item that breaks the contract, then the end of the feed
            jobcenter.wireMock().stubFor(get(urlPathEqualTo(MockJobcenter.BASE_PATH + "/outcomes")).atPriority(2)
                    .willReturn(okJson("{\"items\":[{\"eventId\":\"not a valid id\",\"type\":\"job-started\"}],"
                            + "\"nextCursor\":\"page-1\"}")));
            jobcenter.wireMock().stubFor(get(urlPathEqualTo(MockJobcenter.BASE_PATH + "/outcomes")).atPriority(1)
                    .withQueryParam("after", equalTo("page-1")).willReturn(okJson("{\"items\":[],\"nextCursor\":\"page-1\"}")));

            rounds.sendBody(OUTCOME_ROUND, null);

            assertThat(adapter.getBean(FailedRecords.class).open()).anySatisfy(record -> {
                assertThat(record.stage()).isEqualTo(FailedRecords.OUTCOME);
                assertThat(record.recipient()).isEqualTo(jobcenter.id());
                assertThat(record.reason()).isEqualTo("invalid-outcome");
            });
            assertThat(cursor(jobcenter.id())).as("the feed went on past the bad item").isEqualTo("page-1");
        }

        @Test
        void shouldKeepTheCursorWhenTheFeedAnswers503() {
            String before = cursor(other.id());
            other.failNext(503, 5);
            int failedBefore = adapter.getBean(FailedRecords.class).open().size();

            rounds.sendBody(OUTCOME_ROUND, null);

            assertThat(cursor(other.id())).isEqualTo(before);
            assertThat(adapter.getBean(FailedRecords.class).open()).hasSize(failedBefore);
        }
    }

    private List<FailedRecord> failedAbout(String subject) {
        return adapter.getBean(FailedRecords.class).open().stream().filter(r -> subject.equals(r.subject())).toList();
    }

    private List<Decision> decisions(PatientKey key) {
        return adapter.getBean(DecisionLog.class).forPatient(key.sourceId(), key.reference());
    }

    private String cursor(String jobcenterId) {
        return adapter.getBean(JdbcClient.class).sql("select feed_cursor from outcome_cursor where jobcenter_id = ?")
                .param(jobcenterId).query(String.class).optional().orElse(null);
    }

    private static ListAppender<ILoggingEvent> capture(String loggerName) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(loggerName)).addAppender(appender);
        return appender;
    }
}
