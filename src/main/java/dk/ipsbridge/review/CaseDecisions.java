package dk.ipsbridge.review;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.caserecord.IpsCaseRecord;
import dk.ipsbridge.caserecord.Withdrawal;
import dk.ipsbridge.config.ReviewSettings;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.review.CaseStore.CaseRow;
import dk.ipsbridge.validation.BorderValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns the gate's decisions for one patient into state: the case per recipient, the decision record and the outbound
 * work, all in one transaction. Unchanged data is neither recorded again nor re-sent; a case that was shared and no
 * longer may be is withdrawn.
 */
@Component
class CaseDecisions {

    private static final Logger log = LoggerFactory.getLogger(CaseDecisions.class);
    private static final String SHARED = "shared";
    private static final String HELD = "held";
    private static final String WITHDRAWN = "withdrawn";
    // nothing more goes out until the data is fixed; the jobcenter keeps what it has (HoldReason#withdrawalReason)
    private static final String SUSPENDED = "suspended";
    // the reason a shared case carries once its record went out with status ended (C13): nothing is sent after it
    private static final String COURSE_ENDED = "course-ended";
    private static final String CASE_ID_LETTERS = "abcdefghjkmnpqrstuvwxyz";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final CaseStore cases;
    private final DecisionLog decisions;
    private final Outbox outbox;
    private final FailedRecords failed;
    private final ReviewQueue queue;
    private final CaseRecordTranslator translator;
    private final ObjectMapper json;
    private final Duration recheckInterval;

    CaseDecisions(CaseStore cases, DecisionLog decisions, Outbox outbox, FailedRecords failed, ReviewQueue queue,
            CaseRecordTranslator translator, ObjectMapper json, ReviewSettings settings) {
        this.cases = cases;
        this.decisions = decisions;
        this.outbox = outbox;
        this.failed = failed;
        this.queue = queue;
        this.translator = translator;
        this.json = json;
        this.recheckInterval = settings.recheckInterval();
    }

    /**
     * Applies the decisions, unless another decision for the patient was applied while this one read the EHR: the
     * read may then be stale, so nothing is applied and the patient is read again.
     *
     * @return whether the decisions were applied
     */
    @Transactional
    public boolean apply(Review review, Instant now) {
        if (!lock(review, now)) {
            return false;
        }
        applyLocked(review, now);
        return true;
    }

    /**
     * {@link #apply} for several patients in one transaction, so that a round of decisions costs one commit. Every
     * patient is locked first, in one order ({@link ReviewQueue#ORDER}, as ingest marks them), before anything else is
     * written, and the ledger's head last (just before the commit): a transaction never waits for a patient while it
     * holds the ledger or a later patient, so rounds, single decisions and ingest cannot deadlock.
     *
     * @return those applied; the others were decided meanwhile and are read again
     */
    @Transactional
    public List<Review> applyAll(List<Review> reviews, Instant now) {
        List<Review> locked = reviews.stream().sorted(Comparator.comparing(Review::key, ReviewQueue.ORDER))
                .filter(review -> lock(review, now)).toList();
        locked.forEach(review -> applyLocked(review, now));
        return locked;
    }

    /** Locks the patient if no other decision was applied since its read; otherwise it is queued to be read again. */
    private boolean lock(Review review, Instant now) {
        PatientKey key = review.key();
        if (cases.lockPatient(key, review.generation())) {
            return true;
        }
        queue.changed(key, now);
        queue.release(key);
        log.info("patient={} decided meanwhile by another worker; read again", key.reference());
        return false;
    }

    private void applyLocked(Review review, Instant now) {
        PatientKey key = review.key();
        recordDataToFix(review, now);
        Map<String, CaseRow> existing = cases.forPatient(key).stream()
                .collect(Collectors.toMap(CaseRow::recipient, r -> r, (a, b) -> a, LinkedHashMap::new));
        if (existing.isEmpty() && !isIpsPatient(review)) {
            queue.done(key, review.startedAt(), null); // not in an IPS course: nothing to decide or record
            return;
        }
        Map<String, GateDecision> next = new LinkedHashMap<>();
        for (GateDecision d : review.decisions()) {
            next.put(d.jobcenterId() == null ? CaseStore.NO_RECIPIENT : d.jobcenterId(), d);
        }
        for (CaseRow row : existing.values()) {
            if (next.containsKey(row.recipient())) {
                continue;
            }
            if (SHARED.equals(row.state()) || SUSPENDED.equals(row.state())) {
                // No consent names this jobcenter any more: it must stop holding the patient's data.
                next.put(row.recipient(), new GateDecision.Hold(row.recipient(), null, vanishedReason(next),
                        "no current consent names this jobcenter"));
            } else if (HELD.equals(row.state())) {
                cases.delete(row);
            }
        }
        Instant recheck = null;
        for (Map.Entry<String, GateDecision> e : next.entrySet()) {
            CaseRow row = existing.get(e.getKey());
            if (e.getValue() instanceof GateDecision.Share share) {
                share(review, share, row, now);
                Instant lapse = share.consent().expiresOn().plusDays(1).atStartOfDay(IpsCodes.DANISH_TIME).toInstant();
                // Re-check on the day the consent lapses, hourly, so that a lapse by time alone is caught; and at
                // least every recheck-interval, so that what polling cannot see (a Consent deleted in the EHR) is too.
                Instant at = lapse.isAfter(now.plus(Duration.ofHours(1))) ? lapse : now.plus(Duration.ofHours(1));
                at = at.isAfter(now.plus(recheckInterval)) ? now.plus(recheckInterval) : at;
                recheck = recheck == null || at.isBefore(recheck) ? at : recheck;
            } else {
                hold(review, (GateDecision.Hold) e.getValue(), e.getKey(), row, now);
            }
        }
        queue.done(key, review.startedAt(), recheck);
    }

    private void share(Review review, GateDecision.Share share, CaseRow row, Instant now) {
        PatientSnapshot snapshot = review.loaded().snapshot();
        String caseId = row != null && row.caseId() != null ? row.caseId() : newCaseId();
        IpsCaseRecord record = translator.translate(snapshot, share, caseId, 1);
        String digest = Outbox.sha256(write(record.withRevision(0)));
        boolean shared = row != null && SHARED.equals(row.state());
        if (shared && (digest.equals(row.digest()) || share.ended() && COURSE_ENDED.equals(row.reason()))) {
            return; // nothing changed, or the course ended and its last record went: nothing to record or send
        }
        long revision = (row == null ? 0 : row.revision()) + 1;
        String categories = codes(share);
        GateDecision.ConsentBasis consent = share.consent();
        String payload = write(record.withRevision(revision));
        closeSuperseded(outbox.enqueue(caseId, share.jobcenterId(), Outbox.CASE, revision, payload,
                review.correlationId(), review.startedAt(), now), "superseded");
        cases.save(new CaseRow(review.key().sourceId(), review.key().patientId(), share.jobcenterId(), caseId, SHARED,
                share.ended() ? COURSE_ENDED : null, consent.consentId(), consent.version(), categories, revision,
                digest, consent.expiresOn()), now);
        cases.course(caseId, review.key(), share.jobcenterId(), translator.course(snapshot), now);
        decisions.record(new Decision(now, review.key().sourceId(), review.key().reference(), share.jobcenterId(),
                caseId, Decision.SHARED, categories, null, null, consent.consentId(), consent.version(), revision,
                review.correlationId()), new DecisionLog.Evidence(record.citizen().cpr(), share.consultantReference(),
                        Outbox.sha256(payload)));
        log.info("patient={} recipient={} case={} revision={} shared categories=[{}]", review.key().reference(),
                share.jobcenterId(), caseId, revision, categories);
    }

    private void hold(Review review, GateDecision.Hold hold, String recipient, CaseRow row, Instant now) {
        PatientKey key = review.key();
        String consentId = hold.consent() == null ? null : hold.consent().consentId();
        String consentVersion = hold.consent() == null ? null : hold.consent().version();
        boolean held = row != null && (SHARED.equals(row.state()) || SUSPENDED.equals(row.state()));
        if (held && hold.reason().withdrawalReason() == null) {
            suspend(review, hold, recipient, row, now);
            return;
        }
        if (held) {
            Withdrawal withdrawal = new Withdrawal(hold.reason().withdrawalReason(), now.toString(),
                    consentId != null ? consentId : row.consentId());
            // Revocation: queued and failed deliveries of the case are purged; only the withdrawal goes out.
            String payload = write(withdrawal);
            closeSuperseded(outbox.enqueue(row.caseId(), recipient, Outbox.WITHDRAWAL, row.revision(), payload,
                    review.correlationId(), now), "purged");
            cases.save(new CaseRow(key.sourceId(), key.patientId(), recipient, row.caseId(), WITHDRAWN,
                    hold.reason().code(), consentId, consentVersion, null, row.revision(), null, null), now);
            record(review, hold, recipient, row.caseId(), Decision.WITHDRAWN, Outbox.sha256(payload), now);
            log.info("patient={} recipient={} case={} withdrawn reason={}", key.reference(), recipient, row.caseId(),
                    hold.reason().code());
            return;
        }
        String state = row != null && WITHDRAWN.equals(row.state()) ? WITHDRAWN : HELD;
        boolean same = row != null && state.equals(row.state()) && hold.reason().code().equals(row.reason())
                && Objects.equals(consentId, row.consentId())
                && Objects.equals(consentVersion, row.consentVersion());
        if (same) {
            return;
        }
        cases.save(new CaseRow(key.sourceId(), key.patientId(), recipient, row == null ? null : row.caseId(), state,
                hold.reason().code(), consentId, consentVersion, null, row == null ? 0 : row.revision(), null, null),
                now);
        record(review, hold, recipient, row == null ? null : row.caseId(), Decision.HELD, null, now);
        log.info("patient={} recipient={} held reason={}", key.reference(), recipient.isEmpty() ? "-" : recipient,
                hold.reason().code());
    }

    /**
     * A shared case whose consent or patient cannot be read (or is invalid) stops: queued deliveries are purged and
     * nothing more goes out, but no withdrawal tells the jobcenter the citizen withdrew. The operator sees a failed
     * record; once the data is fixed, the next decision shares (at a new revision) or withdraws.
     */
    private void suspend(Review review, GateDecision.Hold hold, String recipient, CaseRow row, Instant now) {
        PatientKey key = review.key();
        String consentId = hold.consent() == null ? row.consentId() : hold.consent().consentId();
        String consentVersion = hold.consent() == null ? row.consentVersion() : hold.consent().version();
        if (SUSPENDED.equals(row.state()) && hold.reason().code().equals(row.reason())
                && Objects.equals(consentId, row.consentId()) && Objects.equals(consentVersion, row.consentVersion())) {
            return;
        }
        closeSuperseded(outbox.purge(row.caseId(), now), "purged");
        cases.save(new CaseRow(key.sourceId(), key.patientId(), recipient, row.caseId(), SUSPENDED,
                hold.reason().code(), consentId, consentVersion, null, row.revision(), null, null), now);
        record(review, hold, recipient, row.caseId(), Decision.HELD, null, now);
        log.info("patient={} recipient={} case={} suspended reason={}", key.reference(), recipient, row.caseId(),
                hold.reason().code());
    }

    /**
     * What the gate could not decide on for want of good data (an invalid CPR, a recipient no configuration knows, an
     * unreadable consent) is a decision and also a failed record, by patient id only, for an operator to fix in the
     * EHR; a later review that no longer finds a problem closes its record. A fail-closed review read nothing: the
     * error policy has recorded why, and it neither adds nor closes a record.
     */
    private void recordDataToFix(Review review, Instant now) {
        boolean failedClosed = review.loaded() == null && review.decisions().stream()
                .anyMatch(d -> d instanceof GateDecision.Hold h && h.reason() == HoldReason.CONSENT_UNREADABLE);
        if (failedClosed) {
            return;
        }
        Map<String, GateDecision.Hold> toFix = new LinkedHashMap<>();
        for (GateDecision d : review.decisions()) {
            // resource-invalid is recorded below, with the validation's OperationOutcome
            if (d instanceof GateDecision.Hold h && h.reason().needsOperator()
                    && h.reason() != HoldReason.RESOURCE_INVALID) {
                toFix.putIfAbsent(h.reason().code(), h);
            }
        }
        BorderValidation.Findings findings = review.loaded() == null ? BorderValidation.Findings.NONE
                : review.loaded().findings();
        Set<String> open = new HashSet<>(toFix.keySet());
        if (findings.any()) {
            open.add(HoldReason.RESOURCE_INVALID.code());
        }
        PatientKey key = review.key();
        failed.resolved(FailedRecords.REVIEW, key.sourceId(), key.reference(), open);
        toFix.values().forEach(h -> failed.record(FailedRecords.REVIEW, key.sourceId(), h.jobcenterId(),
                key.reference(), h.reason().code(), h.detail() == null ? h.reason().code() : h.detail(), null, now));
        if (findings.any()) {
            // the OperationOutcome (which may quote values) only as the sealed original; the message names no value
            failed.record(FailedRecords.REVIEW, key.sourceId(), null, key.reference(),
                    HoldReason.RESOURCE_INVALID.code(), findings.summary(), findings.operationOutcome(), now);
        }
    }

    private void record(Review review, GateDecision.Hold hold, String recipient, String caseId, String outcome,
            String payloadSha256, Instant now) {
        decisions.record(new Decision(now, review.key().sourceId(), review.key().reference(),
                recipient.isEmpty() ? null : recipient, caseId, outcome, null, hold.reason().code(), hold.detail(),
                hold.consent() == null ? null : hold.consent().consentId(),
                hold.consent() == null ? null : hold.consent().version(), null, review.correlationId()),
                new DecisionLog.Evidence(cprOf(review), null, payloadSha256));
    }

    /** The patient's CPR number for the ledger (kept there only hashed and encrypted), when the EHR gave one. */
    private static String cprOf(Review review) {
        if (review.loaded() == null) {
            return null;
        }
        return review.loaded().snapshot().usableCprs().stream().findFirst().orElse(null);
    }

    /** A failed delivery that a newer message replaced can no longer be replayed: its failed record is closed. */
    private void closeSuperseded(java.util.List<Long> outboxIds, String status) {
        outboxIds.forEach(id -> failed.close(FailedRecords.DELIVERY, "outbox/" + id, status));
    }

    /** Why a jobcenter no consent names any more must let go: another recipient now, or no consent at all. */
    private static HoldReason vanishedReason(Map<String, GateDecision> next) {
        return next.values().stream().filter(d -> d instanceof GateDecision.Hold h && h.jobcenterId() == null)
                .map(d -> ((GateDecision.Hold) d).reason()).findFirst().orElse(HoldReason.UNKNOWN_RECIPIENT);
    }

    /** A patient is in an IPS course when a consent or a referral says so; others are none of our business. */
    private static boolean isIpsPatient(Review review) {
        boolean onlyNoConsent = review.decisions().size() == 1
                && review.decisions().get(0) instanceof GateDecision.Hold h && h.reason() == HoldReason.NO_CONSENT;
        if (!onlyNoConsent) {
            return true;
        }
        if (review.loaded() == null) {
            return false;
        }
        PatientSnapshot s = review.loaded().snapshot();
        return s.referrals().stream().anyMatch(r -> r.getCode().hasCoding(IpsCodes.IPS_SYSTEM, IpsCodes.IPS_REFERRAL))
                || s.episodes().stream().anyMatch(e -> e.getType().stream()
                        .anyMatch(t -> t.hasCoding(IpsCodes.IPS_SYSTEM, IpsCodes.IPS_REFERRAL)));
    }

    /**
     * A random, stable case id: letters only, so that no run of digits in it can be mistaken for a CPR number by the
     * jobcenter's data-loss scanners (or ours). 24 letters of an alphabet of 23 give about 108 bits.
     */
    static String newCaseId() {
        StringBuilder id = new StringBuilder("ips-");
        for (int i = 0; i < 24; i++) {
            id.append(CASE_ID_LETTERS.charAt(RANDOM.nextInt(CASE_ID_LETTERS.length())));
        }
        return id.toString();
    }

    private static String codes(GateDecision.Share share) {
        return share.categories().stream().sorted().map(DataCategory::code).collect(Collectors.joining(" "));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
