package dk.ipsbridge.failure;

import java.time.Clock;
import java.time.Instant;

import ca.uhn.fhir.parser.DataFormatException;
import dk.ipsbridge.config.OperationsProperties;
import dk.ipsbridge.jobcenter.Deliveries;
import dk.ipsbridge.jobcenter.Outbox.Delivery;
import dk.ipsbridge.outcome.OutcomeWriteBack;
import dk.ipsbridge.review.PatientKey;
import dk.ipsbridge.review.PatientReview;
import dk.ipsbridge.review.ReviewQueue;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one error policy, which the {@code ips-error-policy} route configuration calls. Unavailable systems are retried
 * later with backoff; bad input goes to the failed records with its reason; a patient whose data cannot be read
 * shares nothing until it can. The unit of work is the exchange property {@value #WORK}: an {@link IngestWork}, a
 * {@link PatientKey} or a {@link Delivery}.
 */
@Component
public class ErrorPolicy {

    public static final String WORK = "ipsWork";
    private static final Logger log = LoggerFactory.getLogger(ErrorPolicy.class);

    private final ReviewQueue reviews;
    private final PatientReview patientReview;
    private final Deliveries deliveries;
    private final FailedRecords failed;
    private final OperationsProperties ops;
    private final Clock clock;

    ErrorPolicy(ReviewQueue reviews, PatientReview patientReview, Deliveries deliveries, FailedRecords failed,
            OperationsProperties ops, Clock clock) {
        this.reviews = reviews;
        this.patientReview = patientReview;
        this.deliveries = deliveries;
        this.failed = failed;
        this.ops = ops;
        this.clock = clock;
    }

    /** Polling one resource type of one EHR source. */
    public record IngestWork(String sourceId, String resourceType) {
    }

    /** Downstream unavailable: the work stays and is tried again later. */
    public void retryLater(Exchange exchange) {
        Object work = exchange.getProperty(WORK);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        UnavailableException unavailable = cause instanceof UnavailableException u ? u : null;
        String message = cause == null ? "unavailable" : cause.getMessage();
        if (work instanceof Delivery delivery && unavailable != null) {
            // in a delivery only the consent check reads through our clients: the EHR is down, not the jobcenter
            deliveries.postpone(delivery, unavailable.retryAfter());
        } else if (work instanceof Delivery delivery) {
            deliveries.retry(delivery, null,
                    "jobcenter unreachable: " + (cause == null ? "unknown" : cause.getClass().getSimpleName()), null);
        } else if (work instanceof PatientKey key) {
            Instant next = clock.instant().plus(Backoff.delay(reviews.attempts(key),
                    unavailable == null ? null : unavailable.retryAfter(), ops));
            reviews.retryLater(key, next);
            log.warn("patient={} review postponed to {}: {}", key.reference(), next, message);
        } else if (work instanceof OutcomeWriteBack.OutcomeWork outcome) {
            log.warn("jobcenter={} outcomes not read, the cursor stays and the next round retries: {}",
                    outcome.jobcenterId(), message);
        } else if (work instanceof IngestWork ingest) {
            log.warn("source={} type={} poll failed, the cursor stays and the next poll retries: {}",
                    ingest.sourceId(), ingest.resourceType(), message);
        } else {
            log.warn("unavailable: {}", message);
        }
    }

    /** Bad input (or a fault of ours): a failed record an operator can see and replay; nothing else stops. */
    public void deadLetter(Exchange exchange) {
        Object work = exchange.getProperty(WORK);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = reason(cause);
        String message = message(cause);
        String original = cause instanceof BadInputException bad ? bad.original() : null;
        Instant now = clock.instant();
        if (work instanceof Delivery delivery) {
            deliveries.giveUp(delivery, reason, message);
        } else if (work instanceof PatientKey key) {
            failed.record(FailedRecords.REVIEW, key.sourceId(), null, key.reference(), reason, message, original, now);
            patientReview.failClosed(key, reason);
            log.warn("patient={} could not be decided ({}); nothing more is shared until it can be", key.reference(),
                    reason);
        } else if (work instanceof OutcomeWriteBack.OutcomeWork outcome) {
            failed.record(FailedRecords.OUTCOME, null, outcome.jobcenterId(), "outcomes feed", reason, message,
                    original, now);
            log.warn("jobcenter={} outcomes feed failed ({}), the cursor stays", outcome.jobcenterId(), reason);
        } else if (work instanceof IngestWork ingest) {
            failed.record(FailedRecords.INGEST, ingest.sourceId(), null, ingest.resourceType() + " search", reason,
                    message, original, now);
            log.warn("source={} type={} poll failed ({}), the cursor stays", ingest.sourceId(), ingest.resourceType(),
                    reason);
        } else {
            // the cause's message may quote input (a payload, a CPR): log the chain of types only
            log.error("failed outside any unit of work: {} ({})", reason, causeTypes(cause));
        }
    }

    private static String causeTypes(Throwable cause) {
        StringBuilder types = new StringBuilder();
        for (Throwable t = cause; t != null && types.length() < 500; t = t.getCause()) {
            types.append(types.length() == 0 ? "" : " <- ").append(t.getClass().getName());
        }
        return types.toString();
    }

    private static String reason(Exception cause) {
        if (cause instanceof BadInputException bad) {
            return bad.reason();
        }
        if (cause instanceof DataFormatException) {
            return "malformed-fhir";
        }
        if (cause instanceof IllegalArgumentException) {
            return "untranslatable";
        }
        return "internal-error";
    }

    /** Exception messages of our own are free of personal data; others are reduced to their type. */
    private static String message(Exception cause) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof BadInputException || cause.getClass().getName().startsWith("dk.ipsbridge")
                || cause instanceof IllegalArgumentException) {
            return String.valueOf(cause.getMessage());
        }
        return cause.getClass().getSimpleName();
    }
}
