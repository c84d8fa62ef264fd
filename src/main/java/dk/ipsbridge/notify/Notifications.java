package dk.ipsbridge.notify;

import java.time.Clock;
import java.time.Instant;

import dk.ipsbridge.ehr.PollSchedule;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.ReviewQueue;
import dk.ipsbridge.review.CaseStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Acts on a checked notification, in one transaction: counts it, marks the patients it names for review (the review
 * reads them fresh from the EHR), and asks for an early poll when it tells of a change it does not carry or when
 * events were lost. A notification whose every event was seen before is ignored. No EHR I/O here.
 */
@Component
class Notifications {

    static final String METRIC = "ips.notifications";
    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    private final NotificationBook book;
    private final ReviewQueue reviews;
    private final CaseStore cases;
    private final PollSchedule polls;
    private final TransactionTemplate transaction;
    private final MeterRegistry meters;
    private final Clock clock;

    Notifications(NotificationBook book, ReviewQueue reviews, CaseStore cases, PollSchedule polls,
            PlatformTransactionManager tx, MeterRegistry meters, Clock clock) {
        this.book = book;
        this.reviews = reviews;
        this.cases = cases;
        this.polls = polls;
        this.transaction = new TransactionTemplate(tx);
        this.meters = meters;
        this.clock = clock;
    }

    void accept(String sourceId, Notification notification) {
        Instant now = clock.instant();
        record Result(NotificationBook.Outcome outcome, boolean poll) {
        }
        Result result = transaction.execute(status -> {
            NotificationBook.Outcome outcome = book.record(sourceId, notification, now);
            boolean act = !outcome.repeated();
            if (act) {
                notification.patientIds().forEach(id -> reviews.changed(new PatientKey(sourceId, id), now));
                if (notification.deletedConsentId() != null) {
                    cases.restingOn(sourceId, notification.deletedConsentId())
                            .forEach(key -> reviews.changed(key, now));
                }
            }
            boolean poll = act && notification.pollNeeded() || outcome.gap() || outcome.restarted();
            if (poll) {
                polls.request(sourceId, now);
            }
            return new Result(outcome, poll);
        });
        NotificationBook.Outcome outcome = result.outcome();
        meters.counter(METRIC, "source", sourceId, "kind", notification.kind()).increment();
        count(sourceId, "duplicate", outcome.duplicates());
        count(sourceId, "out-of-order", outcome.outOfOrder());
        count(sourceId, "gap", outcome.gap() ? 1 : 0);
        String subscription = notification.subscription() == null ? NotificationBook.REST_HOOK
                : notification.subscription();
        if (outcome.gap() || outcome.restarted() || outcome.duplicates() > 0 || outcome.outOfOrder() > 0) {
            log.info("source={} subscription={} notification={} duplicates={} outOfOrder={} gap={} restarted={} "
                    + "earlyPoll={}", sourceId, subscription, notification.kind(), outcome.duplicates(),
                    outcome.outOfOrder(), outcome.gap(), outcome.restarted(), result.poll());
        } else {
            log.debug("source={} subscription={} notification={} patientsMarked={} earlyPoll={}", sourceId,
                    subscription, notification.kind(), notification.patientIds().size(), result.poll());
        }
    }

    private void count(String sourceId, String outcome, int n) {
        if (n > 0) {
            meters.counter(METRIC + ".events", "source", sourceId, "outcome", outcome).increment(n);
        }
    }
}
