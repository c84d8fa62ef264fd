package dk.ipsbridge.cluster;

import dk.ipsbridge.jobcenter.Outbox;
import dk.ipsbridge.review.ReviewQueue;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A graceful stop drains: Camel lets the rounds in flight finish (up to {@code camel.main.shutdown-timeout}), then
 * this releases the claims this instance still holds, so that another instance (or this one, restarted) takes the
 * work at once instead of after a lease. After a kill nothing is released, and the leases run out instead.
 */
@Component
class ReleaseOnStop extends EventNotifierSupport {

    private static final Logger log = LoggerFactory.getLogger(ReleaseOnStop.class);

    private final Outbox outbox;
    private final ReviewQueue reviews;
    private final Instance instance;

    ReleaseOnStop(Outbox outbox, ReviewQueue reviews, Instance instance) {
        this.outbox = outbox;
        this.reviews = reviews;
        this.instance = instance;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        int deliveries = outbox.release(instance.id());
        int patients = reviews.release(instance.id());
        log.info("instance={} stopped; released {} deliveries and {} patients for other instances", instance.id(),
                deliveries, patients);
    }
}
