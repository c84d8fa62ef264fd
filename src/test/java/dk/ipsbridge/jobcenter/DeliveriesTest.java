package dk.ipsbridge.jobcenter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.DeliverySettings;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.config.Operations;
import dk.ipsbridge.config.RetrySettings;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.http.Http;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.review.CaseStore;
import dk.ipsbridge.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What a jobcenter's answer to a withdrawal means (case API 1.1.0): only the unknown-case 404 completes it. */
class DeliveriesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final JdbcClient jdbc = JdbcClient.create(TestDatabases.fresh(TestDatabases.Kind.H2));
    private final Outbox outbox = new Outbox(jdbc, TestKeys.atRest());
    private final FailedRecords failed = new FailedRecords(jdbc, TestKeys.atRest());
    private final Deliveries deliveries = new Deliveries(outbox, new CaseStore(jdbc), failed,
            new Instance("i1", Duration.ofMinutes(1)), Operations.defaults(DeliverySettings.class),
            Operations.defaults(RetrySettings.class), Clock.fixed(T0, ZoneOffset.UTC), new ObjectMapper(), Http.client(),
            null, null);

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "202 | '' | delivered",
        "404 | '{\"type\":\"https://ipsbridge.dk/problems/unknown-case\",\"title\":\"Unknown case\",\"status\":404}' "
                + "| delivered",
        "404 | '' | failed",
        "404 | '<html>Not Found</html>' | failed",
        "404 | '{\"type\":\"about:blank\",\"status\":404}' | failed",
        "404 | '{\"title\":\"Unknown case\"}' | failed"})
    void shouldCompleteAWithdrawalOnlyOnA2xxOrTheUnknownCaseProblem(int status, String body, String outcome) {
        outbox.enqueue("case-a", "jc-a", Outbox.WITHDRAWAL, 1, "{\"reason\":\"consent-withdrawn\"}", "c1", T0);
        Outbox.Delivery delivery = outbox.claim("jc-a", T0, 10, "i1", T0.plusSeconds(60)).get(0);
        long id = delivery.id();

        deliveries.settle(delivery, status, null, body);

        assertThat(jdbc.sql("select status from outbox where id = ?").param(id).query(String.class).single())
                .isEqualTo(outcome);
        assertThat(failed.open()).hasSize(outcome.equals("failed") ? 1 : 0);
    }

    /** {@code Deliveries.send} against a jobcenter on a local port: each meaning of the status table, settled. */
    @Nested
    class Send {

        private final WireMockServer jobcenter = started();
        private final Deliveries sending = new Deliveries(outbox, new CaseStore(jdbc), failed,
                new Instance("i1", Duration.ofMinutes(1)), Operations.defaults(DeliverySettings.class),
                Operations.defaults(RetrySettings.class), Clock.fixed(T0, ZoneOffset.UTC), new ObjectMapper(), Http.client(Map.of("http-timeout", "10s", "max-response-bytes", "4096")),
                directory(URI.create(jobcenter.baseUrl() + "/api/ips/v1")), null);

        @AfterEach
        void stop() {
            jobcenter.stop();
        }

        @Test
        void shouldSettleACaseRecordThatTheJobcenterTakes() {
            answer(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}"));
            Outbox.Delivery delivery = sharedCase(1);

            sending.send(delivery);

            assertThat(row(delivery.id()).status()).isEqualTo("delivered");
            assertThat(failed.open()).isEmpty();
            LoggedRequest request = jobcenter.getAllServeEvents().get(0).getRequest();
            assertThat(request.getMethod().value()).isEqualTo("PUT");
            assertThat(request.getUrl()).isEqualTo("/api/ips/v1/cases/case-a");
            assertThat(request.getBodyAsString()).isEqualTo("{\"revision\":1,\"name\":\"Søren\"}");
        }

        @Test
        void shouldSendNothingButTheRequestItselfNoInternalHeader() {
            answer(aResponse().withStatus(202));
            outbox.enqueue("case-a", "jc-a", Outbox.WITHDRAWAL, 1, "{\"reason\":\"consent-withdrawn\"}", "corr-1", T0);

            sending.send(claim());

            LoggedRequest request = jobcenter.getAllServeEvents().get(0).getRequest();
            assertThat(request.getMethod().value()).isEqualTo("POST");
            assertThat(request.getUrl()).isEqualTo("/api/ips/v1/cases/case-a/withdrawal");
            assertThat(request.getHeaders().all().stream().map(HttpHeader::key).map(String::toLowerCase).toList())
                    .isSubsetOf("content-type", "content-length", "host", "user-agent", "accept-encoding",
                            "connection", "upgrade", "http2-settings")
                    .contains("content-type");
            assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
            assertThat(request.getHeader("Accept-Encoding")).isEqualTo("identity");
            assertThat(request.getHeaders().all().toString()).doesNotContain("corr-1");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {429, 500, 502, 503, 504})
        void shouldLeaveADeliveryPendingWithALaterAttemptWhenTheJobcenterIsBusy(int status) {
            answer(aResponse().withStatus(status).withHeader("Retry-After", "120"));
            Outbox.Delivery delivery = sharedCase(1);

            sending.send(delivery);

            Row row = row(delivery.id());
            assertThat(row.status()).isEqualTo("pending");
            assertThat(row.attempts()).isEqualTo(1);
            assertThat(row.nextAttemptAt()).isEqualTo(T0.plusSeconds(120)); // Retry-After beats the 2 s backoff
            assertThat(failed.open()).isEmpty();
        }

        @Test
        void shouldRetryAJobcenterThatDoesNotAnswerLikeOneThatAnswers503() {
            jobcenter.stop();
            Outbox.Delivery delivery = sharedCase(1);

            sending.send(delivery);

            Row row = row(delivery.id());
            assertThat(row.status()).isEqualTo("pending");
            assertThat(row.attempts()).isEqualTo(1);
            assertThat(row.nextAttemptAt()).isAfter(T0);
            assertThat(failed.open()).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {400, 401, 403, 422, 302})
        void shouldGiveARefusedDeliveryToAnOperatorWithTheProblemsTitle(int status) {
            answer(aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                    .withBody("{\"type\":\"about:blank\",\"title\":\"Record invalid\",\"status\":" + status + "}"));
            Outbox.Delivery delivery = sharedCase(1);

            sending.send(delivery);

            assertThat(row(delivery.id()).status()).isEqualTo("failed");
            assertThat(failed.open()).singleElement().satisfies(record -> {
                assertThat(record.reason()).isEqualTo("rejected-by-jobcenter");
                assertThat(record.message()).isEqualTo("jobcenter jc-a answered " + status
                        + " to the case of case case-a: Record invalid");
            });
        }

        @Test
        void shouldSendACaseRecordAgainAboveTheRevisionTheJobcenterHolds() {
            answer(aResponse().withStatus(409).withHeader("Content-Type", "application/problem+json")
                    .withBody("{\"title\":\"Revision conflict\",\"status\":409,\"currentRevision\":7}"));
            Outbox.Delivery delivery = sharedCase(3);

            sending.send(delivery);

            assertThat(row(delivery.id()).status()).isEqualTo("pending");
            assertThat(jdbc.sql("select revision from outbox where id = ?").param(delivery.id()).query(Long.class)
                    .single()).isEqualTo(8L);
            assertThat(TestKeys.atRest().open(jdbc.sql("select payload from outbox where id = ?")
                    .param(delivery.id()).query(String.class).single(), "outbox.payload")).contains("\"revision\":8");
            assertThat(failed.open()).isEmpty();
        }

        @Test
        void shouldGiveUpARebaseWhenTheJobcenterHoldsNoHigherRevision() {
            answer(aResponse().withStatus(409).withBody("{\"title\":\"Revision conflict\",\"currentRevision\":2}"));
            Outbox.Delivery delivery = sharedCase(3);

            sending.send(delivery);

            assertThat(row(delivery.id()).status()).isEqualTo("failed");
            assertThat(failed.open()).singleElement().satisfies(record ->
                    assertThat(record.message()).endsWith("answered 409 to the case of case case-a: Revision conflict"));
        }

        @Test
        void shouldSupersedeOnAConflictWhenTheCaseChangedMeanwhile() {
            answer(aResponse().withStatus(409).withBody("{\"currentRevision\":7}"));
            Outbox.Delivery delivery = sharedCase(3);
            jdbc.sql("update ips_case set revision = 4").update();

            sending.send(delivery);

            assertThat(row(delivery.id()).status()).isEqualTo("superseded");
            assertThat(failed.open()).isEmpty();
        }

        @Test
        void shouldRefuseAnOversizedOrCompressedAnswerAsBadInputForTheErrorPolicy() {
            answer(aResponse().withStatus(200).withBody("x".repeat(4097)));
            Outbox.Delivery delivery = sharedCase(1);

            assertThatThrownBy(() -> sending.send(delivery)).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).reason()).isEqualTo("response-too-large"));

            jobcenter.resetAll();
            answer(aResponse().withStatus(200).withHeader("Content-Encoding", "gzip").withBody(new byte[] {31, -117}));
            assertThatThrownBy(() -> sending.send(delivery)).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).reason()).isEqualTo("compressed-response"));
        }

        private void answer(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
            jobcenter.stubFor(any(anyUrl()).willReturn(response));
        }
    }

    private Outbox.Delivery sharedCase(long revision) {
        jdbc.sql("insert into ips_case (source_id, patient_id, recipient, case_id, state, revision, updated_at) "
                + "values ('ehr', 'p1', 'jc-a', 'case-a', 'shared', ?, ?)")
                .params(revision, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)).update();
        outbox.enqueue("case-a", "jc-a", Outbox.CASE, revision,
                "{\"revision\":" + revision + ",\"name\":\"Søren\"}", "c1", T0);
        return claim();
    }

    private Outbox.Delivery claim() {
        return outbox.claim("jc-a", T0, 10, "i1", T0.plusSeconds(60)).get(0);
    }

    record Row(String status, int attempts, Instant nextAttemptAt) {
    }

    private Row row(long id) {
        return jdbc.sql("select status, attempts, next_attempt_at from outbox where id = ?").param(id)
                .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant())).single();
    }

    static JobcenterDirectory directory(URI baseUrl) {
        return new JobcenterDirectory(new IpsProperties("DK-82", List.of(), List.of(new IpsProperties.Jobcenter(
                "jc-a", "Jobcenter A", baseUrl, List.of("http://cvr.dk|12345678"))),
                new IpsProperties.Consent(java.time.Period.ofMonths(12), 30)));
    }

    static WireMockServer started() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return server;
    }
}
