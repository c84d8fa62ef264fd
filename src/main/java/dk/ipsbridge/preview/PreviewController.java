package dk.ipsbridge.preview;

import java.util.List;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.officer.OfficerWorkspace;
import dk.ipsbridge.officer.OfficerWorkspace.Look;
import dk.ipsbridge.security.Officer;
import dk.ipsbridge.patient.Cpr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/consents/preview} with {@code {"cpr": "...", "jobcenterId": "..."}} (consent officers only). The CPR
 * travels in the body, never in a URL, and is neither logged nor echoed in an error.
 */
@RestController
class PreviewController {

    private static final Logger log = LoggerFactory.getLogger(PreviewController.class);

    private final ConsentPreview preview;
    private final JobcenterDirectory jobcenters;
    private final OfficerWorkspace workspace;

    PreviewController(ConsentPreview preview, JobcenterDirectory jobcenters, OfficerWorkspace workspace) {
        this.preview = preview;
        this.jobcenters = jobcenters;
        this.workspace = workspace;
    }

    record PreviewRequest(String cpr, String jobcenterId) {
        @Override
        public String toString() {
            return Redacted.toString(this, "cpr");
        }
    }

    @PostMapping("/api/consents/preview")
    ResponseEntity<?> preview(@RequestBody PreviewRequest request, Authentication authentication) {
        if (request == null || !Cpr.isValid(request.cpr())) {
            return problem(HttpStatus.BAD_REQUEST, "cpr must be a valid CPR number: ten digits, DDMMYY first");
        }
        if (request.jobcenterId() == null || jobcenters.get(request.jobcenterId()).isEmpty()) {
            return problem(HttpStatus.BAD_REQUEST, "jobcenterId must be one of the configured jobcenters: "
                    + jobcenters.all().stream().map(j -> j.id()).toList());
        }
        Officer officer = workspace.officer(authentication);
        if (!officer.covers(request.jobcenterId())) {
            // before any lookup: an officer outside the jobcenter's scope learns nothing, not even whether the CPR
            // number is a patient's
            return problem(HttpStatus.FORBIDDEN, "jobcenterId is outside your scope");
        }
        List<ConsentPreview.PatientPreview> result = preview.preview(request.cpr(), request.jobcenterId());
        workspace.recordLookup(officer.name(), Look.PREVIEW, request.cpr(), request.jobcenterId(), null, null);
        log.info("consent preview by {} for recipient {}: {} patient record(s)", officer.name(),
                request.jobcenterId(), result.size());
        if (result.isEmpty()) {
            return problem(HttpStatus.NOT_FOUND, "No patient with this CPR number in any EHR source");
        }
        return ResponseEntity.ok(result);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
