package dk.ipsbridge.failure;

import java.time.Duration;
import java.time.Instant;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;

/**
 * How one kind of work recovers from a failure: polling a source, deciding a patient, a delivery, an outcomes page.
 * Each feature implements it for its own work, so that the {@link ErrorPolicy} and {@link Replays} know none of them.
 *
 * @param <W> the unit of work, as the routes set it in the exchange property {@value ErrorPolicy#WORK}
 */
public interface Recovery<W> {

    /** The type of the unit of work this recovers. */
    Class<W> work();

    /** The stage its failed records are filed under: {@link FailedRecords#REVIEW}, {@link FailedRecords#DELIVERY}... */
    String stage();

    /** A system the work needs is unavailable (an I/O error, a timeout, a 5xx or 429): leave it to be tried later. */
    void retryLater(W work, Exception cause);

    /** Bad input or a fault of ours: a failed record an operator can see and replay; nothing else stops. */
    void deadLetter(W work, Failure failure);

    /** An operator replays one of this stage's failed records (already closed as replayed). */
    void replay(FailedRecord record);

    /**
     * A failure as it may be recorded: the reason's code, a message free of personal data, and the input that could
     * not be processed (or null).
     */
    record Failure(String reason, String message, String original, Instant at) {
        @Override
        public String toString() {
            return Redacted.toString(this, "original");
        }
    }

    /** How long the unavailable system asked to be left alone ({@code Retry-After}), or null. */
    static Duration retryAfter(Exception cause) {
        return cause instanceof UnavailableException unavailable ? unavailable.retryAfter() : null;
    }

    /**
     * The cause's message as it may be logged or stored: the messages of our own exceptions (and of
     * {@link IllegalArgumentException}, which ours throw) name no person; any other is reduced to its type, for it may
     * quote input (a payload, a CPR).
     */
    static String describe(Exception cause) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof BadInputException || cause.getClass().getName().startsWith("dk.ipsbridge")
                || cause instanceof IllegalArgumentException) {
            return String.valueOf(cause.getMessage());
        }
        return cause.getClass().getSimpleName();
    }
}
