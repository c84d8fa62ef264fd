package dk.ipsbridge.officer;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerRecord;
import dk.ipsbridge.ledger.LedgerVerifier;
import dk.ipsbridge.ledger.VerificationReport;
import dk.ipsbridge.patient.Cpr;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The consent officers' workspace: search the ledger (CPR only ever in a POST form), read an entry with its proof,
 * see shares, denials and withdrawals over time, export a search as BALP AuditEvents or CSV, print a citizen's report.
 */
@RestController
class OfficerPages {

    private static final String CSS = """
            <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}table{border-collapse:collapse;
            width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:.9rem}
            form.search{display:grid;grid-template-columns:repeat(4,1fr);gap:.5rem;margin-bottom:1rem}
            .ok{color:#060}.bad{color:#a00}code{font-size:.8rem;word-break:break-all}
            @media print{form,nav{display:none}}</style>""";

    private final OfficerWorkspace workspace;
    private final Ledger ledger;
    private final LedgerVerifier verifier;
    private final JobcenterDirectory jobcenters;
    private final Clock clock;

    OfficerPages(OfficerWorkspace workspace, Ledger ledger, LedgerVerifier verifier, JobcenterDirectory jobcenters,
            Clock clock) {
        this.workspace = workspace;
        this.ledger = ledger;
        this.verifier = verifier;
        this.jobcenters = jobcenters;
        this.clock = clock;
    }

    /** The search form's fields; dates are days (inclusive). */
    record SearchForm(String cpr, String consultant, String jobcenter, String consent, String decision,
            LocalDate from, LocalDate to) {

        Ledger.Query query() {
            return new Ledger.Query(blank(cpr) ? null : cpr.replace("-", "").strip(), consultant, jobcenter, consent,
                    decision, from == null ? null : from.atStartOfDay().toInstant(ZoneOffset.UTC),
                    to == null ? null : to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), 500);
        }

        boolean cprInvalid() {
            return !blank(cpr) && !Cpr.isValid(cpr.replace("-", "").strip());
        }
    }

    @GetMapping(value = "/officer", produces = MediaType.TEXT_HTML_VALUE)
    String home(CsrfToken csrf) {
        return page("Consent officer", form(csrf) + chart() + checkpointLine());
    }

    @PostMapping(value = "/officer/search", produces = MediaType.TEXT_HTML_VALUE)
    String search(@ModelAttribute SearchForm form, CsrfToken csrf, Principal officer) {
        if (form.cprInvalid()) {
            return page("Search", form(csrf) + "<p class=bad id=error>The CPR number is not valid.</p>");
        }
        List<OfficerWorkspace.Shown> found = workspace.search(form.query(), officer.getName());
        StringBuilder rows = new StringBuilder();
        for (OfficerWorkspace.Shown s : found) {
            LedgerRecord e = s.entry();
            rows.append("<tr><td><a href=\"/officer/entries/").append(e.index()).append("\">#").append(e.index())
                    .append("</a></td>").append(cells(e.time(), e.decision(), e.reason(), e.patientRef(), s.cpr(),
                            e.recipient(), e.consultantRef(), consent(e), String.join(" ", e.categories())))
                    .append("</tr>");
        }
        return page("Search", form(csrf) + "<p id=count>" + found.size() + " entries</p><table id=results><tr>"
                + "<th>Entry</th><th>Time</th><th>Decision</th><th>Reason</th><th>Patient</th><th>CPR</th>"
                + "<th>Jobcenter</th><th>Consultant</th><th>Consent</th><th>Categories</th></tr>" + rows + "</table>");
    }

    @GetMapping(value = "/officer/entries/{index}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> entry(@PathVariable long index) {
        return workspace.entry(index).map(s -> {
            LedgerRecord e = s.entry();
            OfficerWorkspace.Proof p = workspace.proof(index);
            String status = p.verified()
                    ? "<p class=ok id=proof-status>Inclusion proof verified against "
                            + (p.checkpoint() == null ? "the current root (no signed checkpoint covers it yet)"
                                    : "checkpoint #" + p.checkpoint().seq() + " (tree size " + p.checkpoint().treeSize()
                                            + "), signature by key " + p.checkpoint().keyId().substring(0, 16)
                                            + "… verified")
                            + "</p>"
                    : "<p class=bad id=proof-status>Proof NOT verified: the ledger may have been tampered with</p>";
            StringBuilder path = new StringBuilder();
            p.proof().path().forEach(h -> path.append("<li><code>").append(h).append("</code></li>"));
            String body = "<table id=entry>" + row("Entry", "#" + e.index()) + row("Time", e.time())
                    + row("Decision", e.decision()) + row("Reason", e.reason()) + row("Source", e.sourceId())
                    + row("Patient", e.patientRef()) + row("CPR", s.cpr()) + row("Jobcenter", e.recipient())
                    + row("Case", e.caseId()) + row("Consultant", e.consultantRef()) + row("Consent", consent(e))
                    + row("Purpose", e.purpose()) + row("Categories", String.join(" ", e.categories()))
                    + row("Payload SHA-256", e.payloadSha256()) + row("Correlation id", e.correlationId())
                    + row("Officer", e.actor()) + row("Leaf hash", e.leafHash())
                    + row("Redacted", e.redactedAt()) + "</table><h2>Proof</h2>" + status
                    + "<ol id=proof-path>" + path + "</ol>";
            return ResponseEntity.ok(page("Entry #" + index, body));
        }).orElse(ResponseEntity.notFound().build());
    }

    @PostMapping("/officer/export")
    ResponseEntity<String> export(@ModelAttribute SearchForm form, String format, Principal officer) {
        if (form.cprInvalid()) {
            return ResponseEntity.badRequest().body("The CPR number is not valid.");
        }
        List<OfficerWorkspace.Shown> found = workspace.search(form.query(), officer.getName());
        boolean csv = "csv".equals(format);
        String body = csv ? workspace.exportCsv(found) : workspace.exportBalp(found);
        return ResponseEntity.ok().contentType(csv ? new MediaType("text", "csv") : new MediaType("application",
                        "fhir+json"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"ips-ledger." + (csv ? "csv" : "json")
                        + "\"")
                .body(body);
    }

    /** What was shared about one citizen, with whom, when and under which consent: a page to print or save as PDF. */
    @PostMapping(value = "/officer/report", produces = MediaType.TEXT_HTML_VALUE)
    String report(@ModelAttribute SearchForm form, CsrfToken csrf, Principal officer) {
        if (form.cprInvalid() || form.cpr() == null || form.cpr().isBlank()) {
            return page("Citizen report", form(csrf) + "<p class=bad id=error>A valid CPR number is needed.</p>");
        }
        List<OfficerWorkspace.Shown> found = workspace.search(form.query(), officer.getName());
        StringBuilder rows = new StringBuilder();
        found.stream().map(OfficerWorkspace.Shown::entry)
                .filter(e -> List.of("shared", "withdrawn", "collected").contains(e.decision()))
                .sorted((a, b) -> Long.compare(a.index(), b.index()))
                .forEach(e -> rows.append("<tr>").append(cells(e.time(), describe(e.decision()),
                        jobcenters.get(e.recipient()).map(j -> j.displayName()).orElse(e.recipient()),
                        String.join(", ", e.categories()), consent(e))).append("</tr>"));
        return page("What was shared about you", "<p>Report for the citizen with CPR number "
                + htmlEscape(form.cpr()) + ", made " + htmlEscape(Instant.now(clock).toString()) + ".</p>"
                + "<table id=report><tr><th>When</th><th>What happened</th><th>Recipient</th><th>Data</th>"
                + "<th>Under consent</th></tr>" + rows + "</table><p>Only data the citizen consented to was shared."
                + " Identity (CPR number and name) accompanies every sharing.</p>");
    }

    @GetMapping(value = "/officer/verify", produces = MediaType.TEXT_HTML_VALUE)
    String verify() {
        VerificationReport report = verifier.verify();
        StringBuilder findings = new StringBuilder();
        report.findings().forEach(f -> findings.append("<li>").append(htmlEscape(String.valueOf(f))).append("</li>"));
        return page("Ledger verification", "<p id=verify-status class=" + (report.ok() ? "ok" : "bad") + ">"
                + htmlEscape(report.summary()) + "</p><ul>" + findings + "</ul>");
    }

    private String form(CsrfToken csrf) {
        StringBuilder jcs = new StringBuilder("<option value=\"\">any jobcenter</option>");
        jobcenters.all().forEach(j -> jcs.append("<option value=\"").append(htmlEscape(j.id())).append("\">")
                .append(htmlEscape(j.displayName())).append("</option>"));
        String hidden = "<input type=hidden name=\"" + csrf.getParameterName() + "\" value=\"" + csrf.getToken()
                + "\">";
        return "<form class=search method=post action=\"/officer/search\">" + hidden
                + "<input name=cpr placeholder=\"CPR number\" autocomplete=off>"
                + "<input name=consultant placeholder=\"Consultant (Practitioner/..)\">"
                + "<select name=jobcenter>" + jcs + "</select>"
                + "<input name=consent placeholder=\"Consent id\">"
                + "<select name=decision><option value=\"\">any decision</option><option>shared</option>"
                + "<option>held</option><option>withdrawn</option><option>collected</option>"
                + "<option>officer-search</option></select>"
                + "<label>from <input type=date name=from></label><label>to <input type=date name=to></label>"
                + "<span><button type=submit id=search>Search</button> "
                + "<button type=submit formaction=\"/officer/report\">Citizen report</button> "
                + "<button type=submit formaction=\"/officer/export\" name=format value=balp>Export BALP</button> "
                + "<button type=submit formaction=\"/officer/export\" name=format value=csv>Export CSV</button></span>"
                + "</form>";
    }

    /** Shares, denials and withdrawals per day over the last 30 days, as a plain SVG bar chart. */
    private String chart() {
        Instant from = LocalDate.now(clock).minusDays(29).atStartOfDay().toInstant(ZoneOffset.UTC);
        Map<LocalDate, Map<String, Long>> days = new TreeMap<>();
        for (Object[] row : ledger.countsPerDay(from)) {
            days.computeIfAbsent((LocalDate) row[0], d -> new TreeMap<>()).put((String) row[1], (Long) row[2]);
        }
        long max = Math.max(1, days.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue)
                .max().orElse(1));
        StringBuilder svg = new StringBuilder("<h2>Last 30 days</h2><svg id=chart width=\"900\" height=\"180\" "
                + "role=img aria-label=\"shares, holds and withdrawals per day\">");
        String[][] series = {{"shared", "#2a7"}, {"held", "#c80"}, {"withdrawn", "#c33"}};
        for (int d = 0; d < 30; d++) {
            Map<String, Long> counts = days.getOrDefault(LocalDate.now(clock).minusDays(29 - d), Map.of());
            for (int s = 0; s < series.length; s++) {
                long n = counts.getOrDefault(series[s][0], 0L);
                long h = n * 150 / max;
                svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"%d\" fill=\"%s\"><title>%s %s: %d"
                        + "</title></rect>", d * 30 + s * 9, 160 - h, h, series[s][1],
                        LocalDate.now(clock).minusDays(29 - d), series[s][0], n));
            }
        }
        return svg.append("</svg><p><span style=color:#2a7>■ shared</span> <span style=color:#c80>■ held</span> "
                + "<span style=color:#c33>■ withdrawn</span></p>").toString();
    }

    private String checkpointLine() {
        return ledger.latestCheckpoint().map(c -> "<p>" + ledger.size() + " entries; latest signed checkpoint #"
                + c.seq() + " at " + c.timestamp() + " covers " + c.treeSize() + ". <a href=\"/officer/verify\">"
                + "Verify the whole ledger</a></p>").orElse("<p>" + ledger.size()
                        + " entries; no signed checkpoint yet. <a href=\"/officer/verify\">Verify</a></p>");
    }

    private static String describe(String decision) {
        return switch (decision) {
            case "shared" -> "Data shared with the jobcenter";
            case "withdrawn" -> "Sharing stopped; the jobcenter was told to erase the data";
            case "collected" -> "Employment outcome received from the jobcenter";
            default -> decision;
        };
    }

    private static String consent(LedgerRecord e) {
        return e.consentId() == null ? "" : e.consentId() + (e.consentVersion() == null ? "" : " v" + e.consentVersion());
    }

    private static String cells(Object... values) {
        StringBuilder out = new StringBuilder();
        for (Object v : values) {
            out.append("<td>").append(v == null ? "" : htmlEscape(String.valueOf(v))).append("</td>");
        }
        return out.toString();
    }

    private static String row(String label, Object value) {
        return "<tr><th>" + label + "</th>" + cells(value) + "</tr>";
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=en><head><meta charset=utf-8><title>" + htmlEscape(title)
                + " – IPS Bridge</title>" + CSS + "</head><body><nav><a href=\"/officer\">Search</a> · "
                + "<a href=\"/officer/verify\">Verify</a></nav><h1>"
                + htmlEscape(title) + "</h1>" + body + "</body></html>";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

}
