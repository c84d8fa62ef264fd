package dk.ipsbridge.review;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.ReviewSettings;
import dk.ipsbridge.config.ValidationSettings.Mode;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.failure.Recovery;
import dk.ipsbridge.failure.WorkCorrelation;
import dk.ipsbridge.validation.BorderValidation;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The steps of deciding one patient, as the {@code patient-review} and {@code patient-decide} routes call them. The
 * steps are wired in one place only, the {@code patient-decide} route; the check before a delivery runs that route.
 */
@Component
public class PatientReview {

    /** The route that decides one patient (camel-routes/patient-review.yaml): load, decide, diagnoses, apply. */
    static final String DECIDE = "direct:patient-decide";
    private static final Logger log = LoggerFactory.getLogger(PatientReview.class);

    private final ReviewQueue queue;
    private final SnapshotLoader loader;
    private final ConsentGate gate;
    private final CaseDecisions cases;
    private final CaseStore caseStore;
    private final Outbox outbox;
    private final Instance instance;
    private final ReviewSettings settings;
    private final Clock clock;
    private final ProducerTemplate routes;
    private final BorderValidation validation;

    PatientReview(ReviewQueue queue, SnapshotLoader loader, ConsentGate gate, CaseDecisions cases, CaseStore caseStore,
            Outbox outbox, Instance instance, ReviewSettings settings, Clock clock, @Lazy ProducerTemplate routes,
            BorderValidation validation) {
        this.queue = queue;
        this.loader = loader;
        this.gate = gate;
        this.cases = cases;
        this.caseStore = caseStore;
        this.outbox = outbox;
        this.instance = instance;
        this.settings = settings;
        this.clock = clock;
        this.routes = routes;
        this.validation = validation;
    }

    /** Patients due for a decision, claimed for this instance. */
    public List<PatientKey> due() {
        Instant now = clock.instant();
        return queue.claim(now, settings.reviewBatch(), instance.id(), instance.leaseUntil(now));
    }

    /** The patients due for a decision, claimed for this instance, as one round. */
    public ReviewRound dueRound() {
        return ReviewRound.of(due(), settings.reviewBatch());
    }

    /**
     * Reads the round's patients from the EHR, per source in one batched read ({@link SnapshotLoader#loadAll}); the
     * patients the batched read could not settle are left to be read one by one. The decision generations are read
     * before the EHR is, as in {@link #load}. An unavailable EHR fails the round, which is tried again later.
     */
    public ReviewRound loadRound(ReviewRound round) {
        String correlationId = correlationId();
        Instant startedAt = clock.instant();
        Map<PatientKey, Long> generations = new LinkedHashMap<>();
        round.patients().forEach(key -> generations.put(key, caseStore.generation(key)));
        List<Review> reviews = new ArrayList<>();
        List<PatientKey> inDoubt = new ArrayList<>();
        round.patients().stream().collect(Collectors.groupingBy(PatientKey::sourceId, LinkedHashMap::new,
                Collectors.mapping(PatientKey::patientId, Collectors.toList()))).forEach((sourceId, ids) -> {
                    SnapshotLoader.Batch batch = loader.loadAll(sourceId, ids);
                    batch.loaded().forEach((id, loaded) -> {
                        PatientKey key = new PatientKey(sourceId, id);
                        reviews.add(new Review(key, startedAt, generations.get(key), correlationId,
                                loaded.orElse(null), List.of()));
                    });
                    batch.inDoubt().forEach(id -> inDoubt.add(new PatientKey(sourceId, id)));
                });
        return round.next(reviews, inDoubt);
    }

    /** {@link #decide} for each patient of the round; one the gate cannot decide is decided again one by one. */
    public ReviewRound decideRound(ReviewRound round) {
        List<Review> decided = new ArrayList<>();
        List<PatientKey> failed = new ArrayList<>();
        for (Review review : round.reviews()) {
            try {
                decided.add(decide(review));
            } catch (RuntimeException e) {
                failed.add(review.key()); // alone, its failure is handled for it by the error policy
            }
        }
        return round.next(decided, failed);
    }

    /**
     * {@link #readDiagnosesIfPermitted} for the round: the Conditions of the patients a consent permits
     * {@code diagnosis} for, per source in one batched read; a patient the batched read could not settle is decided
     * again one by one.
     */
    public ReviewRound readDiagnosesRound(ReviewRound round) {
        Map<String, List<String>> permitted = round.reviews().stream().filter(PatientReview::diagnosesPermitted)
                .collect(Collectors.groupingBy(r -> r.key().sourceId(), LinkedHashMap::new,
                        Collectors.mapping(r -> r.key().patientId(), Collectors.toList())));
        Map<PatientKey, List<Condition>> conditions = new LinkedHashMap<>();
        permitted.forEach((sourceId, ids) -> loader.conditionsAll(sourceId, ids)
                .forEach((id, found) -> conditions.put(new PatientKey(sourceId, id), found)));
        List<Review> read = new ArrayList<>();
        List<PatientKey> inDoubt = new ArrayList<>();
        for (Review review : round.reviews()) {
            if (!diagnosesPermitted(review)) {
                read.add(review);
            } else if (conditions.get(review.key()) == null) {
                inDoubt.add(review.key());
            } else {
                read.add(withConditions(review, conditions.get(review.key())));
            }
        }
        return round.next(read, inDoubt);
    }

    /**
     * Applies the round's decisions in one transaction ({@link CaseDecisions#applyAll}). When that fails, nothing of it
     * is applied and every patient of it is decided again one by one, where a failure is handled for its patient.
     */
    public ReviewRound applyRound(ReviewRound round) {
        if (round.reviews().isEmpty()) {
            return round;
        }
        try {
            cases.applyAll(round.reviews(), clock.instant());
            return round.next(List.of(), List.of());
        } catch (RuntimeException e) {
            log.warn("{} decisions could not be applied together ({}); applying them one by one",
                    round.reviews().size(), Recovery.describe(e));
            return round.next(List.of(), round.reviews().stream().map(Review::key).toList());
        }
    }

    /**
     * Reads these patients again together and applies what that decides, as a review round does (one batched read,
     * one transaction): for the case records of a delivery backlog whose reads are too old to send on. A patient the
     * round cannot settle (the batched read, the gate or the transaction) is left out, to be checked alone, and so is
     * everyone when the round fails as a whole (an unavailable EHR): the delivery's own check then handles it.
     *
     * @return the patients decided, each with the instant its read began
     */
    public Map<PatientKey, Instant> reread(List<PatientKey> patients) {
        try {
            ReviewRound round = readDiagnosesRound(decideRound(loadRound(ReviewRound.of(patients, patients.size()))));
            return cases.applyAll(round.reviews(), clock.instant()).stream()
                    .collect(Collectors.toMap(Review::key, Review::startedAt));
        } catch (RuntimeException e) {
            log.info("{} patients could not be read again together ({}); each is checked alone before delivery",
                    patients.size(), Recovery.describe(e));
            return Map.of();
        }
    }

    /**
     * Reads the patient's IPS data from the EHR. The review's correlation id, which its decisions and ledger entries
     * carry, is that of the unit of work in the log lines ({@link WorkCorrelation}).
     */
    public Review load(PatientKey key) {
        String correlationId = correlationId();
        // the generation is read before the EHR is: a decision applied meanwhile makes this read stale
        Review review = new Review(key, clock.instant(), caseStore.generation(key), correlationId, null, List.of());
        return review.reloaded(loader.load(key.sourceId(), key.patientId()).orElse(null));
    }

    /** What the consents allow, per recipient. Fails closed: no patient or an unreadable consent shares nothing. */
    public Review decide(Review review) {
        if (review.loaded() == null) {
            return review.decided(List.of(new GateDecision.Hold(null, null, HoldReason.NO_CONSENT,
                    "the patient is no longer in the EHR")));
        }
        if (review.loaded().consentUnreadable()) {
            return review.decided(List.of(new GateDecision.Hold(null, null, HoldReason.CONSENT_UNREADABLE,
                    "a Consent of the patient could not be read")));
        }
        return validated(review.decided(gate.decide(review.loaded().snapshot(), review.startedAt())));
    }

    /**
     * The resources of a patient the gate shares are checked against their IPS profiles ({@link BorderValidation}):
     * in mode {@code enforce}, when one fails, every share becomes a hold ({@code resource-invalid}) and the failure
     * goes to the failed records; in {@code report}, only the latter. Validation only ever turns a share into a hold:
     * it never adds sharing, and a patient the gate holds (a withdrawal) is not delayed by it.
     */
    private Review validated(Review review) {
        if (validation.mode() == Mode.OFF || review.decisions().stream().noneMatch(GateDecision.Share.class::isInstance)) {
            return review;
        }
        BorderValidation.Findings findings = validation.check(review.loaded().snapshot());
        Review checked = review.reloaded(review.loaded().withFindings(findings));
        if (!findings.any() || validation.mode() == Mode.REPORT) {
            return checked;
        }
        return checked.decided(review.decisions().stream().map(d -> d instanceof GateDecision.Share s
                ? new GateDecision.Hold(s.jobcenterId(), s.consent(), HoldReason.RESOURCE_INVALID, findings.summary())
                : d).toList());
    }

    /** Reads the patient's diagnoses, only when a consent shares the {@code diagnosis} category. */
    public Review readDiagnosesIfPermitted(Review review) {
        if (!diagnosesPermitted(review)) {
            return review;
        }
        return withConditions(review, loader.conditions(review.key().sourceId(), review.key().patientId()));
    }

    private static boolean diagnosesPermitted(Review review) {
        return review.decisions().stream().anyMatch(d -> d instanceof GateDecision.Share s
                && s.categories().contains(DataCategory.DIAGNOSIS));
    }

    private static Review withConditions(Review review, List<Condition> conditions) {
        return review.reloaded(review.loaded().withSnapshot(review.loaded().snapshot().withConditions(conditions)));
    }

    /** Records the decisions and queues what must be sent, in one transaction; false when the read was stale. */
    public boolean apply(Review review) {
        return cases.apply(review, clock.instant());
    }

    /**
     * Consent is checked again at the moment of delivery, and so on every replay: the patient is read fresh from the
     * EHR and decided anew before a case record goes out. If the consent no longer allows what is queued, the decision
     * supersedes the delivery (and queues a withdrawal), so {@code Deliveries.stillWanted} lets nothing through.
     * Withdrawals need no check: they only ever reduce what a jobcenter holds. The patient is decided by the
     * {@code patient-decide} route, the same steps as every review; what fails there fails this delivery, and the
     * delivery's error policy handles it (retry later, or a failed record).
     */
    public void recheckBeforeDelivery(Outbox.Delivery delivery) throws Exception {
        if (!Outbox.CASE.equals(delivery.kind())) {
            return;
        }
        PatientKey key = caseStore.owner(delivery.caseId()).map(CaseStore.CaseOwner::patient).orElse(null);
        if (key != null && !runDecideRoute(key)) {
            // decided meanwhile by another worker from a read that may be older: wait for the fresh decision
            Instant now = clock.instant();
            outbox.postpone(delivery.id(), now.plus(settings.reviewInterval()), now);
        }
    }

    /** Runs the {@code patient-decide} route for one patient; false when the read was stale. */
    private boolean runDecideRoute(PatientKey key) throws Exception {
        try {
            return Boolean.TRUE.equals(routes.requestBody(DECIDE, key, Boolean.class));
        } catch (CamelExecutionException e) {
            // the route hands its failure back as it was (an unavailable EHR, bad input), for the caller's policy
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String correlationId() {
        String current = WorkCorrelation.current();
        return current != null ? current : UUID.randomUUID().toString();
    }

    /** The patient's data could not be read: share nothing more, withdraw what was shared. */
    public void failClosed(PatientKey key, String detail) {
        Review review = new Review(key, clock.instant(), Review.ANY_GENERATION, correlationId(), null,
                List.of(new GateDecision.Hold(null, null, HoldReason.CONSENT_UNREADABLE, detail)));
        cases.apply(review, clock.instant());
    }
}
