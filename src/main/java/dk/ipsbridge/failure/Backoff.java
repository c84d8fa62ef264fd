package dk.ipsbridge.failure;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dk.ipsbridge.config.RetrySettings;

/**
 * Exponential backoff with jitter; a longer Retry-After from the server wins, but never beyond
 * {@code ips.operations.max-retry-backoff}: a server must not be able to park our work for years.
 */
public final class Backoff {

    private Backoff() {
    }

    /**
     * The delay before the next attempt.
     *
     * @param retryAfter what the server asked for ({@link RetryAfter#parse}), or null
     */
    public static Duration delay(int attempts, Duration retryAfter, RetrySettings retry) {
        long base = retry.retryBackoff().toMillis() << Math.min(attempts, 20);
        long capped = Math.min(base, retry.maxRetryBackoff().toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        Duration delay = Duration.ofMillis(jittered);
        if (retryAfter == null || retryAfter.compareTo(delay) <= 0) {
            return delay;
        }
        return retryAfter.compareTo(retry.maxRetryBackoff()) > 0 ? retry.maxRetryBackoff() : retryAfter;
    }
}
