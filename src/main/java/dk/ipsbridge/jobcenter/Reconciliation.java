package dk.ipsbridge.jobcenter;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.caserecord.IpsCaseRecord;
import dk.ipsbridge.caserecord.Withdrawal;
import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.config.RoundSettings;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.http.BoundedHttp;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.review.CaseStore;
import dk.ipsbridge.review.CaseStore.CaseRow;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compares what each jobcenter holds ({@code GET /cases/{caseId}}) with what it should hold, and repairs the
 * difference, for the losses no retry sees: a jobcenter restored from a backup, a message acknowledged but not kept.
 * <ul>
 * <li>A shared case the jobcenter lacks, holds at another revision or with other content is decided again, fresh
 * from the EHR, and sent again at a new revision: the repair passes the consent check like any other record.</li>
 * <li>A withdrawn case the jobcenter still holds is withdrawn again, and that is recorded.</li>
 * </ul>
 * A jobcenter that is unavailable is skipped for the round; nothing is repaired on a guess.
 */
@Component
public class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    private static final String SHARED = "shared";

    private final CaseStore cases;
    private final ReviewQueue reviews;
    private final Outbox outbox;
    private final DecisionLog decisions;
    private final JobcenterDirectory jobcenters;
    private final BoundedHttp http;
    private final RoundSettings rounds;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;

    Reconciliation(CaseStore cases, ReviewQueue reviews, Outbox outbox, DecisionLog decisions,
            JobcenterDirectory jobcenters, BoundedHttp http, RoundSettings rounds, TransactionTemplate transaction,
            ObjectMapper json, MeterRegistry meters, Clock clock) {
        this.cases = cases;
        this.reviews = reviews;
        this.outbox = outbox;
        this.decisions = decisions;
        this.jobcenters = jobcenters;
        this.http = http;
        this.rounds = rounds;
        this.transaction = transaction;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    /** What one round found. */
    public record Round(int compared, int repaired, int skipped) {
    }

    /** One round over the least recently reconciled cases ({@code ips.operations.reconcile-batch}). */
    public Round run() {
        Set<String> unavailable = new HashSet<>();
        int compared = 0;
        int repaired = 0;
        int skipped = 0;
        for (CaseRow row : cases.toReconcile(rounds.reconcileBatch())) {
            Jobcenter jobcenter = jobcenters.get(row.recipient()).orElse(null);
            if (jobcenter == null || unavailable.contains(row.recipient())) {
                skipped++;
                continue;
            }
            try {
                BoundedHttp.JsonAnswer held = http.getJson(jobcenter, "cases/" + row.caseId(), "case " + row.caseId()
                        + " at " + jobcenter.id());
                compared++;
                if (repair(row, held)) {
                    repaired++;
                }
                cases.reconciled(row.caseId(), clock.instant());
            } catch (UnavailableException e) {
                unavailable.add(row.recipient());
                skipped++;
                log.info("jobcenter={} unavailable for reconciliation: {}", row.recipient(), e.getMessage());
            }
        }
        if (compared > 0) {
            log.info("reconciliation compared={} repaired={} skipped={}", compared, repaired, skipped);
        }
        return new Round(compared, repaired, skipped);
    }

    /** Repairs a difference; true when there was one. */
    private boolean repair(CaseRow row, BoundedHttp.JsonAnswer held) {
        if (SHARED.equals(row.state())) {
            if (held.status() == 200 && sameRecord(row, held.body())) {
                return false;
            }
            // decided again from a fresh read, and (if still consented) sent again at a new revision
            transaction.executeWithoutResult(tx -> {
                cases.forgetContent(row.caseId());
                reviews.changed(new PatientKey(row.sourceId(), row.patientId()), clock.instant());
            });
            count(row, "resend");
            log.warn("case={} jobcenter={} holds {} instead of revision {}; decided and sent again", row.caseId(),
                    row.recipient(), held.status() == 200 ? "another record" : "nothing (" + held.status() + ")",
                    row.revision());
            return true;
        }
        if (held.status() != 200) {
            return false; // withdrawn, and the jobcenter holds nothing (404) or the withdrawal (410)
        }
        withdrawAgain(row);
        count(row, "withdraw");
        log.warn("case={} jobcenter={} still holds a withdrawn case; withdrawn again", row.caseId(), row.recipient());
        return true;
    }

    private boolean sameRecord(CaseRow row, JsonNode body) {
        try {
            IpsCaseRecord record = json.treeToValue(body, IpsCaseRecord.class);
            return record.revision() == row.revision()
                    && Outbox.sha256(json.writeValueAsString(record.withRevision(0))).equals(row.digest());
        } catch (Exception e) {
            return false; // not a case record by the contract: the jobcenter does not hold what it should
        }
    }

    private void withdrawAgain(CaseRow row) {
        Instant now = clock.instant();
        String correlationId = UUID.randomUUID().toString();
        String reason = HoldReason.ofCode(row.reason()).map(HoldReason::withdrawalReason).orElse("consent-withdrawn");
        String payload;
        try {
            payload = json.writeValueAsString(new Withdrawal(reason, now.toString(), row.consentId()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        transaction.executeWithoutResult(tx -> {
            outbox.enqueue(row.caseId(), row.recipient(), Outbox.WITHDRAWAL, row.revision(), payload, correlationId,
                    now);
            decisions.record(new Decision(now, row.sourceId(), new PatientKey(row.sourceId(), row.patientId())
                    .reference(), row.recipient(), row.caseId(), Decision.WITHDRAWN, null, row.reason(),
                    "withdrawn again: reconciliation found the jobcenter still holding the case", row.consentId(),
                    row.consentVersion(), row.revision(), correlationId),
                    new DecisionLog.Evidence(null, null, Outbox.sha256(payload)));
        });
    }

    private void count(CaseRow row, String repair) {
        meters.counter("ips.reconciliation.repairs", "jobcenter", row.recipient(), "repair", repair).increment();
    }
}
