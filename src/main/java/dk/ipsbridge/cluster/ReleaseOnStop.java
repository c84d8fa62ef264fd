package dk.ipsbridge.cluster;

import dk.ipsbridge.jobcenter.Outbox;
import dk.ipsbridge.review.ReviewQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A graceful stop drains: Camel stops first and lets the rounds in flight finish (up to
 * {@code camel.main.shutdown-timeout}); then, in a later shutdown phase while the database is still open, this
 * releases the claims the instance still holds, so that another instance (or this one, restarted) takes the work at
 * once instead of after a lease. After a kill nothing is released, and the leases run out instead.
 */
@Component
class ReleaseOnStop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReleaseOnStop.class);

    private final Outbox outbox;
    private final ReviewQueue reviews;
    private final Instance instance;
    private volatile boolean running;

    ReleaseOnStop(Outbox outbox, ReviewQueue reviews, Instance instance) {
        this.outbox = outbox;
        this.reviews = reviews;
        this.instance = instance;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        int deliveries = outbox.release(instance.id());
        int patients = reviews.release(instance.id());
        log.info("instance={} stopped; released {} deliveries and {} patients for other instances", instance.id(),
                deliveries, patients);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped after Camel (which stops in the last phase), before the database closes. */
    @Override
    public int getPhase() {
        return 0;
    }
}
