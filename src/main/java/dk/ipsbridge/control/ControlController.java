package dk.ipsbridge.control;

import java.util.List;
import java.util.Map;

import dk.ipsbridge.ehr.PollSchedule;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.patient.Redacted;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Control for operators: {@code /api/control/...} for scripts and {@code /control} as a page, the same actions. A CPR
 * number travels in a POST body only, never in a URL, and is neither logged nor echoed.
 */
@Controller
class ControlController {

    private final OperatorControl control;
    private final RouteStatus routes;
    private final PollSchedule polls;

    ControlController(OperatorControl control, RouteStatus routes, PollSchedule polls) {
        this.control = control;
        this.routes = routes;
        this.polls = polls;
    }

    /** Pause reason, optional. */
    record PauseRequest(String reason) {
    }

    /** One of the two: the citizen's CPR number, or a source id. */
    record ResyncRequest(String cpr, String source) {
        @Override
        public String toString() {
            return Redacted.toString(this, "cpr");
        }
    }

    /** What an action did: {@code changed} is false when it changed nothing (paused already, say). */
    record Done(String action, boolean changed, Integer queued) {
    }

    @GetMapping("/api/control")
    @ResponseBody
    Map<String, Object> overview() {
        return Map.of("jobcenters", control.jobcenters(), "sources", polls.states(), "routes", routes.routes());
    }

    @GetMapping("/api/control/routes")
    @ResponseBody
    List<RouteStatus.Line> routes() {
        return routes.routes();
    }

    @PostMapping("/api/control/jobcenters/{id}/pause")
    @ResponseBody
    Done pause(@PathVariable String id, @RequestBody(required = false) PauseRequest request,
            Authentication operator) {
        return new Done("pause", control.pause(id, operator.getName(), request == null ? null : request.reason()),
                null);
    }

    @PostMapping("/api/control/jobcenters/{id}/resume")
    @ResponseBody
    Done resume(@PathVariable String id, Authentication operator) {
        return new Done("resume", control.resume(id, operator.getName()), null);
    }

    @PostMapping("/api/control/resync")
    @ResponseBody
    ResponseEntity<?> resync(@RequestBody ResyncRequest request, Authentication operator) {
        if (request == null || (request.cpr() == null) == (request.source() == null)) {
            throw new IllegalArgumentException("give either cpr or source");
        }
        if (request.source() != null) {
            return ResponseEntity.accepted()
                    .body(new Done("resync", true, control.resyncSource(request.source(), operator.getName())));
        }
        List<PatientKey> queued = control.resyncPatient(request.cpr(), operator.getName());
        if (queued.isEmpty()) {
            return problem(HttpStatus.NOT_FOUND, "No patient with this CPR number in any EHR source");
        }
        return ResponseEntity.accepted().body(new Done("resync", true, queued.size()));
    }

    @GetMapping(value = "/control", produces = MediaType.TEXT_HTML_VALUE)
    String page(Model model) {
        model.addAttribute("jobcenters", control.jobcenters());
        model.addAttribute("sources", polls.states());
        model.addAttribute("routes", routes.routes());
        return "control";
    }

    @PostMapping("/control/jobcenters/{id}/pause")
    String pausePage(@PathVariable String id, @RequestParam(required = false) String reason,
            Authentication operator, RedirectAttributes flash) {
        return done(flash, () -> control.pause(id, operator.getName(), reason) ? "Delivery to " + id + " paused."
                : id + " was paused already.");
    }

    @PostMapping("/control/jobcenters/{id}/resume")
    String resumePage(@PathVariable String id, Authentication operator, RedirectAttributes flash) {
        return done(flash, () -> control.resume(id, operator.getName()) ? "Delivery to " + id + " resumed."
                : id + " was not paused.");
    }

    @PostMapping("/control/resync")
    String resyncPage(@RequestParam(required = false) String cpr, @RequestParam(required = false) String source,
            Authentication operator, RedirectAttributes flash) {
        return done(flash, () -> {
            if (source != null && !source.isBlank()) {
                return "Source " + source + " is read again; " + control.resyncSource(source, operator.getName())
                        + " known patients queued now.";
            }
            int queued = control.resyncPatient(cpr == null ? null : cpr.strip(), operator.getName()).size();
            return queued == 0 ? "No patient with this CPR number in any EHR source."
                    : queued + " patient record(s) queued for review.";
        });
    }

    private static String done(RedirectAttributes flash, java.util.function.Supplier<String> action) {
        try {
            flash.addFlashAttribute("message", action.get());
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/control";
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badRequest(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
