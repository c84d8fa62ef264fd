package dk.ipsbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.failure.FailedRecords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.ui.ExtendedModelMap;

class StatusControllerTest {

    private static final String HOSTILE = "<script>alert('x')</script>";
    private static final String HOSTILE_ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";

    private final SharingOverview overview = mock(SharingOverview.class);
    private final JobcenterDirectory jobcenters = mock(JobcenterDirectory.class);
    private final FailedRecords failed = mock(FailedRecords.class);
    private final StatusController controller = new StatusController(overview, jobcenters, failed);
    private final MockMvc mvc = Pages.of(controller);

    @BeforeEach
    void aRegionWithTwoJobcenters() {
        when(jobcenters.all()).thenReturn(List.of(jobcenter("jobcenter-a", "Jobcenter Aarhus"),
                jobcenter("jobcenter-b", null)));
        when(overview.rows()).thenReturn(List.of(
                row("ehr", "p1", "jobcenter-a", "case-1", "shared", null, "employment education", 2, "c1", "pending"),
                row("ehr", "p2", "jobcenter-a", "case-2", "withdrawn", "consent-withdrawn", "", 3, "c2", "delivered"),
                row("ehr", "p3", "jobcenter-b", null, "held", "no-consent", "", 0, null, null),
                row("ehr", "p4", "", null, "held", "unknown-recipient", "", 0, "c4", null)));
        Map<String, Map<String, Integer>> summary = new LinkedHashMap<>();
        summary.put("held", Map.of("no-consent", 1));
        summary.put("shared", Map.of("", 1));
        when(overview.summary()).thenReturn(summary);
        when(failed.open()).thenReturn(List.of());
    }

    @Test
    void shouldListPerJobcenterWhatItReceivedAndWhatWasHeldBack() throws Exception {
        ExtendedModelMap model = new ExtendedModelMap();

        assertThat(controller.page(model)).isEqualTo("status");

        assertThat(model.get("received")).asList().containsExactly(
                new StatusController.Received("jobcenter-a", "Jobcenter Aarhus", List.of(
                        new StatusController.ReceivedCase("ehr p1", "case-1", "shared", "employment education", 2,
                                "pending"),
                        new StatusController.ReceivedCase("ehr p2", "case-2", "withdrawn",
                                "withdrawn: consent-withdrawn", 3, "delivered"))),
                new StatusController.Received("jobcenter-b", "jobcenter-b", List.of()));
        assertThat(model.get("held")).asList().containsExactly(
                new StatusController.Held("ehr p3", "jobcenter-b", "no-consent", "-"),
                new StatusController.Held("ehr p4", "-", "unknown-recipient", "c4"));
        assertThat(model.get("summary")).asList().containsExactly(new StatusController.Count("held", "no-consent", 1),
                new StatusController.Count("shared", "", 1));
    }

    @Test
    void shouldRenderTheStatusPageInTheSharedLayout() throws Exception {
        String page = mvc.perform(get("/").accept(MediaType.TEXT_HTML)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andReturn().getResponse().getContentAsString();

        assertThat(page).startsWith("<!DOCTYPE html>").contains("<title>IPS Bridge</title>")
                .contains("<meta http-equiv=\"refresh\" content=\"5\">")
                .contains("<nav>").contains("<a href=\"/\">Status</a>").contains("<footer>")
                .contains("Jobcenter Aarhus received").contains("jobcenter-b received")
                .contains("data-jobcenter=\"jobcenter-a\"")
                .contains("<td>withdrawn: consent-withdrawn</td>")
                .contains("<td>ehr p4</td><td>-</td><td>unknown-recipient</td>")
                .doesNotContain("Verify");
    }

    @Test
    void shouldKeepTheStatusApiAsJson() throws Exception {
        mvc.perform(get("/api/status").accept(MediaType.APPLICATION_JSON)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.openFailures").value(0))
                .andExpect(jsonPath("$.summary.held.no-consent").value(1))
                .andExpect(jsonPath("$.cases[0].caseId").value("case-1"));
    }

    @Nested
    class HostileText {

        @Test
        void shouldEscapeAFailedRecordsReasonAndMessage() throws Exception {
            Instant at = Instant.parse("2025-03-01T10:00:00Z");
            when(failed.open()).thenReturn(List.of(new FailedRecords.FailedRecord(1, at, at, 3, "review", "ehr",
                    "jobcenter-a", "Patient/p1", HOSTILE, "<img src=x onerror=alert(1)>", null, "open")));

            String page = page();

            assertThat(page).doesNotContain(HOSTILE).doesNotContain("<img src=x")
                    .contains("<td>" + HOSTILE_ESCAPED + "</td>")
                    .contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>")
                    .contains("<td>3</td><td>2025-03-01T10:00:00Z</td>");
        }

        @Test
        void shouldEscapeAJobcentersNameAndAHeldReason() throws Exception {
            when(jobcenters.all()).thenReturn(List.of(jobcenter("jobcenter-a", HOSTILE)));
            when(overview.rows()).thenReturn(List.of(
                    row("ehr", "p3", "jobcenter-a", null, "held", HOSTILE, "", 0, "\"><b>c</b>", null)));

            String page = page();

            assertThat(page).doesNotContain(HOSTILE).doesNotContain("<b>c</b>")
                    .contains("<h2>" + HOSTILE_ESCAPED + " received</h2>")
                    .contains("<td>&quot;&gt;&lt;b&gt;c&lt;/b&gt;</td>");
        }

        @Test
        void shouldEscapeAJobcenterIdInAnAttribute() throws Exception {
            when(jobcenters.all()).thenReturn(List.of(jobcenter("a\" onclick=\"alert(1)", "A")));

            assertThat(page()).doesNotContain("onclick=\"alert(1)\"")
                    .contains("data-jobcenter=\"a&quot; onclick=&quot;alert(1)\"");
        }

        private String page() throws Exception {
            return mvc.perform(get("/").accept(MediaType.TEXT_HTML)).andExpect(status().isOk()).andReturn()
                    .getResponse().getContentAsString();
        }
    }

    private static IpsProperties.Jobcenter jobcenter(String id, String name) {
        return new IpsProperties.Jobcenter(id, name, URI.create("http://localhost/cases"), List.of("sor|" + id));
    }

    private static SharingOverview.Row row(String source, String patient, String recipient, String caseId,
            String state, String reason, String categories, long revision, String consentId, String delivery) {
        return new SharingOverview.Row(source, patient, recipient, caseId, state, reason, categories, revision,
                consentId, consentId == null ? null : "1", delivery);
    }
}
