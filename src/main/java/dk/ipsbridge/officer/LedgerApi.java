package dk.ipsbridge.officer;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerExport;
import dk.ipsbridge.ledger.LedgerVerifier;
import dk.ipsbridge.ledger.VerificationReport;
import dk.ipsbridge.patient.Cpr;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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

    @PostMapping("/api/ledger/search")
    ResponseEntity<?> search(@RequestBody Ledger.Query query, Principal officer) {
        if (query.cpr() != null && !Cpr.isValid(query.cpr().replace("-", ""))) {
            return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "cpr must be a valid CPR number"));
        }
        Ledger.Query bounded = new Ledger.Query(query.cpr(), query.consultantRef(), query.recipient(),
                query.consentId(), query.decision(), query.from(), query.to(), query.limit() <= 0 ? 500 : query.limit());
        return ResponseEntity.ok(workspace.search(bounded, officer.getName()));
    }

    @GetMapping("/api/ledger/entries/{index}/proof")
    ResponseEntity<OfficerWorkspace.Proof> proof(@PathVariable long index) {
        if (index < 0 || index >= ledger.size()) {
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
     * auditor to check with the offline verifier and the public key, without trusting this service.
     */
    @GetMapping(value = "/api/ledger/export", produces = "application/x-ndjson")
    ResponseEntity<StreamingResponseBody> export() {
        return ResponseEntity.ok().header("Content-Disposition", "attachment; filename=\"ips-ledger.jsonl\"")
                .body(export::write);
    }

    @GetMapping("/api/ledger/verify")
    Map<String, Object> verify() {
        VerificationReport report = verifier.verify();
        return Map.of("ok", report.ok(), "summary", report.summary(), "findings", report.findings());
    }
}
