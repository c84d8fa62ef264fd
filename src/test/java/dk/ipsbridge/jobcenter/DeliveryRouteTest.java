package dk.ipsbridge.jobcenter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.DeliverySettings;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.RetrySettings;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.Policies;
import dk.ipsbridge.http.Http;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.review.CaseStore;
import dk.ipsbridge.review.PatientReview;
import dk.ipsbridge.store.TestDatabases;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The delivery routes as shipped ({@code camel-routes/jobcenter-delivery.yaml} with {@code error-policy.yaml}), made
 * from the template for one jobcenter on a local port, with the real {@link Deliveries} and error policy on H2: what
 * each jobcenter answer leaves in the outbox and the failed records.
 */
class DeliveryRouteTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final Outbox outbox = new Outbox(jdbc, TestKeys.atRest());
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final WireMockServer jobcenter = DeliveriesTest.started();
    private final CamelContext camel = new DefaultCamelContext();

    /** The patient is read again before a case record goes out; here the consent always still holds. */
    public static final class ConsentStillHolds {
        final AtomicInteger reads = new AtomicInteger();

        public void recheckBeforeDelivery(Outbox.Delivery delivery) {
            reads.incrementAndGet(); // nothing changed in the EHR
        }
    }

    private final ConsentStillHolds ehr = new ConsentStillHolds();
    /** The review round that reads a backlog's patients again together; by default it settles none of them. */
    private final PatientReview rounds = mock(PatientReview.class);

    @BeforeEach
    void start() throws Exception {
        Deliveries deliveries = new Deliveries(outbox, new CaseStore(jdbc), failed,
                new Instance("i1", Duration.ofMinutes(1)), Operations.defaults(DeliverySettings.class),
                Operations.defaults(RetrySettings.class), clock, new ObjectMapper(),
                Http.client(Map.of("http-timeout", "10s", "max-response-bytes", "4096")),
                DeliveriesTest.directory(URI.create(jobcenter.baseUrl() + "/api/ips/v1")), rounds);
        camel.getRegistry().bind("deliveries", deliveries);
        camel.getRegistry().bind("patientReview", ehr);
        camel.getRegistry().bind("errorPolicy", Policies.errorPolicy(
                List.of(new DeliveryRecovery(deliveries, outbox, clock)), clock));
        Properties properties = new Properties();
        properties.setProperty("ips.operations.delivery-interval", "50");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getExecutorServiceManager().registerThreadPoolProfile( // as TemplatedRoutes does
                new ThreadPoolProfileBuilder("ips-delivery").poolSize(4).maxPoolSize(4).maxQueueSize(-1).build());
        for (String file : List.of("error-policy.yaml", "jobcenter-delivery.yaml")) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:camel-routes/" + file));
        }
        camel.start();
        TemplatedRouteBuilder.builder(camel, "jobcenter-deliver").routeId("jobcenter-deliver-jc-a")
                .parameter("jobcenterId", "jc-a").add();
    }

    @AfterEach
    void stop() {
        camel.stop();
        jobcenter.stop();
    }

    @Test
    void shouldNameTheErrorPolicyOnEveryDeliveryRoute() {
        ModelCamelContext model = (ModelCamelContext) camel;
        assertThat(model.getRouteDefinition("jobcenter-deliver-jc-a").getRouteConfigurationId())
                .isEqualTo("ips-error-policy");
        assertThat(model.getRouteDefinition("jobcenter-deliver").getRouteConfigurationId())
                .isEqualTo("ips-error-policy");
    }

    @Test
    void shouldSettleACaseRecordTheJobcenterTakes() {
        answer(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}"));

        long id = deliverOne();

        assertThat(status(id)).isEqualTo("delivered");
        assertThat(failed.open()).isEmpty();
        assertThat(jobcenter.getAllServeEvents()).singleElement()
                .satisfies(e -> assertThat(e.getRequest().getUrl()).isEqualTo("/api/ips/v1/cases/case-a"));
    }

    @Test
    void shouldLeaveTheDeliveryPendingWithALaterAttemptOn503() {
        answer(aResponse().withStatus(503).withHeader("Retry-After", "30"));

        long id = deliverOne();

        assertThat(status(id)).isEqualTo("pending");
        assertThat(jdbc.sql("select attempts from outbox where id = ?").param(id).query(Integer.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select next_attempt_at from outbox where id = ?").param(id)
                .query(OffsetDateTime.class).single().toInstant()).isEqualTo(T0.plusSeconds(30));
        assertThat(failed.open()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {400, 422})
    void shouldGiveARejectedCaseRecordToAFailedRecord(int status) {
        answer(aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Record invalid\",\"status\":" + status + "}"));

        long id = deliverOne();

        assertThat(status(id)).isEqualTo("failed");
        assertThat(failed.open()).singleElement().satisfies(record -> {
            assertThat(record.reason()).isEqualTo("rejected-by-jobcenter");
            assertThat(record.subject()).isEqualTo("outbox/" + id);
        });
    }

    @Test
    void shouldGiveAnOversizedAnswerToTheErrorPolicyAsBadInput() {
        answer(aResponse().withStatus(200).withBody("x".repeat(5000)));

        long id = deliverOne();

        assertThat(status(id)).isEqualTo("failed");
        assertThat(failed.open()).singleElement()
                .satisfies(record -> assertThat(record.reason()).isEqualTo("response-too-large"));
    }

    @Test
    void shouldLetNoInternalHeaderReachTheJobcenter() throws Exception {
        AdviceWith.adviceWith(camel, "jobcenter-deliver", route -> route.weaveAddFirst()
                .setHeader("X-Ips-Internal", route.constant("internal")).setHeader("ipsCorrelation",
                        route.constant("corr-1")));
        answer(aResponse().withStatus(200));

        deliverOne();

        var request = jobcenter.getAllServeEvents().get(0).getRequest();
        assertThat(request.getHeaders().keys()).noneMatch(name -> name.toLowerCase().startsWith("x-ips")
                || name.toLowerCase().startsWith("ips") || name.toLowerCase().startsWith("camel"));
        assertThat(request.getHeaders().all().toString()).doesNotContain("internal").doesNotContain("corr-1");
    }

    @Test
    void shouldSendACaseRecordDecidedFromARecentReadWithoutReadingTheEhrAgain() {
        answer(aResponse().withStatus(200));

        long id = deliverOne(T0.minusSeconds(9));

        assertThat(status(id)).isEqualTo("delivered");
        assertThat(ehr.reads).hasValue(0);
    }

    @Test
    void shouldReadTheEhrAgainBeforeSendingACaseRecordDecidedFromAnOldRead() {
        answer(aResponse().withStatus(200));

        long id = deliverOne(T0.minusSeconds(11)); // delivery-read-max-age is 10s

        assertThat(status(id)).isEqualTo("delivered");
        assertThat(ehr.reads).hasValue(1);
    }

    @Test
    void shouldSendNothingOfARecentDecisionWhenARevocationIsObservedBeforeItGoesOut() throws Exception {
        // a review observes the revocation while the delivery is on its way: the case is no longer shared
        AdviceWith.adviceWith(camel, "jobcenter-deliver", route -> route.weaveByToString(".*stillWanted.*").selectLast()
                .before().process(exchange -> jdbc.sql("update ips_case set state = 'withdrawn'").update()));
        answer(aResponse().withStatus(200));

        long id = deliverOne(T0);

        assertThat(status(id)).isEqualTo("superseded");
        assertThat(jobcenter.getAllServeEvents()).isEmpty();
    }

    @Test
    void shouldReadTheEhrAgainForABacklogOfOldReadsTogetherAndThenNotOneByOne() {
        answer(aResponse().withStatus(200));
        when(rounds.reread(anyList())).thenAnswer(call -> ((List<PatientKey>) call.getArgument(0)).stream()
                .collect(Collectors.toMap(key -> key, key -> T0)));
        NotifyBuilder handled = new NotifyBuilder(camel).fromCurrentRoute("jobcenter-deliver").whenDone(3).create();
        for (String patient : List.of("p1", "p2", "p3")) {
            jdbc.sql("insert into ips_case (source_id, patient_id, recipient, case_id, state, revision, updated_at) "
                    + "values ('ehr', ?, 'jc-a', ?, 'shared', 1, ?)").params(patient, "case-" + patient,
                    OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)).update();
            // not due yet, so that one round claims all three
            outbox.enqueue("case-" + patient, "jc-a", Outbox.CASE, 1, "{}", "c1", T0.minusSeconds(60), T0.plusSeconds(60));
        }
        jdbc.sql("update outbox set next_attempt_at = ?").param(OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)).update();

        assertThat(handled.matches(30, TimeUnit.SECONDS)).as("the delivery route ran").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from outbox where status = "
                + "'delivered'").query(Integer.class).single() == 3);
        verify(rounds).reread(List.of(new PatientKey("ehr", "p1"), new PatientKey("ehr", "p2"),
                new PatientKey("ehr", "p3")));
        assertThat(ehr.reads).hasValue(0);
    }

    /** Queues a case record for a shared case and waits until the route has handled it once. */
    private long deliverOne() {
        return deliverOne(null);
    }

    /** As above, for a record decided from an EHR read that began at {@code readAt}. */
    private long deliverOne(Instant readAt) {
        NotifyBuilder handled = new NotifyBuilder(camel).fromCurrentRoute("jobcenter-deliver").whenDone(1).create();
        jdbc.sql("insert into ips_case (source_id, patient_id, recipient, case_id, state, revision, updated_at) "
                + "values ('ehr', 'p1', 'jc-a', 'case-a', 'shared', 1, ?)")
                .param(OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)).update();
        outbox.enqueue("case-a", "jc-a", Outbox.CASE, 1, "{\"revision\":1}", "c1", readAt, T0);
        long id = jdbc.sql("select max(id) from outbox").query(Long.class).single();
        assertThat(handled.matches(30, TimeUnit.SECONDS)).as("the delivery route ran").isTrue();
        // the parallel split may signal a delivery as done before its steps are: wait for the row to settle
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from outbox where id = ? and "
                + "(status <> 'pending' or attempts > 0)").param(id).query(Integer.class).single() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size() == 0); // and the rest
        return id;
    }

    private String status(long id) {
        return jdbc.sql("select status from outbox where id = ?").param(id).query(String.class).single();
    }

    private void answer(ResponseDefinitionBuilder response) {
        jobcenter.stubFor(any(anyUrl()).willReturn(response));
    }
}
