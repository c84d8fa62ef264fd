package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerVerifier;
import dk.ipsbridge.officer.OfficerWorkspace;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.ledger.LedgerRecord;
import dk.ipsbridge.officer.OfficerWorkspace.Look;
import dk.ipsbridge.security.Officer;
import java.util.List;
import java.util.Set;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A consent officer in a real browser: logs in, searches the ledger by CPR, opens an entry and sees its inclusion
 * proof verified against a signed checkpoint. Every search is itself in the ledger, and the ledger verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficerWorkspaceIT {

    private final CohortRun run = new CohortRun("ips.ledger.checkpoint-every=1s");

    @BeforeAll
    void waitUntilEverythingIsSharedAndCheckpointed() {
        long shared = run.cohort.patients().stream().filter(CohortPatient::expectedShared).count();
        Ledger ledger = run.adapter.getBean(Ledger.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> run.jobcenterA.cases().size()
                + run.jobcenterB.cases().size() >= shared && ledger.latestCheckpoint().map(c -> c.treeSize() == ledger.size()).orElse(false));
    }

    @AfterAll
    void stop() {
        run.close();
    }

    @Test
    void shouldFindACitizenByCprAndShowTheEntrysProofVerified() {
        CohortPatient patient = run.cohort.patients().stream().filter(CohortPatient::expectedShared).findFirst()
                .orElseThrow();
        WebDriver browser = Browser.start();
        try {
            Browser.logIn(browser, run.base, LocalUsers.OFFICER, run.password(LocalUsers.OFFICER));
            assertThat(browser.getCurrentUrl()).as("officers land in their workspace").isEqualTo(run.base + "/officer");
            browser.findElement(By.name("cpr")).sendKeys(patient.cpr());
            Browser.submit(browser, browser.findElement(By.id("search")));

            assertThat(browser.getCurrentUrl()).as("the CPR travels in the form body").doesNotContain(patient.cpr());
            assertThat(browser.findElement(By.id("results")).getText()).contains("shared")
                    .contains(patient.patientReference()).contains(patient.cpr());
            Browser.submit(browser, browser.findElement(By.xpath("//table[@id='results']//tr[td[text()='shared']]//a")));

            assertThat(browser.findElement(By.id("entry")).getText()).contains(patient.patientReference());
            assertThat(browser.findElement(By.id("proof-status")).getText())
                    .startsWith("Inclusion proof verified against checkpoint #");
        } finally {
            browser.quit();
        }
    }

    @Test
    void shouldDrawTheLast30DaysWithAxesAndLabelsAndPrintACitizensReport() {
        CohortPatient patient = run.cohort.patients().stream().filter(CohortPatient::expectedShared).findFirst()
                .orElseThrow();
        WebDriver browser = Browser.start();
        try {
            Browser.logIn(browser, run.base, LocalUsers.OFFICER, run.password(LocalUsers.OFFICER));

            WebElement chart = browser.findElement(By.id("chart"));
            assertThat(chart.getAttribute("role")).isEqualTo("img");
            assertThat(chart.findElement(By.tagName("title")).getAttribute("textContent"))
                    .isEqualTo("Shares, holds and withdrawals per day, last 30 days");
            assertThat(chart.findElement(By.tagName("desc")).getAttribute("textContent"))
                    .as("today's shares are counted").matches("From \\S+ to \\S+: [1-9]\\d* shared, .*");
            assertThat(chart.findElements(By.cssSelector(".x-axis text.tick"))).extracting(WebElement::getText)
                    .hasSize(6).allSatisfy(label -> assertThat(label).matches("\\d{4}-\\d{2}-\\d{2}"));
            assertThat(chart.findElements(By.cssSelector(".y-axis text.tick"))).extracting(WebElement::getText)
                    .hasSizeGreaterThanOrEqualTo(2).startsWith("0");
            assertThat(chart.findElements(By.cssSelector(".axis-title"))).extracting(WebElement::getText)
                    .containsExactlyInAnyOrder("Day (UTC)", "Decisions per day");
            assertThat(chart.findElements(By.cssSelector("rect"))).hasSize(90)
                    .anySatisfy(bar -> assertThat(bar.findElement(By.tagName("title")).getAttribute("textContent"))
                            .matches("\\d{4}-\\d{2}-\\d{2} shared: [1-9]\\d*"));

            browser.findElement(By.name("cpr")).sendKeys(patient.cpr());
            Browser.submit(browser, browser.findElement(By.cssSelector("button[formaction='/officer/report']")));
            assertThat(browser.getCurrentUrl()).doesNotContain(patient.cpr());
            assertThat(browser.findElement(By.id("report")).getText()).contains("Data shared with the jobcenter");

            Browser.submit(browser, browser.findElement(By.linkText("Verify")));
            assertThat(browser.findElement(By.id("verify-status")).getText()).startsWith("OK");
        } finally {
            browser.quit();
        }
    }

    @Test
    void shouldRecordOfficersSearchesAndVerifyTheWholeLedger() {
        CohortPatient patient = run.cohort.patients().get(0);
        OfficerWorkspace workspace = run.adapter.getBean(OfficerWorkspace.class);
        Ledger ledger = run.adapter.getBean(Ledger.class);

        workspace.search(new Ledger.Query(patient.cpr(), null, null, null, null, null, null, 100),
                Officer.unlimited("officer"), Look.SEARCH);

        assertThat(ledger.search(new Ledger.Query(patient.cpr(), null, null, null, "officer-search", null, null, 10)))
                .anySatisfy(e -> assertThat(e.actor()).isEqualTo("officer"));
        assertThat(run.adapter.getBean(LedgerVerifier.class).verify().ok()).isTrue();
    }

    @Test
    void shouldExportASearchAsBalpAuditEvents() throws Exception {
        CohortPatient patient = run.cohort.patients().stream().filter(CohortPatient::expectedShared).findFirst()
                .orElseThrow();
        OfficerWorkspace workspace = run.adapter.getBean(OfficerWorkspace.class);

        JsonNode bundle = new ObjectMapper().readTree(workspace.exportBalp(workspace.search(
                new Ledger.Query(patient.cpr(), null, null, null, "shared", null, null, 100),
                Officer.unlimited("officer"), Look.EXPORT)));

        assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.path("entry")).extracting(e -> e.path("resource").path("meta").path("profile").get(0)
                .asText()).anySatisfy(p -> assertThat(p).endsWith("IHE.BasicAudit.PrivacyDisclosure.Source"));
    }

    @Test
    void shouldShowAScopedOfficerOnlyTheirJobcentersEntriesAndRecordEveryLook() {
        OfficerWorkspace workspace = run.adapter.getBean(OfficerWorkspace.class);
        Ledger ledger = run.adapter.getBean(Ledger.class);
        String a = run.jobcenterA.id();
        CohortPatient atB = run.cohort.patients().stream().filter(CohortPatient::expectedShared)
                .filter(p -> !a.equals(p.expectedJobcenterId())).findFirst().orElseThrow();
        Officer onlyA = new Officer("officer-a", Set.of(a), false);
        Officer unlimited = Officer.unlimited("officer-all");
        Ledger.Query byCpr = new Ledger.Query(atB.cpr(), null, null, null, null, null, null, 100);

        assertThat(workspace.search(byCpr, onlyA, Look.SEARCH)).as("a citizen of jobcenter B, to A's officer")
                .isEmpty();
        List<OfficerWorkspace.Shown> all = workspace.search(byCpr, unlimited, Look.SEARCH);
        OfficerWorkspace.Shown shared = all.stream().filter(s -> s.entry().decision().equals("shared")).findFirst()
                .orElseThrow();
        assertThat(workspace.entry(shared.entry().index(), onlyA)).as("B's entry, opened by A's officer").isEmpty();
        assertThat(workspace.entry(shared.entry().index(), unlimited)).isPresent();
        assertThat(workspace.search(byCpr, new Officer("elsewhere", Set.of(), false), Look.SEARCH)).isEmpty();
        assertThatThrownBy(() -> workspace.search(new Ledger.Query(null, null, a, null, "shared", null, null, 100),
                unlimited, Look.SEARCH)).as("a search naming no one").hasMessageContaining("needs a CPR number");

        // every look is in the citizen's own entries: the searches (also the empty ones) and the entry opened
        assertThat(ledger.findByCpr(atB.cpr())).filteredOn(e -> e.decision().equals("officer-search"))
                .extracting(LedgerRecord::actor, LedgerRecord::reason)
                .contains(tuple("officer-a", "search"), tuple("officer-all", "search"), tuple("officer-all", "view"),
                        tuple("elsewhere", "search"))
                .doesNotContain(tuple("officer-a", "view"));
    }
}
