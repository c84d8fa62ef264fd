package dk.ipsbridge.failure;

/**
 * Input that will not get better by retrying: it goes to the failed records with its reason, and nothing else stops.
 * The message never holds personal data; {@code original} (the input as received, possibly truncated) is stored for
 * the operator and never logged.
 */
public class BadInputException extends RuntimeException {

    private final String reason;
    private final String original;

    public BadInputException(String reason, String message, String original) {
        super(message);
        this.reason = reason;
        this.original = original;
    }

    /**
     * A short kebab-case code: malformed-response, xml-not-accepted, json-limit-exceeded, unexpected-resource-type,
     * unreadable-resource, response-too-large, paging-loop... (docs/hostile-input.md lists them).
     */
    public String reason() {
        return reason;
    }

    public String original() {
        return original;
    }
}
