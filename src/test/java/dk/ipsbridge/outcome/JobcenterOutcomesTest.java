package dk.ipsbridge.outcome;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.http.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An outcome event's id must match the contract's pattern; one that does not is refused without ever being repeated
 * in a problem, an exception or a failed record's subject (it may hold line breaks, query syntax or a CPR).
 */
class JobcenterOutcomesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPR = "0404904004";

    static Stream<String> hostileIds() {
        return Stream.of("evt-1\r\nX-Injected: yes", "evt-2\n", "evt-3&identifier=x", "evt-4|other",
                "evt " + CPR, "cpr=" + CPR + "&x", "e".repeat(65), "", "évt-5", "evt-6%0D%0A");
    }

    @ParameterizedTest
    @MethodSource("hostileIds")
    void shouldRefuseAnEventIdOutsideTheContractsPatternWithoutQuotingIt(String eventId) {
        ObjectNode item = event(eventId);

        String problem = JobcenterOutcomes.problem(item);

        assertThat(problem).isNotNull().doesNotContain(CPR);
        if (!eventId.isBlank()) {
            assertThat(problem).doesNotContain(eventId);
        }
        assertThatThrownBy(() -> new JobcenterOutcomes(null).parse(item.toString()))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CPR).doesNotContain("identifier=x")
                        .doesNotContain("\r").doesNotContain("\n"));
        assertThat(OutcomeWriteBack.subject(null, item.toString())).startsWith("outcome item sha256:")
                .doesNotContain(CPR).doesNotContain("\r").doesNotContain("\n").doesNotContain("&");
    }

    @Test
    void shouldAcceptEventIdsOfUpTo64CharactersFromTheContractsAlphabet() {
        assertThat(JobcenterOutcomes.problem(event("e".repeat(64)))).isNull();
        assertThat(JobcenterOutcomes.problem(event("A-z_0.9:x"))).isNull();
        assertThat(JobcenterOutcomes.problem(event("e".repeat(65)))).isNotNull();
    }

    @Test
    void shouldNameAFailedItemByItsJsonWhenItsIdIsInvalidOrShowsADigitRun() {
        String one = event("evt-1\r\n").toString();
        String other = event("evt-2\r\n").toString();

        assertThat(OutcomeWriteBack.subject("evt-ok", "{}")).isEqualTo("outcome evt-ok");
        assertThat(OutcomeWriteBack.subject(null, one)).isNotEqualTo(OutcomeWriteBack.subject(null, other))
                .isEqualTo(OutcomeWriteBack.subject(null, one));
        assertThat(OutcomeWriteBack.subject("evt-" + CPR, "{}")).startsWith("outcome item sha256:")
                .doesNotContain(CPR);
    }

    @Test
    void shouldReadARetractionWithTheEventItTakesBack() {
        ObjectNode item = event("evt-9").put("type", "retracted").put("retractsEventId", "evt-8");

        OutcomeEvent event = new JobcenterOutcomes(null).parse(item.toString());

        assertThat(event.isRetraction()).isTrue();
        assertThat(event.retractsEventId()).isEqualTo("evt-8");
        assertThat(JobcenterOutcomes.problem(event("evt-9").put("type", "retracted"))).isNotNull();
        assertThat(JobcenterOutcomes.problem(event("evt-9").put("type", "retracted")
                .put("retractsEventId", "evt-8&identifier=x"))).isNotNull().doesNotContain("identifier=x");
        assertThat(JobcenterOutcomes.problem(event("evt-9").put("type", "retracted")
                .put("retractsEventId", "evt-9"))).isNotNull();
    }

    @Test
    void shouldAcceptTheOutcomeTypesOfContract11() {
        for (String type : new String[] {"internship-started", "internship-ended"}) {
            assertThat(JobcenterOutcomes.problem(event("evt-1").put("type", type))).as(type).isNull();
        }
    }

    @Test
    void shouldReadTheEmploymentTermsAndRefuseOthersWithoutQuotingThem() {
        assertThat(new JobcenterOutcomes(null).parse(event("evt-1").put("type", "job-started")
                .put("employmentTerms", "subsidised").toString()).employmentTerms()).isEqualTo("subsidised");
        assertThat(new JobcenterOutcomes(null).parse(event("evt-1").put("type", "job-started").toString())
                .employmentTerms()).isNull();
        assertThat(JobcenterOutcomes.problem(event("evt-1").put("type", "job-started")
                .put("employmentTerms", "0101901234"))).isEqualTo(
                        "outcome event employmentTerms is not one of [ordinary, subsidised]");
        assertThat(JobcenterOutcomes.problem(event("evt-1").put("type", "job-started").put("employmentTerms", 1)))
                .isNotNull();
    }

    /** {@code fetch}: one page of the outcomes feed over HTTP, through the one client. */
    @Nested
    class Fetch {

        private final WireMockServer jobcenter = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        private JobcenterOutcomes outcomes;
        private Jobcenter jc;

        @BeforeEach
        void start() {
            jobcenter.start();
            jc = new Jobcenter("jc-a", "Jobcenter A", URI.create(jobcenter.baseUrl() + "/api/ips/v1"),
                    List.of("http://cvr.dk|12345678"));
            outcomes = new JobcenterOutcomes(Http.client(Map.of("max-response-bytes", "4096")));
        }

        @AfterEach
        void stop() {
            jobcenter.stop();
        }

        @Test
        void shouldReadAPageSettingApartTheItemsThatBreakTheContract() {
            answer(200, "{\"items\":[" + event("evt-1") + "," + event("evt-2\r\n") + "],\"nextCursor\":\"c-2\"}");

            JobcenterOutcomes.Page page = outcomes.fetch(jc, "c 1&x", 50);

            assertThat(page.events()).extracting(r -> r.event().eventId()).containsExactly("evt-1");
            assertThat(page.bad()).singleElement().satisfies(bad -> assertThat(bad.eventId()).isNull());
            assertThat(page.nextCursor()).isEqualTo("c-2");
            assertThat(jobcenter.getAllServeEvents().get(0).getRequest().getUrl())
                    .isEqualTo("/api/ips/v1/outcomes?limit=50&after=c+1%26x");
        }

        @Test
        void shouldCallABusyJobcenterUnavailableWithItsRetryAfter() {
            jobcenter.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "60")));

            assertThatThrownBy(() -> outcomes.fetch(jc, null, 50)).isInstanceOf(UnavailableException.class)
                    .satisfies(e -> assertThat(((UnavailableException) e).retryAfter())
                            .isEqualTo(Duration.ofSeconds(60)));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "404 | {} | jobcenter-http-404",
            "200 | <html/> | malformed-outcomes",
            "200 | [] | malformed-outcomes",
            "200 | '{\"items\":[]}' | malformed-outcomes",
            "200 | '{\"items\":{},\"nextCursor\":\"c\"}' | malformed-outcomes",
            "200 | '{\"items\":[],\"nextCursor\":\"c\",\"nextCursor\":\"d\"}' | malformed-outcomes"})
        void shouldRefuseAPageThatIsNotAnOutcomesPage(int status, String body, String reason) {
            answer(status, body);

            assertThatThrownBy(() -> outcomes.fetch(jc, null, 50)).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).reason()).isEqualTo(reason));
        }

        @Test
        void shouldRefuseAnOversizedPage() {
            answer(200, "{\"items\":[],\"nextCursor\":\"" + "c".repeat(5000) + "\"}");

            assertThatThrownBy(() -> outcomes.fetch(jc, null, 50)).isInstanceOf(BadInputException.class)
                    .satisfies(e -> assertThat(((BadInputException) e).reason()).isEqualTo("response-too-large"));
        }

        private void answer(int status, String body) {
            jobcenter.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)
                    .withHeader("Content-Type", "application/json").withBody(body)));
        }
    }

    @Test
    void shouldRefuseAReplayedItemWithADuplicateKeyOrTrailingContent() {
        String item = event("evt-1").toString();

        assertThat(new JobcenterOutcomes(null).parse(item).eventId()).isEqualTo("evt-1");
        assertThatThrownBy(() -> new JobcenterOutcomes(null).parse(item + "{}"))
                .isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> new JobcenterOutcomes(null).parse(item.replace("{", "{\"cpr\":\"x\",")))
                .isInstanceOf(BadInputException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain(CPR));
    }

    private static ObjectNode event(String eventId) {
        return JSON.createObjectNode().put("eventId", eventId).put("caseId", "ipsabcdef").put("cpr", CPR)
                .put("type", "job-started").put("occurredOn", "2026-11-30");
    }
}
