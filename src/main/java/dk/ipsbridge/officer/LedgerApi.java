package dk.ipsbridge.officer;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerExport;
import dk.ipsbridge.ledger.LedgerVerifier;
import dk.ipsbridge.ledger.VerificationReport;
import dk.ipsbridge.officer.OfficerWorkspace.Look;
import dk.ipsbridge.patient.Cpr;
import dk.ipsbridge.security.Officer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The ledger for consent officers' tools: {@code POST /api/ledger/search} (CPR in the body), an entry's inclusion
 * proof, the checkpoints, and {@code GET /api/ledger/verify}, which recomputes the whole tree.
 */
@RestController
class LedgerApi {

    private final OfficerWorkspace workspace;
    private final Ledger ledger;
    private final LedgerVerifier verifier;
    private final LedgerExport export;

    LedgerApi(OfficerWorkspace workspace, Ledger ledger, LedgerVerifier verifier, LedgerExport export) {
        this.export = export;
        this.workspace = workspace;
        this.ledger = ledger;
        this.verifier = verifier;
    }

    /** Within the officer's scope; a search must name a CPR number, a consultant, a consent or a short period. */
    @PostMapping("/api/ledger/search")
    ResponseEntity<?> search(@RequestBody Ledger.Query query, Authentication officer) {
        if (query.cpr() != null && !Cpr.isValid(query.cpr().replace("-", ""))) {
            return badRequest("cpr must be a valid CPR number");
        }
        Ledger.Query bounded = new Ledger.Query(query.cpr(), query.consultantRef(), query.recipient(),
                query.consentId(), query.decision(), query.from(), query.to(), query.limit() <= 0 ? 500 : query.limit());
        Optional<String> refusal = workspace.refusal(bounded);
        if (refusal.isPresent()) {
            return badRequest(refusal.get());
        }
        return ResponseEntity.ok(workspace.search(bounded, workspace.officer(officer), Look.SEARCH));
    }

    /** An entry outside the officer's scope is not found, as one that does not exist. */
    @GetMapping("/api/ledger/entries/{index}/proof")
    ResponseEntity<OfficerWorkspace.Proof> proof(@PathVariable long index, Authentication officer) {
        if (index < 0 || index >= ledger.size() || !workspace.covers(index, workspace.officer(officer))) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(workspace.proof(index));
    }

    @GetMapping("/api/ledger/checkpoints")
    List<?> checkpoints() {
        return ledger.checkpoints();
    }

    /**
     * The whole ledger as JSON lines (entries with leaf hashes, checkpoints; CPR only hashed and encrypted), for an
     * auditor to check with the offline verifier and the public key, without trusting this service. Only for an
     * officer limited to no jobcenter; recorded in the ledger.
     */
    @GetMapping(value = "/api/ledger/export", produces = "application/x-ndjson")
    ResponseEntity<StreamingResponseBody> export(Authentication authentication) {
        Officer officer = workspace.officer(authentication);
        if (!officer.unlimited()) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        workspace.recordLookup(officer.name(), Look.LEDGER_EXPORT, null, null, null, null);
        return ResponseEntity.ok().header("Content-Disposition", "attachment; filename=\"ips-ledger.jsonl\"")
                .body(export::write);
    }

    private static ResponseEntity<ProblemDetail> badRequest(String detail) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
    }

    @GetMapping("/api/ledger/verify")
    Map<String, Object> verify() {
        VerificationReport report = verifier.verify();
        return Map.of("ok", report.ok(), "summary", report.summary(), "findings", report.findings());
    }
}
