package dk.ipsbridge.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.failure.FailedRecords;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** The status page: per jobcenter what was shared and delivered, what was held back and why, what failed. */
@RestController
class StatusController {

    private final SharingOverview overview;
    private final JobcenterDirectory jobcenters;
    private final FailedRecords failed;

    StatusController(SharingOverview overview, JobcenterDirectory jobcenters, FailedRecords failed) {
        this.overview = overview;
        this.jobcenters = jobcenters;
        this.failed = failed;
    }

    @GetMapping("/api/status")
    Map<String, Object> status() {
        return Map.of("summary", overview.summary(), "cases", overview.rows(), "openFailures", failed.open().size());
    }

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    String page() {
        List<SharingOverview.Row> rows = overview.rows();
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>IPS Bridge</title>
                <meta http-equiv="refresh" content="5">
                <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}
                table{border-collapse:collapse;width:100%;margin-bottom:2rem}td,th{border-bottom:1px solid #ddd;
                padding:.3rem .5rem;text-align:left;font-size:.9rem}h2{margin-top:2rem}.muted{color:#666}</style>
                </head><body><h1>IPS Bridge</h1>
                <p class="muted">Patients by EHR id only: names and CPR numbers are never shown here.</p>
                """);
        html.append("<h2>Summary</h2><table id=\"summary\"><tr><th>State</th><th>Reason</th><th>Patients</th></tr>");
        overview.summary().forEach((state, reasons) -> reasons.forEach((reason, count) -> html.append("<tr><td>")
                .append(e(state)).append("</td><td>").append(e(reason)).append("</td><td>").append(count)
                .append("</td></tr>")));
        html.append("</table>");
        for (var jobcenter : jobcenters.all()) {
            List<SharingOverview.Row> received = rows.stream()
                    .filter(r -> jobcenter.id().equals(r.recipient()) && !"held".equals(r.state())).toList();
            html.append("<h2>").append(e(jobcenter.displayName())).append(" received</h2>")
                    .append("<table class=\"received\" data-jobcenter=\"").append(e(jobcenter.id()))
                    .append("\"><tr><th>Patient</th><th>Case</th><th>State</th><th>Categories</th>")
                    .append("<th>Revision</th><th>Delivery</th></tr>");
            received.forEach(r -> html.append(row(r.sourceId() + " " + r.patientId(), r.caseId(), r.state(),
                    "shared".equals(r.state()) ? r.categories() : "withdrawn: " + r.reason(),
                    String.valueOf(r.revision()), r.delivery())));
            html.append("</table>");
        }
        html.append("<h2>Held back</h2><table id=\"held\"><tr><th>Patient</th><th>Jobcenter</th><th>Reason</th>")
                .append("<th>Consent</th><th></th><th></th></tr>");
        rows.stream().filter(r -> "held".equals(r.state())).forEach(r -> html.append(row(
                r.sourceId() + " " + r.patientId(), r.recipient().isEmpty() ? "-" : r.recipient(), r.reason(),
                r.consentId() == null ? "-" : r.consentId(), "", "")));
        html.append("</table><h2>Failed records</h2><table id=\"failed\"><tr><th>Stage</th><th>Subject</th>")
                .append("<th>Reason</th><th>Message</th><th>Times</th><th>Last</th></tr>");
        failed.open().forEach(f -> html.append(row(f.stage(), f.subject(), f.reason(), f.message(),
                String.valueOf(f.occurrences()), f.lastAt().toString())));
        return html.append("</table></body></html>").toString();
    }

    private static String row(String... cells) {
        return "<tr>" + java.util.Arrays.stream(cells).map(c -> "<td>" + e(c) + "</td>")
                .collect(Collectors.joining()) + "</tr>";
    }

    private static String e(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text);
    }
}
