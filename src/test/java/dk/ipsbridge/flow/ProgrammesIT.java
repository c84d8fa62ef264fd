package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.demo.ProgrammeWorld;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import dk.ipsbridge.testkit.cohort.ProgrammeCohort;
import dk.ipsbridge.testkit.cohort.ProgrammeCohort.Citizen;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 18: each programme's configuration in {@code config/examples/}, started as regional IT would start it (only
 * the endpoints from the environment), against the kit's mocks: a mock EHR per source holding a cohort shaped like the
 * programme, a mock jobcenter per municipality reporting the citizens' courses. Every case arrives, every consented
 * outcome is collected, and the results the adapter computes equal the programme's published figures, computed by
 * hand in {@link ProgrammeCohort}.
 */
class ProgrammesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalUsers users = LocalUsers.random();
    private final Instant now = Instant.now();
    private ProgrammeWorld world;
    private String base;

    @AfterEach
    void stopAll() {
        if (world != null) {
            world.close();
        }
    }

    static Stream<Arguments> programmes() {
        return Stream.of(
                Arguments.of("ips-vestsjaelland", Map.of("psykiatrien-vest", 57.7)), // 97 of 168
                Arguments.of("region-hovedstaden", Map.of("psykiatrien-hovedstaden", 62.2)), // 216 of 347
                Arguments.of("region-syddanmark", Map.of("lokalpsykiatri", 60.0, "att", 35.0)), // 60/100, 14/40
                Arguments.of("copenhagen-substance-use", Map.of("psykiatrien-hovedstaden", 62.2, "kk-misbrug", 25.2)));
    }

    /** Each configuration: every case delivered in its source's programme, and the published share reproduced. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("programmes")
    void eachProgrammeConfigurationDeliversAndReproducesItsFigures(String programme,
            Map<String, Double> percentBySource) throws Exception {
        world = ProgrammeWorld.prepare(programme, now);
        List<ProgrammeCohort> cohorts = world.cohorts();
        start();
        int citizens = cohorts.stream().mapToInt(c -> c.figures().referred()).sum();
        awaitCases(citizens);
        for (ProgrammeCohort cohort : cohorts) {
            String track = cohort.programme() == null ? "ips-general" : cohort.programme();
            for (Citizen c : cohort.citizens()) {
                JsonNode record = world.jobcenters().get(c.site().jobcenterId()).caseFor(c.cpr()).orElseThrow();
                assertThat(record.at("/referral/programme").asText()).as(cohort.sourceId()).isEqualTo(track);
            }
        }
        reportAndCollect(cohorts);

        JsonNode results = get("/api/results");
        percentBySource.forEach((source, percent) -> {
            JsonNode all = row(results, source, "all");
            assertThat(all.path("workOrEducationPercent").asDouble()).as(source).isEqualTo(percent);
        });
        // no count of one to four citizens leaves the adapter, whatever the cell
        for (JsonNode row : results.path("rows")) {
            row.fields().forEachRemaining(field -> {
                if (field.getValue().path("value").isNumber()) {
                    int count = field.getValue().path("value").asInt();
                    assertThat(count == 0 || count >= 5).as("%s is %d", field.getKey(), count).isTrue();
                }
            });
        }
        if (programme.equals("region-syddanmark")) {
            // ATT's 14 in work over five jobcenters: 3, 3, 3, 3 and 2, each suppressed with its share
            assertThat(row(results, "att", "jc-odense").path("workOrEducation").path("value").isNumber()).isFalse();
            assertThat(row(results, "att", "jc-odense").path("workOrEducationPercent").isNumber()).isFalse();
            assertThat(row(results, "att", "jc-odense").path("referred").path("value").asInt()).isEqualTo(8);
        }
        ProgrammeCohort first = cohorts.get(0);
        JsonNode firstAll = row(results, first.sourceId(), "all");
        assertThat(firstAll.path("referred").path("value").asInt()).isEqualTo(first.figures().referred());
        assertThat(firstAll.path("internship").path("value").asInt()).isEqualTo(first.figures().internships());
        assertThat(firstAll.path("completed").path("value").asInt()).isEqualTo(first.figures().completed());
        assertNoPersonalData(results.toString(), cohorts);
    }

    /**
     * IPS Vestsjælland in full: 168 referred, 57.7 % in work or education, 62.5 % with an internship, 51.6 % of the 62
     * who completed in work or education after; a retracted job no longer counts; the CSV and the page in a browser.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void ipsVestsjaellandsResultsOnThePageInTheCsvAndAfterARetraction(Kind store) throws Exception {
        world = ProgrammeWorld.prepare("ips-vestsjaelland", now);
        ProgrammeCohort cohort = world.cohorts().get(0);
        start(store == Kind.H2 ? TestDatabases.h2Url() : TestDatabases.postgresUrl());
        awaitCases(168);
        reportAndCollect(List.of(cohort));

        JsonNode all = row(get("/api/results"), cohort.sourceId(), "all");
        assertThat(all.path("workOrEducationPercent").asDouble()).isEqualTo(57.7); // 97 of 168
        assertThat(all.path("internshipPercent").asDouble()).isEqualTo(62.5); // 105 of 168
        assertThat(all.path("workOrEducationAfterPercent").asDouble()).isEqualTo(51.6); // 32 of 62
        for (String jc : List.of("jc-slagelse", "jc-kalundborg", "jc-holbaek")) {
            assertThat(row(get("/api/results"), cohort.sourceId(), jc).path("referred").path("value").asInt())
                    .isEqualTo(56);
        }

        // citizen 1 (job-started, event 1) was in work only by that event: Slagelse retracts it (C16)
        Citizen one = cohort.citizens().get(1);
        assertThat(one.events().get(1).type()).isEqualTo("job-started");
        world.jobcenters().get(one.site().jobcenterId()).retractOutcome(cohort.sourceId() + "-1-1", one.referredOn().plusDays(99));
        await().atMost(Duration.ofSeconds(60)).until(() -> world.ehr(cohort.sourceId()).resources(Observation.class)
                .stream().anyMatch(o -> o.getStatus() == Observation.ObservationStatus.ENTEREDINERROR));
        await().atMost(Duration.ofSeconds(10)).until(() -> row(get("/api/results"), cohort.sourceId(), "all")
                .path("workOrEducation").path("value").asInt() == 96);
        assertThat(row(get("/api/results"), cohort.sourceId(), "all").path("workOrEducationPercent").asDouble())
                .isEqualTo(57.1); // 96 of 168

        String csv = text("/api/results.csv");
        assertThat(csv).startsWith("source,programme,jobcenter,referred,work_or_education,")
                .contains("\r\npsykiatrien-vest,ips-general,all,168,96,57.1,105,62.5,");
        assertNoPersonalData(csv, List.of(cohort));

        WebDriver browser = Browser.start();
        try {
            Browser.logIn(browser, base, LocalUsers.OPERATOR, users.operatorPassword());
            browser.get(base + "/results");
            var total = browser.findElement(By.cssSelector("section.programme tr[data-jobcenter='all']"));
            assertThat(total.findElement(By.className("referred")).getText()).isEqualTo("168");
            assertThat(total.findElement(By.className("work-percent")).getText()).isEqualTo("57.1");
            assertThat(total.findElement(By.className("after-percent")).getText()).isEqualTo("51.6");
            assertThat(browser.findElements(By.cssSelector("svg.chart rect.work"))).hasSize(4);
            assertNoPersonalData(browser.getPageSource(), List.of(cohort));
        } finally {
            browser.quit();
        }
    }

    /**
     * Region Syddanmark, two sources: a citizen in both (same CPR) who consents to Odense in each gets one case per
     * source, each in its own track; a withdrawal at ATT withdraws only ATT's case. A consent at ATT naming Middelfart,
     * with which ATT has no agreement, shares nothing.
     */
    @Test
    void regionSyddanmarksTwoSourcesStayApartAtTheJobcentersInBoth() throws Exception {
        world = ProgrammeWorld.prepare("region-syddanmark", now);
        ProgrammeCohort lokal = world.cohorts().get(0);
        ProgrammeCohort att = world.cohorts().get(1);
        String cpr = "0101801234";
        Citizen inLokal = new Citizen(900, "lokal-both", cpr, ProgrammeCohort.ODENSE, lokal.citizens().get(0)
                .referredOn(), List.of());
        Citizen inAtt = new Citizen(901, "att-both", cpr, ProgrammeCohort.ODENSE, att.citizens().get(0).referredOn(),
                List.of());
        Citizen notAgreed = new Citizen(902, "att-middelfart", "0202801234", ProgrammeCohort.MIDDELFART,
                att.citizens().get(0).referredOn(), List.of());
        world.ehr("lokalpsykiatri").store(lokal.resourcesOf(inLokal));
        world.ehr("att").store(att.resourcesOf(inAtt));
        world.ehr("att").store(lokal.common()); // Middelfart's Organization and consultant
        world.ehr("att").store(att.resourcesOf(notAgreed));
        start();
        awaitCases(100 + 40 + 2);

        MockJobcenter odense = world.jobcenters().get("jc-odense");
        List<JsonNode> both = odense.cases().values().stream().filter(r -> cpr.equals(r.at("/citizen/cpr").asText()))
                .toList();
        assertThat(both).hasSize(2).extracting(r -> r.at("/referral/programme").asText())
                .containsExactlyInAnyOrder("ips-general", "ips-ptsd");
        String attCase = both.stream().filter(r -> r.at("/referral/programme").asText().equals("ips-ptsd"))
                .findFirst().orElseThrow().path("caseId").asText();
        String lokalCase = both.stream().filter(r -> !r.path("caseId").asText().equals(attCase)).findFirst()
                .orElseThrow().path("caseId").asText();
        assertThat(world.jobcenters().get("jc-middelfart").caseFor("0202801234")).isEmpty();
        assertThat(new JdbcTemplate(world.adapter().getBean(javax.sql.DataSource.class)).queryForObject(
                "select count(*) from decision where source_id = 'att' and recipient = 'jc-middelfart'"
                        + " and reason = 'recipient-not-agreed'", Integer.class)).isPositive();

        Consent withdrawn = (Consent) att.resourcesOf(inAtt).stream().filter(Consent.class::isInstance).findFirst()
                .orElseThrow();
        withdrawn.setStatus(Consent.ConsentState.INACTIVE);
        world.ehr("att").store(withdrawn);
        await().atMost(Duration.ofSeconds(60)).until(() -> odense.withdrawals().containsKey(attCase));
        Thread.sleep(1_000);
        assertThat(odense.withdrawals()).doesNotContainKey(lokalCase);
    }

    private void start() {
        start(TestDatabases.h2Url());
    }

    /** The programme's configuration on this database, with short intervals, test keys and users. */
    private void start(String db) {
        List<String> settings = new ArrayList<>(List.of("server.port=0", "spring.datasource.url=" + db,
                "spring.datasource.username=postgres", "spring.datasource.password=postgres",
                "camel.springboot.main-run-controller=false", "IPS_POLL_INTERVAL=300ms",
                "ips.operations.poll-check-interval=100ms", "ips.operations.review-interval=200ms",
                "ips.operations.delivery-interval=200ms", "ips.operations.outcome-interval=300ms"));
        settings.addAll(Adapter.LEDGER_KEYS.properties());
        settings.addAll(users.settings());
        world.start(settings);
        base = world.baseUrl();
    }

    private void awaitCases(int cases) {
        await().atMost(Duration.ofSeconds(180)).until(() -> world.cases() >= cases);
        assertThat(world.cases()).isEqualTo(cases);
    }

    /** The jobcenters report every citizen's course; the adapter writes each event to the EHR as an Observation. */
    private void reportAndCollect(List<ProgrammeCohort> cohorts) {
        List<MockJobcenter> all = List.copyOf(world.jobcenters().values());
        for (ProgrammeCohort cohort : cohorts) {
            int events = cohort.reportOutcomes(all);
            MockEhr ehr = world.ehr(cohort.sourceId());
            await().atMost(Duration.ofSeconds(120)).until(() -> ehr.resources(Observation.class).size() >= events);
            assertThat(ehr.resources(Observation.class)).hasSize(events);
        }
    }

    private static JsonNode row(JsonNode results, String source, String jobcenter) {
        for (JsonNode row : results.path("rows")) {
            if (row.path("sourceId").asText().equals(source) && row.path("jobcenterId").asText().equals(jobcenter)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + source + " and " + jobcenter + " in " + results);
    }

    private static void assertNoPersonalData(String text, List<ProgrammeCohort> cohorts) {
        for (ProgrammeCohort cohort : cohorts) {
            for (Citizen c : cohort.citizens()) {
                assertThat(text).doesNotContain(c.cpr()).doesNotContain(c.patientId() + "\"")
                        .doesNotContain("Nummer" + c.n() + "<");
            }
        }
        assertThat(text).doesNotContain("Borger");
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(text(path));
    }

    private String text(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", users.operatorAuthorization()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
