package dk.ipsbridge.officer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.ledger.Checkpoint;
import dk.ipsbridge.ledger.Finding;
import dk.ipsbridge.ledger.InclusionProof;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerRecord;
import dk.ipsbridge.ledger.LedgerVerifier;
import dk.ipsbridge.ledger.VerificationReport;
import dk.ipsbridge.web.Pages;
import dk.ipsbridge.officer.OfficerWorkspace.Look;
import dk.ipsbridge.security.Officer;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

class OfficerPagesTest {

    private static final Instant NOW = Instant.parse("2025-03-30T12:00:00Z");
    private static final String CPR = "0101901234";
    private static final String HOSTILE = "<script>alert('x')</script>";
    private static final String HOSTILE_ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";
    private static final CsrfToken CSRF = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "token-1234");
    private static final Authentication OFFICER = new TestingAuthenticationToken("officer", null);
    private static final Officer SCOPE = new Officer("officer", Set.of("jobcenter-a"), false);

    private final OfficerWorkspace workspace = mock(OfficerWorkspace.class);
    private final Ledger ledger = mock(Ledger.class);
    private final LedgerVerifier verifier = mock(LedgerVerifier.class);
    private final JobcenterDirectory jobcenters = mock(JobcenterDirectory.class);
    private final MockMvc mvc = Pages.of(new OfficerPages(workspace, ledger, verifier, jobcenters,
            Clock.fixed(NOW, ZoneOffset.UTC)));

    @BeforeEach
    void aLedgerAndTwoJobcenters() {
        when(jobcenters.all()).thenReturn(List.of(jobcenter("jobcenter-a", "Jobcenter Aarhus"),
                jobcenter("jobcenter-b", "Jobcenter Randers")));
        when(jobcenters.get("jobcenter-a")).thenReturn(Optional.of(jobcenter("jobcenter-a", "Jobcenter Aarhus")));
        when(ledger.size()).thenReturn(12L);
        when(ledger.latestCheckpoint()).thenReturn(Optional.empty());
        when(ledger.countsPerDay(any())).thenReturn(List.<Object[]>of());
        when(workspace.officer(any())).thenReturn(SCOPE);
    }

    @Nested
    class Home {

        @Test
        void shouldOfferTheSearchFormWithItsCsrfTokenInTheSharedLayout() throws Exception {
            String page = html(get("/officer"));

            assertThat(page).startsWith("<!DOCTYPE html>").contains("<title>Consent officer – IPS Bridge</title>")
                    .contains("<h1>Consent officer</h1>")
                    .contains("<a href=\"/officer\">Search</a> · <a href=\"/officer/verify\">Verify</a>")
                    .contains("<footer>").doesNotContain("http-equiv=\"refresh\"")
                    .contains("<form class=\"search\" method=\"post\" action=\"/officer/search\">")
                    .contains("<input type=\"hidden\" name=\"_csrf\" value=\"token-1234\">")
                    .contains("<option value=\"jobcenter-a\">Jobcenter Aarhus</option>")
                    .as("only the jobcenters in the officer's scope").doesNotContain("jobcenter-b")
                    .contains("formaction=\"/officer/report\"").contains("formaction=\"/officer/export\"");
            assertThat(page.split("name=\"_csrf\"", -1)).as("one token field").hasSize(2);
        }

        @Test
        void shouldAskTheLedgerForTheLast30DaysFromMidnightUtc() throws Exception {
            html(get("/officer"));

            verify(ledger).countsPerDay(Instant.parse("2025-03-01T00:00:00Z"));
        }

        @Test
        void shouldDrawTheChartWithDateAndCountAxesTitlesAndAccessibleLabels() throws Exception {
            when(ledger.countsPerDay(any())).thenReturn(List.<Object[]>of(
                    new Object[] {java.time.LocalDate.parse("2025-03-30"), "shared", 3L}));

            String page = html(get("/officer"));

            assertThat(page).contains("<h2>Last 30 days</h2>")
                    .contains("role=\"img\"").contains("aria-labelledby=\"chart-title chart-desc\"")
                    .contains("<title id=\"chart-title\">Shares, holds and withdrawals per day, last 30 days</title>")
                    .contains("<desc id=\"chart-desc\">From 2025-03-01 to 2025-03-30: 3 shared, 0 held, 0 withdrawn.")
                    .contains(">Day (UTC)</text>").contains(">Decisions per day</text>")
                    .contains(">2025-03-05</text>").contains(">2025-03-30</text>")
                    .contains(">0</text>").contains(">3</text>")
                    .contains("<title>2025-03-30 shared: 3</title>")
                    .contains("<table id=\"chart-data\">")
                    .contains("<td>2025-03-30</td><td>3</td><td>0</td><td>0</td>");
        }

        @Test
        void shouldSayWhichCheckpointIsTheLatest() throws Exception {
            assertThat(html(get("/officer"))).contains("12 entries; no signed checkpoint yet.");

            when(ledger.latestCheckpoint()).thenReturn(Optional.of(checkpoint(3, 10)));

            assertThat(html(get("/officer")))
                    .contains("12 entries; latest signed checkpoint #3 at 2025-03-30T11:00:00Z covers 10.")
                    .contains("<a href=\"/officer/verify\">Verify the whole ledger</a>");
        }

        @Test
        void shouldEscapeAJobcentersName() throws Exception {
            when(jobcenters.all()).thenReturn(List.of(jobcenter("jobcenter-a", HOSTILE)));

            assertThat(html(get("/officer"))).doesNotContain(HOSTILE)
                    .contains("<option value=\"jobcenter-a\">" + HOSTILE_ESCAPED + "</option>");
        }
    }

    @Nested
    class Search {

        @Test
        void shouldListTheEntriesFoundWithLinksToEach() throws Exception {
            when(workspace.search(any(), any(), any())).thenReturn(List.of(
                    shown(entry(7, "shared", null, "jobcenter-a"), CPR)));

            String page = html(search(CPR));

            assertThat(page).contains("<title>Search – IPS Bridge</title>").contains("<p id=\"count\">1 entries</p>")
                    .contains("<a href=\"/officer/entries/7\">#7</a>")
                    .contains("<td>shared</td>").contains("<td>Patient/p7</td>").contains("<td>" + CPR + "</td>")
                    .contains("<td>consent-7 v2</td>").contains("<td>employment education</td>")
                    .contains("name=\"_csrf\" value=\"token-1234\"");
            ArgumentCaptor<Ledger.Query> query = ArgumentCaptor.forClass(Ledger.Query.class);
            verify(workspace).search(query.capture(), eq(SCOPE), eq(Look.SEARCH));
            assertThat(query.getValue().cpr()).isEqualTo(CPR);
        }

        @Test
        void shouldRefuseAnInvalidCprWithoutSearchingOrEchoingIt() throws Exception {
            String page = html(search("3102991234"));

            assertThat(page).contains("<p class=\"bad\" id=\"error\">The CPR number is not valid.</p>")
                    .doesNotContain("3102991234").doesNotContain("id=\"results\"");
            verify(workspace, never()).search(any(), any(), any());
        }

        @Test
        void shouldEscapeAReasonFromTheLedger() throws Exception {
            when(workspace.search(any(), any(), any())).thenReturn(List.of(
                    shown(entry(8, "held", HOSTILE, null), "")));

            assertThat(html(search(CPR))).doesNotContain(HOSTILE).contains("<td>" + HOSTILE_ESCAPED + "</td>");
        }

        private MockHttpServletRequestBuilder search(String cpr) {
            return post("/officer/search").param("cpr", cpr).principal(OFFICER);
        }
    }

    @Nested
    class Entry {

        @Test
        void shouldShowAnEntryAndItsProofVerifiedAgainstASignedCheckpoint() throws Exception {
            when(workspace.entry(eq(7L), any())).thenReturn(Optional.of(shown(entry(7, "shared", null, "jobcenter-a"), CPR)));
            when(workspace.proof(7)).thenReturn(new OfficerWorkspace.Proof(
                    new InclusionProof(7, 10, "aa", List.of("bb", "cc")), checkpoint(3, 10), true, true));

            String page = html(get("/officer/entries/7"));

            assertThat(page).contains("<title>Entry #7 – IPS Bridge</title>")
                    .contains("<tr><th>Entry</th><td>#7</td></tr>").contains("<tr><th>CPR</th><td>" + CPR + "</td></tr>")
                    .contains("<tr><th>Consent</th><td>consent-7 v2</td></tr>")
                    .contains("<tr><th>Redacted</th><td></td></tr>")
                    .contains("<p class=\"ok\" id=\"proof-status\">Inclusion proof verified against checkpoint #3 "
                            + "(tree size 10), signature by key 0123456789abcdef… verified</p>")
                    .contains("<li><code>bb</code></li>");
        }

        @Test
        void shouldSayWhenOnlyTheCurrentRootCoversTheEntry() throws Exception {
            when(workspace.entry(eq(7L), any())).thenReturn(Optional.of(shown(entry(7, "shared", null, "jobcenter-a"), CPR)));
            when(workspace.proof(7)).thenReturn(new OfficerWorkspace.Proof(
                    new InclusionProof(7, 8, "aa", List.of()), null, true, false));

            assertThat(html(get("/officer/entries/7"))).contains("<p class=\"ok\" id=\"proof-status\">Inclusion proof "
                    + "verified against the current root (no signed checkpoint covers it yet)</p>");
        }

        @Test
        void shouldWarnWhenTheProofFails() throws Exception {
            when(workspace.entry(eq(7L), any())).thenReturn(Optional.of(shown(entry(7, "shared", null, "jobcenter-a"), CPR)));
            when(workspace.proof(7)).thenReturn(new OfficerWorkspace.Proof(
                    new InclusionProof(7, 10, "aa", List.of()), checkpoint(3, 10), false, true));

            assertThat(html(get("/officer/entries/7"))).contains("<p class=\"bad\" id=\"proof-status\">Proof NOT "
                    + "verified: the ledger may have been tampered").doesNotContain("class=\"ok\" id=\"proof-status\"");
        }

        @Test
        void shouldAnswer404ForAnEntryTheLedgerDoesNotHold() throws Exception {
            when(workspace.entry(eq(99L), any())).thenReturn(Optional.empty());

            mvc.perform(get("/officer/entries/99")).andExpect(status().isNotFound());
            verify(workspace, never()).proof(99);
        }
    }

    @Nested
    class Report {

        @Test
        void shouldTellACitizenWhatWasSharedWithWhomInWords() throws Exception {
            when(workspace.search(any(), any(), any())).thenReturn(List.of(
                    shown(entry(9, "withdrawn", "consent-withdrawn", "jobcenter-a"), CPR),
                    shown(entry(8, "held", "no-consent", "jobcenter-a"), CPR),
                    shown(entry(7, "shared", null, "jobcenter-a"), CPR)));

            String page = html(post("/officer/report").param("cpr", CPR).principal(OFFICER));

            assertThat(page).contains("<title>What was shared about you – IPS Bridge</title>")
                    .contains("Report for the citizen with CPR number " + CPR + ", made 2025-03-30T12:00:00Z.")
                    .contains("<td>Data shared with the jobcenter</td><td>Jobcenter Aarhus</td>")
                    .contains("<td>employment, education</td><td>consent-7 v2</td>")
                    .doesNotContain("no-consent").doesNotContain("id=\"error\"").doesNotContain("<form");
            assertThat(page.indexOf("Data shared with")).as("oldest first")
                    .isLessThan(page.indexOf("Sharing stopped; the jobcenter was told to erase the data"));
        }

        @Test
        void shouldTellACitizenWhichOfficerLookedAtTheirData() throws Exception {
            LedgerRecord look = new LedgerRecord(10, NOW, "officer-search", "preview", null, null, "jobcenter-a",
                    null, null, null, null, "ips-employment-support", List.of(), null, "corr-10", "hash", "ct",
                    "officer-jensen", "leaf", null);
            when(workspace.search(any(), any(), any())).thenReturn(List.of(shown(look, CPR),
                    shown(entry(7, "shared", null, "jobcenter-a"), CPR)));

            String page = html(post("/officer/report").param("cpr", CPR).principal(OFFICER));

            assertThat(page).contains("<td>Your data was looked at by consent officer officer-jensen (preview)</td>");
            verify(workspace).search(any(), eq(SCOPE), eq(Look.REPORT));
        }

        @Test
        void shouldNeedAValidCpr() throws Exception {
            String page = html(post("/officer/report").param("cpr", "").principal(OFFICER));

            assertThat(page).contains("<title>Citizen report – IPS Bridge</title>")
                    .contains("<p class=\"bad\" id=\"error\">A valid CPR number is needed.</p>")
                    .contains("name=\"_csrf\" value=\"token-1234\"").doesNotContain("id=\"report\"");
            verify(workspace, never()).search(any(), any(), any());
        }

        @Test
        void shouldEscapeARecipientTheDirectoryDoesNotKnow() throws Exception {
            when(workspace.search(any(), any(), any())).thenReturn(List.of(shown(entry(7, "shared", null, HOSTILE),
                    CPR)));

            assertThat(html(post("/officer/report").param("cpr", CPR).principal(OFFICER))).doesNotContain(HOSTILE)
                    .contains("<td>" + HOSTILE_ESCAPED + "</td>");
        }
    }

    @Nested
    class Verification {

        @Test
        void shouldShowTheVerifiersSummary() throws Exception {
            when(verifier.verify()).thenReturn(new VerificationReport(12, 12, 3, 0, List.of()));

            assertThat(html(get("/officer/verify"))).contains("<title>Ledger verification – IPS Bridge</title>")
                    .contains("<p id=\"verify-status\" class=\"ok\">OK: 12 entries, tree size 12, 3 checkpoints, "
                            + "0 redacted</p>");
        }

        @Test
        void shouldShowTamperingAsBadWithEachFinding() throws Exception {
            when(verifier.verify()).thenReturn(new VerificationReport(12, 12, 3, 0, List.of(
                    new Finding(Finding.Kind.ENTRY_MODIFIED, 4, 4, HOSTILE))));

            String page = html(get("/officer/verify"));

            assertThat(page).contains("<p id=\"verify-status\" class=\"bad\">TAMPERED").contains("<li>")
                    .doesNotContain(HOSTILE).contains(HOSTILE_ESCAPED);
        }
    }

    @Nested
    class Export {

        @Test
        void shouldExportASearchAsCsvForDownload() throws Exception {
            when(workspace.exportCsv(any())).thenReturn("index,decision\n7,shared\n");

            mvc.perform(post("/officer/export").param("cpr", CPR).param("format", "csv").principal(OFFICER))
                    .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith("text/csv"))
                    .andExpect(header().string("Content-Disposition", "attachment; filename=\"ips-ledger.csv\""))
                    .andExpect(content().string("index,decision\n7,shared\n"));
        }

        @Test
        void shouldExportASearchAsBalpJson() throws Exception {
            when(workspace.exportBalp(any())).thenReturn("{\"resourceType\":\"Bundle\"}");

            mvc.perform(post("/officer/export").param("cpr", CPR).param("format", "balp").principal(OFFICER))
                    .andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith("application/fhir+json"))
                    .andExpect(header().string("Content-Disposition", "attachment; filename=\"ips-ledger.json\""));
        }

        @Test
        void shouldRefuseAnInvalidCprWithoutEchoingIt() throws Exception {
            mvc.perform(post("/officer/export").param("cpr", "3102991234").param("format", "csv")
                    .principal(OFFICER)).andExpect(status().isBadRequest())
                    .andExpect(content().string("The CPR number is not valid."));
            verify(workspace, never()).search(any(), any(), any());
        }
    }

    /** The page, with each run of white space as one space, as a browser shows it. */
    private String html(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.requestAttr(CsrfToken.class.getName(), CSRF).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk()).andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andReturn().getResponse().getContentAsString().replaceAll("\\s+", " ");
    }

    private static IpsProperties.Jobcenter jobcenter(String id, String name) {
        return new IpsProperties.Jobcenter(id, name, URI.create("http://localhost/cases"), List.of("sor|" + id));
    }

    private static Checkpoint checkpoint(long seq, long treeSize) {
        return new Checkpoint(seq, treeSize, "ff".repeat(32), Instant.parse("2025-03-30T11:00:00Z"),
                "0123456789abcdef" + "0".repeat(48), "sig");
    }

    private static LedgerRecord entry(long index, String decision, String reason, String recipient) {
        return new LedgerRecord(index, Instant.parse("2025-03-0" + (index % 9 + 1) + "T08:00:00Z"), decision, reason,
                "ehr", "Patient/p" + index, recipient, "case-" + index, "Practitioner/c1", "consent-" + index, "2",
                "ips", List.of("employment", "education"), "ab".repeat(32), "corr-" + index, "hash", "v1:x", null,
                "leaf-" + index, null);
    }

    private static OfficerWorkspace.Shown shown(LedgerRecord entry, String cpr) {
        return new OfficerWorkspace.Shown(entry, cpr);
    }
}
