package dk.ipsbridge.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.failure.FailedRecords;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The status page ({@code templates/status.html}): per jobcenter what was shared and delivered, what was held back and
 * why, what failed. Patients by EHR id only.
 */
@Controller
class StatusController {

    private final SharingOverview overview;
    private final JobcenterDirectory jobcenters;
    private final FailedRecords failed;

    StatusController(SharingOverview overview, JobcenterDirectory jobcenters, FailedRecords failed) {
        this.overview = overview;
        this.jobcenters = jobcenters;
        this.failed = failed;
    }

    /** One line of the summary: how many patients are in a state, for one reason. */
    record Count(String state, String reason, int patients) {
    }

    /** What one jobcenter received: its shared and withdrawn cases. */
    record Received(String jobcenterId, String jobcenterName, List<ReceivedCase> cases) {
    }

    /** @param data the categories while shared; why it was withdrawn once withdrawn */
    record ReceivedCase(String patient, String caseId, String state, String data, long revision, String delivery) {
    }

    record Held(String patient, String jobcenter, String reason, String consent) {
    }

    @GetMapping("/api/status")
    @ResponseBody
    Map<String, Object> status() {
        return Map.of("summary", overview.summary(), "cases", overview.rows(), "openFailures", failed.open().size());
    }

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    String page(Model model) {
        List<SharingOverview.Row> rows = overview.rows();
        List<Count> summary = new ArrayList<>();
        overview.summary().forEach((state, reasons) -> reasons.forEach(
                (reason, count) -> summary.add(new Count(state, reason, count))));
        List<Received> received = jobcenters.all().stream().map(jobcenter -> new Received(jobcenter.id(),
                jobcenter.displayName(), rows.stream()
                        .filter(r -> jobcenter.id().equals(r.recipient()) && !"held".equals(r.state()))
                        .map(r -> new ReceivedCase(patient(r), r.caseId(), r.state(),
                                "shared".equals(r.state()) ? r.categories() : "withdrawn: " + r.reason(),
                                r.revision(), r.delivery()))
                        .toList()))
                .toList();
        List<Held> held = rows.stream().filter(r -> "held".equals(r.state()))
                .map(r -> new Held(patient(r), r.recipient() == null || r.recipient().isEmpty() ? "-" : r.recipient(),
                        r.reason(), r.consentId() == null ? "-" : r.consentId()))
                .toList();
        model.addAttribute("summary", summary);
        model.addAttribute("received", received);
        model.addAttribute("held", held);
        model.addAttribute("failed", failed.open());
        return "status";
    }

    private static String patient(SharingOverview.Row row) {
        return row.sourceId() + " " + row.patientId();
    }
}
