package dk.ipsbridge.testkit.fault;

import java.util.Objects;

/**
 * A fault that the mock EHR and the mock jobcenter give in place of the answer to a request, which then changes
 * nothing. Each mock writes it in its own dialect: an error status with an OperationOutcome (EHR) or a
 * problem+json (jobcenter).
 *
 * <pre>{@code
 * ehr.failNext("Consent", InjectedFault.connectionReset(), 1);
 * jobcenter.failNext(InjectedFault.status(429, 30), 2);
 * jobcenter.failWith(InjectedFault.malformedBody());
 * jobcenter.failNext(InjectedFault.bareStatus(404), 1);   // as a wrong base URL answers
 * }</pre>
 *
 * @param kind              what happens
 * @param status            the HTTP status of {@link Kind#STATUS} and {@link Kind#BARE_STATUS}, 200 for
 *                          {@link Kind#MALFORMED_BODY}, 0 for {@link Kind#CONNECTION_RESET}
 * @param retryAfterSeconds the {@code Retry-After} header of {@link Kind#STATUS}, or null for none
 */
public record InjectedFault(Kind kind, int status, Integer retryAfterSeconds) {

    /** What an injected fault does. */
    public enum Kind {
        /** A status, usually an error, with the mock's error body. */
        STATUS,
        /** A status with no body at all (no OperationOutcome, no problem): what a proxy or a wrong base URL gives. */
        BARE_STATUS,
        /** 200 with a body that is not what its {@code Content-Type} says. */
        MALFORMED_BODY,
        /** The connection is reset (TCP RST) before any answer. */
        CONNECTION_RESET
    }

    public InjectedFault {
        Objects.requireNonNull(kind, "kind");
        boolean consistent = switch (kind) {
            case STATUS -> status >= 100 && status <= 599 && (retryAfterSeconds == null || retryAfterSeconds >= 0);
            case BARE_STATUS -> status >= 200 && status <= 599 && retryAfterSeconds == null;
            case MALFORMED_BODY -> status == 200 && retryAfterSeconds == null;
            case CONNECTION_RESET -> status == 0 && retryAfterSeconds == null;
        };
        if (!consistent) {
            throw new IllegalArgumentException("Not a consistent fault: " + kind + " " + status + " " + retryAfterSeconds);
        }
    }

    /** A status, usually 4xx or 5xx, with the mock's error body; 429 and 503 carry {@code Retry-After: 1}. */
    public static InjectedFault status(int status) {
        return status(status, status == 429 || status == 503 ? 1 : null);
    }

    /** As {@link #status(int)}, with {@code Retry-After} in seconds, or none when null. */
    public static InjectedFault status(int status, Integer retryAfterSeconds) {
        return new InjectedFault(Kind.STATUS, status, retryAfterSeconds);
    }

    /**
     * {@code status} with an empty body and no {@code Content-Type}: for example a bare 404, which the case API says
     * is an error (a wrong base URL), unlike its 404 with the unknown-case problem.
     */
    public static InjectedFault bareStatus(int status) {
        return new InjectedFault(Kind.BARE_STATUS, status, null);
    }

    /** 200 with a body that is not what its {@code Content-Type} says. */
    public static InjectedFault malformedBody() {
        return new InjectedFault(Kind.MALFORMED_BODY, 200, null);
    }

    /** The connection is reset before any answer, as WireMock's {@code CONNECTION_RESET_BY_PEER}. */
    public static InjectedFault connectionReset() {
        return new InjectedFault(Kind.CONNECTION_RESET, 0, null);
    }
}
