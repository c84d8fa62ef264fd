package dk.ipsbridge.officer;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerRecord;
import dk.ipsbridge.ledger.LedgerVerifier;
import dk.ipsbridge.officer.OfficerWorkspace.Look;
import dk.ipsbridge.patient.Cpr;
import dk.ipsbridge.security.Officer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * The consent officers' workspace: search the ledger (CPR only ever in a POST form), read an entry with its proof,
 * see shares, denials and withdrawals over time, export a search as BALP AuditEvents or CSV, print a citizen's report.
 * The pages are the templates under {@code templates/officer/}; this class only fills their model.
 */
@Controller
class OfficerPages {

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

        @Override
        public String toString() {
            return Redacted.toString(this, "cpr");
        }


        Ledger.Query query() {
            return new Ledger.Query(blank(cpr) ? null : cpr.replace("-", "").strip(), consultant, jobcenter, consent,
                    decision, from == null ? null : from.atStartOfDay().toInstant(ZoneOffset.UTC),
                    to == null ? null : to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), 500);
        }

        boolean cprInvalid() {
            return !blank(cpr) && !Cpr.isValid(cpr.replace("-", "").strip());
        }
    }

    /** The hidden field every form posts back. */
    record Csrf(String parameterName, String token) {
        @Override
        public String toString() {
            return Redacted.toString(this, "token");
        }
    }

    record JobcenterOption(String id, String name) {
    }

    /** A search result: one ledger entry, with the CPR number in clear. */
    record ResultRow(long index, Instant time, String decision, String reason, String patient, String cpr,
            String jobcenter, String consultant, String consent, String categories) {

        @Override
        public String toString() {
            return Redacted.toString(this, "cpr");
        }


        static ResultRow of(OfficerWorkspace.Shown shown) {
            LedgerRecord e = shown.entry();
            return new ResultRow(e.index(), e.time(), e.decision(), e.reason(), e.patientRef(), shown.cpr(),
                    e.recipient(), e.consultantRef(), OfficerPages.consent(e), String.join(" ", e.categories()));
        }
    }

    record Field(String label, Object value) {
    }

    /** A line of a citizen's report, in words a citizen reads. */
    record ReportRow(Instant time, String what, String recipient, String data, String consent) {
    }

    @GetMapping(value = "/officer", produces = MediaType.TEXT_HTML_VALUE)
    String home(CsrfToken csrf, Authentication officer, Model model) {
        searchForm(model, csrf, officer);
        LocalDate today = LocalDate.now(clock);
        Instant from = today.minusDays(DayChart.DAYS - 1).atStartOfDay().toInstant(ZoneOffset.UTC);
        model.addAttribute("chart", DayChart.of(today, ledger.countsPerDay(from)));
        model.addAttribute("ledgerSize", ledger.size());
        model.addAttribute("checkpoint", ledger.latestCheckpoint().orElse(null));
        return page(model, "Consent officer", "officer/home");
    }

    @PostMapping(value = "/officer/search", produces = MediaType.TEXT_HTML_VALUE)
    String search(@ModelAttribute SearchForm form, CsrfToken csrf, Authentication officer, Model model) {
        searchForm(model, csrf, officer);
        Optional<String> refusal = refusal(form);
        if (refusal.isPresent()) {
            model.addAttribute("error", refusal.get());
        } else {
            model.addAttribute("results", workspace.search(form.query(), workspace.officer(officer), Look.SEARCH)
                    .stream().map(ResultRow::of).toList());
        }
        return page(model, "Search", "officer/search");
    }

    /** An entry outside the officer's scope is not found, as one that does not exist. */
    @GetMapping(value = "/officer/entries/{index}", produces = MediaType.TEXT_HTML_VALUE)
    String entry(@PathVariable long index, Authentication officer, Model model) {
        OfficerWorkspace.Shown shown = workspace.entry(index, workspace.officer(officer))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        LedgerRecord e = shown.entry();
        model.addAttribute("fields", List.of(new Field("Entry", "#" + e.index()), new Field("Time", e.time()),
                new Field("Decision", e.decision()), new Field("Reason", e.reason()),
                new Field("Source", e.sourceId()), new Field("Patient", e.patientRef()),
                new Field("CPR", shown.cpr()), new Field("Jobcenter", e.recipient()), new Field("Case", e.caseId()),
                new Field("Consultant", e.consultantRef()), new Field("Consent", consent(e)),
                new Field("Purpose", e.purpose()), new Field("Categories", String.join(" ", e.categories())),
                new Field("Payload SHA-256", e.payloadSha256()), new Field("Correlation id", e.correlationId()),
                new Field("Officer", e.actor()), new Field("Leaf hash", e.leafHash()),
                new Field("Redacted", e.redactedAt())));
        model.addAttribute("proof", workspace.proof(index));
        return page(model, "Entry #" + index, "officer/entry");
    }

    @PostMapping("/officer/export")
    ResponseEntity<String> export(@ModelAttribute SearchForm form, String format, Authentication officer) {
        Optional<String> refusal = refusal(form);
        if (refusal.isPresent()) {
            return ResponseEntity.badRequest().body(refusal.get());
        }
        List<OfficerWorkspace.Shown> found = workspace.search(form.query(), workspace.officer(officer), Look.EXPORT);
        boolean csv = "csv".equals(format);
        String body = csv ? workspace.exportCsv(found) : workspace.exportBalp(found);
        return ResponseEntity.ok().contentType(csv ? new MediaType("text", "csv") : new MediaType("application",
                        "fhir+json"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"ips-ledger." + (csv ? "csv" : "json")
                        + "\"")
                .body(body);
    }

    /**
     * What was shared about one citizen, with whom, when and under which consent, and who looked at their data: a
     * page to print or save as PDF. Within the officer's scope, like every search.
     */
    @PostMapping(value = "/officer/report", produces = MediaType.TEXT_HTML_VALUE)
    String report(@ModelAttribute SearchForm form, CsrfToken csrf, Authentication officer, Model model) {
        if (form.cprInvalid() || blank(form.cpr())) {
            searchForm(model, csrf, officer);
            model.addAttribute("error", "A valid CPR number is needed.");
            return page(model, "Citizen report", "officer/report");
        }
        List<ReportRow> rows = new ArrayList<>();
        workspace.search(form.query(), workspace.officer(officer), Look.REPORT).stream()
                .map(OfficerWorkspace.Shown::entry)
                .filter(e -> List.of("shared", "withdrawn", "collected", "officer-search", "resync-requested")
                        .contains(e.decision()))
                .sorted((a, b) -> Long.compare(a.index(), b.index()))
                .forEach(e -> rows.add(new ReportRow(e.time(), describe(e),
                        e.recipient() == null ? "" : jobcenters.get(e.recipient()).map(j -> j.displayName())
                                .orElse(e.recipient()), String.join(", ", e.categories()), consent(e))));
        model.addAttribute("cpr", form.cpr());
        model.addAttribute("madeAt", Instant.now(clock));
        model.addAttribute("rows", rows);
        return page(model, "What was shared about you", "officer/report");
    }

    @GetMapping(value = "/officer/verify", produces = MediaType.TEXT_HTML_VALUE)
    String verify(Model model) {
        model.addAttribute("report", verifier.verify());
        return page(model, "Ledger verification", "officer/verify");
    }

    private void searchForm(Model model, CsrfToken csrf, Authentication officer) {
        model.addAttribute("csrf", new Csrf(csrf.getParameterName(), csrf.getToken()));
        Officer scope = workspace.officer(officer);
        model.addAttribute("jobcenters", jobcenters.all().stream().filter(j -> scope.covers(j.id()))
                .map(j -> new JobcenterOption(j.id(), j.displayName())).toList());
    }

    private Optional<String> refusal(SearchForm form) {
        return form.cprInvalid() ? Optional.of("The CPR number is not valid.") : workspace.refusal(form.query());
    }

    /** The page's heading, which is also its title (with " – IPS Bridge"), and the template to render. */
    private static String page(Model model, String heading, String view) {
        model.addAttribute("heading", heading);
        return view;
    }

    private static String describe(LedgerRecord e) {
        return switch (e.decision()) {
            case "shared" -> "Data shared with the jobcenter";
            case "withdrawn" -> "Sharing stopped; the jobcenter was told to erase the data";
            case "collected" -> "Employment outcome received from the jobcenter";
            case "officer-search" -> "Your data was looked at by consent officer " + e.actor()
                    + (e.reason() == null ? "" : " (" + e.reason() + ")");
            case "resync-requested" -> "Your record was read again from the EHR on the request of operator "
                    + e.actor();
            default -> e.decision();
        };
    }

    private static String consent(LedgerRecord e) {
        return e.consentId() == null ? "" : e.consentId() + (e.consentVersion() == null ? "" : " v" + e.consentVersion());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
