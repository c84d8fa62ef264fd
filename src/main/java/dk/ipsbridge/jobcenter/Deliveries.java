package dk.ipsbridge.jobcenter;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.cluster.Instance;
import dk.ipsbridge.config.DeliverySettings;
import dk.ipsbridge.config.IpsProperties.Jobcenter;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.config.RetrySettings;
import dk.ipsbridge.failure.Backoff;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.http.Answer;
import dk.ipsbridge.http.BoundedHttp;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.Outbox.Delivery;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.review.CaseStore;
import dk.ipsbridge.review.PatientReview;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The steps of one delivery to a jobcenter, as the {@code jobcenter-deliver} route calls them. */
@Component
public class Deliveries {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

    private final Outbox outbox;
    private final CaseStore cases;
    private final FailedRecords failed;
    private final Instance instance;
    private final DeliverySettings settings;
    private final RetrySettings retry;
    private final Clock clock;
    private final ObjectMapper json;
    private final BoundedHttp http;
    private final JobcenterDirectory directory;
    private final PatientReview review;

    Deliveries(Outbox outbox, CaseStore cases, FailedRecords failed, Instance instance, DeliverySettings settings,
            RetrySettings retry, Clock clock, ObjectMapper json, BoundedHttp http, JobcenterDirectory directory,
            PatientReview review) {
        this.outbox = outbox;
        this.cases = cases;
        this.failed = failed;
        this.instance = instance;
        this.settings = settings;
        this.retry = retry;
        this.clock = clock;
        this.json = json;
        this.http = http;
        this.directory = directory;
        this.review = review;
    }

    /**
     * One round of deliveries to a jobcenter.
     *
     * @param byCase the claimed deliveries grouped by case: the route sends several cases at a time, and the messages
     *               of one case one after the other, in order
     * @param full   the claim was as large as a round may be, or held withdrawals (which go out before case records,
     *               in rounds of their own): more may be due, so another round follows at once
     */
    public record Round(List<List<Delivery>> byCase, boolean full) {
    }

    /** Due deliveries to one jobcenter, claimed for this instance (its {@code jobcenter-deliver-<id>} route). */
    public Round due(String jobcenterId) {
        Instant now = clock.instant();
        List<Delivery> claimed = outbox.claim(jobcenterId, now, settings.deliveryBatch(), instance.id(),
                instance.leaseUntil(now));
        return new Round(List.copyOf(claimed.stream()
                .collect(Collectors.groupingBy(Delivery::caseId, LinkedHashMap::new, Collectors.toList())).values()),
                claimed.size() >= settings.deliveryBatch()
                        || claimed.stream().anyMatch(d -> Outbox.WITHDRAWAL.equals(d.kind())));
    }

    /**
     * The round's case records decided from a read too old to send on ({@link #readTooOld}), read again together
     * before any is sent: their patients are read and decided as one review round ({@link PatientReview#reread}), so
     * that a backlog (a jobcenter slower than the review, or back from an outage) costs one batched EHR read per round,
     * not one read per message. A record whose patient was decided so carries the instant that read began, and goes
     * out without another; a decision that changed the case superseded it, which {@link #stillWanted} finds. A patient
     * the round could not settle keeps its record's old read, which is then checked alone, as before.
     */
    public Round reread(Round round) {
        Map<String, PatientKey> owners = new LinkedHashMap<>();
        round.byCase().stream().flatMap(List::stream).filter(this::readTooOld).forEach(d -> cases.owner(d.caseId())
                .ifPresent(owner -> owners.put(d.caseId(), owner.patient())));
        if (owners.size() < 2) {
            return round; // one is read alone just as cheaply
        }
        Map<PatientKey, Instant> readAt = review.reread(owners.values().stream().distinct().toList());
        return new Round(round.byCase().stream().map(messages -> messages.stream().map(d -> {
            Instant read = readAt.get(owners.get(d.caseId()));
            return read != null && readTooOld(d) ? d.readAgainAt(read) : d;
        }).toList()).toList(), round.full());
    }

    /**
     * Whether this instance still holds the delivery, checked before any work on it, and the claim renewed: not when
     * it was superseded, postponed because its jobcenter is backing off or was paused by an operator, or taken over by
     * another instance.
     */
    public boolean stillOurs(Delivery delivery) {
        Instant now = clock.instant();
        return outbox.renew(delivery.id(), instance.id(), now, instance.leaseUntil(now));
    }

    /**
     * Whether a case record must be checked against the EHR again before it goes out: when the read it was decided
     * from began more than {@code ips.operations.delivery-read-max-age} ago, or is not known. A recent read needs no
     * second one: a revocation the adapter has observed since was applied in the transaction that purged this
     * delivery, which {@link #stillWanted} then finds; one it has not observed yet is at most that old (a push
     * notification makes it observed within a review interval), as a revocation during the second read was before.
     */
    public boolean readTooOld(Delivery delivery) {
        return Outbox.CASE.equals(delivery.kind()) && (delivery.readAt() == null
                || delivery.readAt().plus(settings.deliveryReadMaxAge()).isBefore(clock.instant()));
    }

    /**
     * Checked at the moment of delivery (and so on every replay), after the consent check: a case record goes out
     * only while the case is still shared at that revision. A withdrawal always goes out.
     */
    public boolean stillWanted(Delivery delivery) {
        if (!stillOurs(delivery)) {
            return false;
        }
        if (Outbox.WITHDRAWAL.equals(delivery.kind()) || cases.isShared(delivery.caseId(), delivery.revision())) {
            return true;
        }
        outbox.superseded(delivery.id(), clock.instant());
        log.info("outbox={} case={} not sent: the case changed since it was queued", delivery.id(), delivery.caseId());
        return false;
    }

    /**
     * Sends one delivery to its jobcenter through the one HTTP client, and settles what the answer means. A
     * jobcenter that does not answer (I/O error, timeout) is retried like one that answers 503.
     */
    public void send(Delivery delivery) {
        // SECURITY: the request is made from the outbox row alone (URL, method, payload) and Content-Type, and the
        // one client adds the jobcenter's bearer token: no exchange header, no internal header, nothing else
        // reaches the jobcenter.
        Jobcenter jobcenter = directory.recipient(delivery.recipient());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jobcenter.url(delivery.path())))
                .header("Content-Type", "application/json")
                .method(delivery.method(), HttpRequest.BodyPublishers.ofString(delivery.payload(),
                        StandardCharsets.UTF_8));
        BoundedHttp.Response response;
        try {
            response = http.send(jobcenter, request, "jobcenter " + delivery.recipient() + " " + delivery.kind() + " of case "
                    + delivery.caseId());
        } catch (UnavailableException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            retry(delivery, null, "jobcenter unreachable: " + cause.getClass().getSimpleName(), null);
            return;
        }
        settle(delivery, response.answer(call(delivery)));
    }

    /** What the jobcenter answered, by the status table: delivered, retry later, or a failed record. */
    public void settle(Delivery delivery, int status, String retryAfter, String responseBody) {
        settle(delivery, Answer.of(call(delivery), status, retryAfter, responseBody));
    }

    /** What an answer means for a delivery: delivered, superseded, rebased, retry later, or a failed record. */
    void settle(Delivery delivery, Answer answer) {
        Instant now = clock.instant();
        int status = answer.status();
        switch (answer.meaning()) {
            case DELIVERED -> {
                // a 2xx, or a 404 to a withdrawal with the unknown-case problem: the jobcenter holds no such case
                outbox.delivered(delivery.id(), status, now);
                failed.resolved(FailedRecords.DELIVERY, "outbox/" + delivery.id());
                log.info("outbox={} case={} {} delivered to {} ({})", delivery.id(), delivery.caseId(),
                        delivery.kind(), delivery.recipient(), status);
            }
            case REBASE -> {
                if (!cases.isShared(delivery.caseId(), delivery.revision())) {
                    outbox.superseded(delivery.id(), now); // the case changed while in flight: the newer one wins
                } else if (rebase(delivery, answer.currentRevision(), now)) {
                    log.warn("outbox={} case={} revision conflict: the jobcenter holds a newer revision; sent again "
                            + "above it", delivery.id(), delivery.caseId());
                } else {
                    reject(delivery, answer, now);
                }
            }
            case RETRY_AFTER -> retry(delivery, status, "jobcenter answered " + status, answer.retryAfter());
            case REFUSED, BAD_INPUT -> reject(delivery, answer, now);
            default -> throw new IllegalStateException("no rule for " + answer.meaning());
        }
    }

    private void reject(Delivery delivery, Answer answer, Instant now) {
        int status = answer.status();
        outbox.failed(delivery.id(), status, "jobcenter answered " + status, now);
        failed.record(FailedRecords.DELIVERY, null, delivery.recipient(), "outbox/" + delivery.id(),
                "rejected-by-jobcenter", "jobcenter " + delivery.recipient() + " answered " + status + " to the "
                        + delivery.kind() + " of case " + delivery.caseId()
                        + (answer.problemTitle().isEmpty() ? "" : ": " + answer.problemTitle()), null, now);
        log.warn("outbox={} case={} rejected by {} with {}", delivery.id(), delivery.caseId(), delivery.recipient(),
                status);
    }

    private static Answer.Call call(Delivery delivery) {
        return Outbox.CASE.equals(delivery.kind()) ? Answer.Call.WRITE : Answer.Call.WITHDRAW;
    }

    /** The jobcenter is unavailable: try again later, or give up after the configured attempts. */
    public void retry(Delivery delivery, Integer status, String error, Duration retryAfter) {
        Instant now = clock.instant();
        if (delivery.attempts() + 1 >= settings.maxDeliveryAttempts()) {
            outbox.failed(delivery.id(), status, error, now);
            failed.record(FailedRecords.DELIVERY, null, delivery.recipient(), "outbox/" + delivery.id(),
                    "retries-exhausted", error + " after " + (delivery.attempts() + 1) + " attempts", null, now);
            log.warn("outbox={} case={} gave up after {} attempts: {}", delivery.id(), delivery.caseId(),
                    delivery.attempts() + 1, error);
            return;
        }
        Duration delay = Backoff.delay(delivery.attempts(), retryAfter, retry);
        outbox.retryAt(delivery.id(), status, error, now.plus(delay), now);
        int waiting = outbox.backOff(delivery.recipient(), now.plus(delay), now);
        log.info("outbox={} case={} retry in {} ms, with {} more for {}: {}", delivery.id(), delivery.caseId(),
                delay.toMillis(), waiting, delivery.recipient(), error);
    }

    /**
     * Something other than the jobcenter failed (the EHR could not confirm consent, our store was busy): nothing is
     * sent, no attempt is counted, and the delivery waits.
     *
     * @param waitsFor what it waits for, for the log: "the EHR to confirm consent", "the store"
     */
    public void postpone(Delivery delivery, Duration retryAfter, String waitsFor) {
        Instant now = clock.instant();
        Duration delay = Backoff.delay(0, retryAfter, retry);
        outbox.postpone(delivery.id(), now.plus(delay), now);
        log.info("outbox={} case={} waits {} ms for {}", delivery.id(), delivery.caseId(), delay.toMillis(), waitsFor);
    }

    /** Something about this delivery cannot work (a fault of ours or a removed jobcenter): an operator decides. */
    public void giveUp(Delivery delivery, String reason, String message) {
        Instant now = clock.instant();
        outbox.failed(delivery.id(), null, reason, now);
        failed.record(FailedRecords.DELIVERY, null, delivery.recipient(), "outbox/" + delivery.id(), reason, message,
                null, now);
        log.warn("outbox={} case={} failed: {}", delivery.id(), delivery.caseId(), reason);
    }

    /** On 409 the jobcenter holds a higher revision (say, after a restore): send the same content above it. */
    private boolean rebase(Delivery delivery, long current, Instant now) {
        try {
            if (current < delivery.revision()) {
                return false;
            }
            ObjectNode record = (ObjectNode) json.readTree(delivery.payload());
            record.put("revision", current + 1);
            if (!outbox.rebase(delivery.id(), current + 1, json.writeValueAsString(record), now)) {
                return false;
            }
            cases.rebase(delivery.caseId(), current + 1);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
