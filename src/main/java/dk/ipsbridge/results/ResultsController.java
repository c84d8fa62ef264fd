package dk.ipsbridge.results;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The programmes' results ({@link IpsResults}) for operators and consent officers: {@code /api/results} (JSON),
 * {@code /api/results.csv} and the page {@code /results}, each for the cases referred from {@code from} to {@code to}
 * (ISO dates, both optional). Nothing in them is personal data.
 */
@Controller
class ResultsController {

    private final ResultsStore store;

    ResultsController(ResultsStore store) {
        this.store = store;
    }

    @GetMapping("/api/results")
    @ResponseBody
    Map<String, Object> json(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return Map.of("referredFrom", String.valueOf(from), "referredTo", String.valueOf(to),
                "minimumCell", IpsResults.MIN_CELL, "rows", rows(from, to));
    }

    @GetMapping("/api/results.csv")
    ResponseEntity<String> csv(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"ips-results.csv\"")
                .body(IpsResults.csv(rows(from, to)));
    }

    @GetMapping("/results")
    String page(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to, Model model) {
        List<IpsResults.Row> rows = rows(from, to);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("programmes", IpsResults.byProgramme(rows));
        model.addAttribute("minimumCell", IpsResults.MIN_CELL);
        return "results";
    }

    private List<IpsResults.Row> rows(LocalDate from, LocalDate to) {
        return IpsResults.compute(store.courses(from, to), from, to);
    }
}
