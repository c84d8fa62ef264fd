package dk.ipsbridge.notify;

/**
 * A notification refused with a clear reason: answered with a 4xx problem and kept as a failed record. The message
 * never quotes the input.
 */
final class RejectedNotification extends RuntimeException {

    private final int status;
    private final String reason;

    RejectedNotification(int status, String reason, String message) {
        super(message, null, false, false); // refused input is routine: no stack trace
        this.status = status;
        this.reason = reason;
    }

    static RejectedNotification badRequest(String reason, String message) {
        return new RejectedNotification(400, reason, message);
    }

    int status() {
        return status;
    }

    /** A short kebab-case code: malformed-json, xml-not-accepted, path-mismatch, unknown-source... */
    String reason() {
        return reason;
    }
}
