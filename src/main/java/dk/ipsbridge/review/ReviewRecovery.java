package dk.ipsbridge.review;

import java.time.Clock;
import java.time.Instant;

import dk.ipsbridge.config.RetrySettings;
import dk.ipsbridge.failure.Backoff;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.ReviewQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A patient that could not be read is reviewed again later, with backoff; one that could not be decided shares
 * nothing until it can (fail closed), and a replay marks it for review again.
 */
@Component
class ReviewRecovery implements Recovery<PatientKey> {

    private static final Logger log = LoggerFactory.getLogger(ReviewRecovery.class);

    private final ReviewQueue reviews;
    private final PatientReview patientReview;
    private final FailedRecords failed;
    private final RetrySettings retry;
    private final Clock clock;

    ReviewRecovery(ReviewQueue reviews, PatientReview patientReview, FailedRecords failed, RetrySettings retry,
            Clock clock) {
        this.reviews = reviews;
        this.patientReview = patientReview;
        this.failed = failed;
        this.retry = retry;
        this.clock = clock;
    }

    @Override
    public Class<PatientKey> work() {
        return PatientKey.class;
    }

    @Override
    public String stage() {
        return FailedRecords.REVIEW;
    }

    @Override
    public void retryLater(PatientKey key, Exception cause) {
        Instant next = clock.instant().plus(Backoff.delay(reviews.attempts(key), Recovery.retryAfter(cause), retry));
        reviews.retryLater(key, next);
        log.warn("patient={} review postponed to {}: {}", key.reference(), next, Recovery.describe(cause));
    }

    @Override
    public void deadLetter(PatientKey key, Failure failure) {
        failed.record(FailedRecords.REVIEW, key.sourceId(), null, key.reference(), failure.reason(), failure.message(),
                failure.original(), failure.at());
        patientReview.failClosed(key, failure.reason());
        log.warn("patient={} could not be decided ({}); nothing more is shared until it can be", key.reference(),
                failure.reason());
    }

    @Override
    public void replay(FailedRecord record) {
        reviews.changed(new PatientKey(record.sourceId(), record.subject().substring("Patient/".length())),
                clock.instant());
    }
}
