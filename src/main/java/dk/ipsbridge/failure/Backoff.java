package dk.ipsbridge.failure;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dk.ipsbridge.config.OperationsProperties;

/** Exponential backoff with jitter; a longer Retry-After from the server wins. */
public final class Backoff {

    private Backoff() {
    }

    public static Duration delay(int attempts, Duration retryAfter, OperationsProperties ops) {
        long base = ops.retryBackoff().toMillis() << Math.min(attempts, 20);
        long capped = Math.min(base, ops.maxRetryBackoff().toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        Duration delay = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }
}
