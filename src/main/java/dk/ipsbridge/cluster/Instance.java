package dk.ipsbridge.cluster;

import java.time.Duration;
import java.time.Instant;

/**
 * This running adapter: the id its claims carry, and how long a claim lasts without renewal.
 */
public record Instance(String id, Duration lease) {

    /** Until when a claim taken {@code now} holds. */
    public Instant leaseUntil(Instant now) {
        return now.plus(lease);
    }
}
