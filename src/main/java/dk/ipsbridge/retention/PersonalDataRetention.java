package dk.ipsbridge.retention;

import java.time.Clock;
import java.time.Instant;

import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.queue.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The retention sweep of personal data outside the ledger (the {@code personal-data-retention} route). A payload is
 * dropped as soon as it is delivered or superseded, and a failed record's original as soon as the record is closed;
 * this sweep removes what an operator left alone for {@code ips.retention.failed-work}: the originals of open
 * failed records and the payloads of deliveries given up (which can then no longer be replayed; the patient is sent
 * again on the next change or resync), and closed failed records altogether.
 */
@Component
public class PersonalDataRetention {

    private static final Logger LOG = LoggerFactory.getLogger(PersonalDataRetention.class);

    private final FailedRecords failed;
    private final Outbox outbox;
    private final RetentionSettings settings;
    private final Clock clock;

    public PersonalDataRetention(FailedRecords failed, Outbox outbox, RetentionSettings settings, Clock clock) {
        this.failed = failed;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
    }

    /** One sweep; returns how many rows it changed. */
    @Transactional
    public int sweep() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(settings.failedWork());
        int records = failed.expire(cutoff);
        int deliveries = outbox.expire(cutoff, now);
        if (records + deliveries > 0) {
            LOG.info("Retention: {} failed records and {} failed deliveries past {} no longer hold personal data",
                    records, deliveries, settings.failedWork());
        }
        return records + deliveries;
    }
}
