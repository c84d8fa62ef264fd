package dk.ipsbridge.outcome;

import static dk.ipsbridge.config.Times.utc;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.config.RoundSettings;
import dk.ipsbridge.consent.ConsentAction;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.decision.Decision;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.ehr.EhrClient;
import dk.ipsbridge.ehr.EhrSources;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.review.CaseStore;
import dk.ipsbridge.review.CaseStore.CaseOwner;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Carries employment outcomes from the jobcenters into the EHR, only where the citizen's consent permits the region
 * to collect {@code outcomes} from that jobcenter. Each event is written with a conditional create on
 * {@code <jobcenter id>:<event id>} and handled once; a {@code retracted} event marks the Observation it takes back
 * {@code entered-in-error}. A page is acknowledged (the cursor moves) only after all its events are handled; an event
 * that cannot be handled becomes a failed record and does not hold up the ones after it.
 */
@Component
public class OutcomeWriteBack {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriteBack.class);
    private static final String RETRACTED = "retracted";

    private final JobcenterDirectory jobcenters;
    private final JobcenterOutcomes feed;
    private final CaseStore cases;
    private final SnapshotLoader loader;
    private final ConsentGate gate;
    private final EhrClient ehr;
    private final EhrSources sources;
    private final DecisionLog decisions;
    private final FailedRecords failed;
    private final JdbcClient jdbc;
    private final RoundSettings rounds;
    private final Clock clock;

    OutcomeWriteBack(JobcenterDirectory jobcenters, JobcenterOutcomes feed, CaseStore cases, SnapshotLoader loader,
            ConsentGate gate, EhrClient ehr, EhrSources sources, DecisionLog decisions, FailedRecords failed,
            JdbcClient jdbc, RoundSettings rounds, Clock clock) {
        this.jobcenters = jobcenters;
        this.feed = feed;
        this.cases = cases;
        this.loader = loader;
        this.gate = gate;
        this.ehr = ehr;
        this.sources = sources;
        this.decisions = decisions;
        this.failed = failed;
        this.jdbc = jdbc;
        this.rounds = rounds;
        this.clock = clock;
    }

    /** The unit of work of the {@code outcome-collect} route, for the error policy. */
    public record OutcomeWork(String jobcenterId) {
    }

    public List<OutcomeWork> work() {
        return jobcenters.all().stream().map(j -> new OutcomeWork(j.id())).toList();
    }

    /** Reads the jobcenter's feed from its cursor to the end (or the page limit) and handles every event. */
    public void collect(OutcomeWork work) {
        Jobcenter jobcenter = jobcenters.get(work.jobcenterId()).orElseThrow();
        String cursor = cursor(jobcenter.id());
        for (int pages = 0; pages < rounds.maxPagesPerPoll(); pages++) {
            JobcenterOutcomes.Page page = feed.fetch(jobcenter, cursor, 100);
            Instant now = clock.instant();
            for (JobcenterOutcomes.BadItem bad : page.bad()) {
                String subject = subject(bad.eventId(), bad.json());
                failed.record(FailedRecords.OUTCOME, null, jobcenter.id(), subject, "invalid-outcome", bad.problem(),
                        bad.json(), now);
                log.warn("jobcenter={} {} is not a valid outcome event: {}", jobcenter.id(), subject, bad.problem());
            }
            for (JobcenterOutcomes.Received received : page.events()) {
                try {
                    handle(jobcenter.id(), received.event(), received.json());
                } catch (UnavailableException e) {
                    throw e; // the EHR is down: the cursor stays and the next round reads the page again
                } catch (RuntimeException e) {
                    // one event that cannot be handled must not hold up the feed: it waits for an operator instead
                    String subject = subject(received.event().eventId(), received.json());
                    String reason = e instanceof BadInputException bad ? bad.reason() : "internal-error";
                    String message = e instanceof BadInputException ? e.getMessage()
                            : "outcome event could not be handled: " + e.getClass().getSimpleName();
                    failed.record(FailedRecords.OUTCOME, null, jobcenter.id(), subject, reason, message,
                            received.json(), now);
                    log.warn("jobcenter={} {} failed ({}); the feed goes on", jobcenter.id(), subject, reason);
                }
            }
            if (page.nextCursor().equals(cursor)) {
                return;
            }
            cursor = page.nextCursor();
            saveCursor(jobcenter.id(), cursor, now);
            if (page.events().isEmpty() && page.bad().isEmpty()) {
                return;
            }
        }
    }

    /** One event: write it to the EHR if consent permits collect from this jobcenter; record the decision either way. */
    void handle(String jobcenterId, OutcomeEvent event, String json) {
        if (!OutcomeEvent.isValidEventId(event.eventId())) {
            throw new BadInputException("invalid-outcome", "outcome event eventId does not match "
                    + OutcomeEvent.EVENT_ID.pattern(), null);
        }
        if (handled(jobcenterId, event.eventId())) {
            return;
        }
        Instant now = clock.instant();
        String subject = subject(event.eventId(), json);
        CaseOwner owner = cases.owner(event.caseId()).filter(o -> o.recipient().equals(jobcenterId)).orElse(null);
        if (owner == null) {
            failed.record(FailedRecords.OUTCOME, null, jobcenterId, subject, "unknown-case",
                    "outcome event for a case this jobcenter does not hold", json, now);
            return;
        }
        // from here on the event's case id is one of ours (letters only, never a CPR), so logs may name it
        String sourceId = owner.patient().sourceId();
        String patient = owner.patient().reference();
        SnapshotLoader.Loaded loaded = loader.load(sourceId, owner.patient().patientId()).orElse(null);
        if (loaded == null || !loaded.snapshot().usableCprs().contains(event.cpr())) {
            // The jobcenter mixed up cases, or the EHR no longer has the patient: nothing is written.
            failed.record(FailedRecords.OUTCOME, sourceId, jobcenterId, subject, "cpr-mismatch",
                    "the event's CPR is not the CPR of " + patient + " in case " + event.caseId(), json, now);
            return;
        }
        if (event.isRetraction()) {
            retract(jobcenterId, event, sourceId, patient, now);
            return;
        }
        GateDecision decision = loaded.consentUnreadable()
                ? new GateDecision.Hold(jobcenterId, null, HoldReason.CONSENT_UNREADABLE,
                        "a Consent of the patient could not be read")
                : gate.decide(loaded.snapshot(), now, ConsentAction.COLLECT).stream()
                        .filter(d -> jobcenterId.equals(d.jobcenterId())).findFirst()
                        .orElse(new GateDecision.Hold(jobcenterId, null, HoldReason.COLLECTION_NOT_PERMITTED,
                                "No consent permits collecting outcomes from this jobcenter"));
        String correlationId = UUID.randomUUID().toString();
        GateDecision.ConsentBasis consent = decision.consent();
        if (decision instanceof GateDecision.Share share && share.categories().contains(DataCategory.OUTCOMES)) {
            ehr.createIfNoneExist(sources.get(sourceId), OutcomeObservations.toObservation(jobcenterId, event, patient),
                    OutcomeObservations.ifNoneExist(jobcenterId, event.eventId()));
            decisions.record(new Decision(now, sourceId, patient, jobcenterId, event.caseId(), Decision.COLLECTED,
                    DataCategory.OUTCOMES.code(), null, "event " + safe(event.eventId()),
                    consent.consentId(), consent.version(), null, correlationId),
                    new DecisionLog.Evidence(event.cpr(), null, Outbox.sha256(json)));
            markHandled(jobcenterId, event.eventId(), event.caseId(), Decision.COLLECTED, now);
            // what the programme's results count (issue 18); only of an event collected with consent
            jdbc.sql("""
                    update outcome_event set event_type = ?, occurred_on = ?, employment_terms = ?, hours_per_week = ?
                    where jobcenter_id = ? and event_id = ?
                    """).params(event.type(), event.occurredOn(), event.employmentTerms(), event.hoursPerWeek(),
                    jobcenterId, event.eventId()).update();
            log.info("outcome event={} case={} written to {} as an Observation of {}", safe(event.eventId()),
                    event.caseId(), sourceId, patient);
        } else {
            String reason = decision instanceof GateDecision.Hold hold ? hold.reason().code()
                    : HoldReason.CATEGORY_NOT_CONSENTED.code();
            decisions.record(new Decision(now, sourceId, patient, jobcenterId, event.caseId(), Decision.HELD, null,
                    reason, "outcome event " + safe(event.eventId()) + " not collected",
                    consent == null ? null : consent.consentId(), consent == null ? null : consent.version(), null,
                    correlationId), new DecisionLog.Evidence(event.cpr(), null, null));
            markHandled(jobcenterId, event.eventId(), event.caseId(), Decision.HELD, now);
            log.info("outcome event={} case={} not collected: {}", safe(event.eventId()), event.caseId(), reason);
        }
    }

    /**
     * C16: a {@code retracted} event marks the Observation written for the event it takes back
     * {@code entered-in-error}. This only corrects what was collected, so it needs no consent now; it does need the
     * case and CPR to match, and the Observation to be of the case's patient. An event retracted before it was written
     * (held, or waiting in the failed records) is never written.
     */
    private void retract(String jobcenterId, OutcomeEvent event, String sourceId, String patient, Instant now) {
        String target = event.retractsEventId();
        String value = OutcomeObservations.identifierValue(jobcenterId, target);
        List<Observation> written = ehr.postSearch(sources.get(sourceId), "Observation",
                Map.of("identifier", OutcomeObservations.identifierToken(jobcenterId, target))).resources().stream()
                .filter(Observation.class::isInstance).map(Observation.class::cast)
                .filter(o -> o.getIdentifier().stream().anyMatch(i -> OutcomeObservations.EVENT_SYSTEM.equals(
                        i.getSystem()) && value.equals(i.getValue())))
                .toList();
        if (written.stream().anyMatch(o -> !patient.equals(o.getSubject().getReferenceElement()
                .toUnqualifiedVersionless().getValue()))) {
            throw new BadInputException("retraction-mismatch", "outcome event " + safe(event.eventId())
                    + " retracts an event written for another patient than the one of case " + event.caseId(), null);
        }
        int marked = 0;
        for (Observation observation : written) {
            if (observation.getStatus() != Observation.ObservationStatus.ENTEREDINERROR) {
                observation.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
                ehr.update(sources.get(sourceId), observation);
                marked++;
            }
        }
        if (!handled(jobcenterId, target)) {
            markHandled(jobcenterId, target, event.caseId(), RETRACTED, now);
        } else {
            // a collected event taken back no longer counts in the programme's results
            jdbc.sql("update outcome_event set outcome = ? where jobcenter_id = ? and event_id = ? and case_id = ?")
                    .params(RETRACTED, jobcenterId, target, event.caseId()).update();
        }
        markHandled(jobcenterId, event.eventId(), event.caseId(), RETRACTED, now);
        log.info("outcome event={} case={} retracts event={}: {} Observation(s) of {} marked entered-in-error",
                safe(event.eventId()), event.caseId(), safe(target), marked, patient);
    }

    /** Replays a failed record of an outcome event: handled anew, with consent checked again. */
    public void replay(String jobcenterId, String json) {
        if (json == null) {
            return; // a failed feed read: the cursor did not move, the next round reads it again
        }
        handle(jobcenterId, feed.parse(json), json);
    }

    private boolean handled(String jobcenterId, String eventId) {
        return jdbc.sql("select count(*) from outcome_event where jobcenter_id = ? and event_id = ?")
                .params(jobcenterId, eventId).query(Integer.class).single() > 0;
    }

    private void markHandled(String jobcenterId, String eventId, String caseId, String outcome, Instant now) {
        jdbc.sql("insert into outcome_event (jobcenter_id, event_id, case_id, outcome, handled_at) values (?, ?, ?, ?, ?)")
                .params(jobcenterId, eventId, caseId, outcome, utc(now)).update();
    }

    private String cursor(String jobcenterId) {
        return jdbc.sql("select feed_cursor from outcome_cursor where jobcenter_id = ?").param(jobcenterId)
                .query(String.class).optional().orElse(null);
    }

    private void saveCursor(String jobcenterId, String cursor, Instant now) {
        jdbc.sql("""
                merge into outcome_cursor t using (values (?)) as s(jobcenter_id) on t.jobcenter_id = s.jobcenter_id
                when matched then update set feed_cursor = ?, polled_at = ?
                when not matched then insert (jobcenter_id, feed_cursor, polled_at) values (s.jobcenter_id, ?, ?)
                """).params(jobcenterId, cursor, utc(now), cursor, utc(now)).update();
    }

    /**
     * What a failed record of an event is about. An id that is valid and shows no digit run is named; any other is
     * not named at all (it may hold line breaks, query syntax or a CPR): the item is then known by the SHA-256 of its
     * JSON, which tells items apart (one failed record each, each replayable) and repeats for a repeated item.
     */
    static String subject(String eventId, String json) {
        if (OutcomeEvent.isValidEventId(eventId) && safe(eventId).equals(eventId)) {
            return "outcome " + eventId;
        }
        return "outcome item sha256:" + Outbox.sha256(json).substring(0, 16);
    }

    /** Event ids come from outside: only a safe form goes into logs and decisions. */
    private static String safe(String eventId) {
        if (eventId == null) {
            return "without id";
        }
        String cleaned = eventId.replaceAll("[^A-Za-z0-9._:-]", "?").replaceAll("\\d{6,}", "…");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }
}
