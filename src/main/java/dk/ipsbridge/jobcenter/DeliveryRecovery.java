package dk.ipsbridge.jobcenter;

import java.time.Clock;

import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.Outbox.Delivery;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/** A delivery stays in the outbox and is tried again with backoff, or gives up into a failed record. */
@Component
class DeliveryRecovery implements Recovery<Delivery> {

    private final Deliveries deliveries;
    private final Outbox outbox;
    private final Clock clock;

    DeliveryRecovery(Deliveries deliveries, Outbox outbox, Clock clock) {
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Class<Delivery> work() {
        return Delivery.class;
    }

    @Override
    public String stage() {
        return FailedRecords.DELIVERY;
    }

    @Override
    public void retryLater(Delivery delivery, Exception cause) {
        if (cause instanceof UnavailableException unavailable) {
            // in a delivery only the consent check reads through our clients: the EHR is down, not the jobcenter
            deliveries.postpone(delivery, unavailable.retryAfter(), "the EHR to confirm consent");
        } else if (cause instanceof TransientDataAccessException) {
            deliveries.postpone(delivery, null, "the store"); // a lock wait: nor is it the jobcenter's fault
        } else {
            deliveries.retry(delivery, null,
                    "jobcenter unreachable: " + (cause == null ? "unknown" : cause.getClass().getSimpleName()), null);
        }
    }

    @Override
    public void deadLetter(Delivery delivery, Failure failure) {
        deliveries.giveUp(delivery, failure.reason(), failure.message());
    }

    @Override
    public void replay(FailedRecord record) {
        outbox.requeue(Long.parseLong(record.subject().substring("outbox/".length())), clock.instant());
    }
}
