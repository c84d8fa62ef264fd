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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

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
            browser.findElement(By.id("search")).click();

            assertThat(browser.getCurrentUrl()).as("the CPR travels in the form body").doesNotContain(patient.cpr());
            assertThat(browser.findElement(By.id("results")).getText()).contains("shared")
                    .contains(patient.patientReference()).contains(patient.cpr());
            browser.findElement(By.xpath("//table[@id='results']//tr[td[text()='shared']]//a")).click();

            assertThat(browser.findElement(By.id("entry")).getText()).contains(patient.patientReference());
            assertThat(browser.findElement(By.id("proof-status")).getText())
                    .startsWith("Inclusion proof verified against checkpoint #");
        } finally {
            browser.quit();
        }
    }

    @Test
    void shouldRecordOfficersSearchesAndVerifyTheWholeLedger() {
        CohortPatient patient = run.cohort.patients().get(0);
        OfficerWorkspace workspace = run.adapter.getBean(OfficerWorkspace.class);
        Ledger ledger = run.adapter.getBean(Ledger.class);

        workspace.search(new Ledger.Query(patient.cpr(), null, null, null, null, null, null, 100), "officer");

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
                new Ledger.Query(patient.cpr(), null, null, null, "shared", null, null, 100), "officer")));

        assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.path("entry")).extracting(e -> e.path("resource").path("meta").path("profile").get(0)
                .asText()).anySatisfy(p -> assertThat(p).endsWith("IHE.BasicAudit.PrivacyDisclosure.Source"));
    }
}
