package dk.ipsbridge.failure;

import java.time.Duration;

/** A system we call is down or busy (I/O error, timeout, 5xx, 429): try again later. */
public class UnavailableException extends RuntimeException {

    private final Integer status;
    private final Duration retryAfter;

    public UnavailableException(String message, Integer status, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, or null for an I/O failure. */
    public Integer status() {
        return status;
    }

    /** What the server asked for with Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
