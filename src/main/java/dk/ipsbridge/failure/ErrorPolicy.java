package dk.ipsbridge.failure;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.parser.DataFormatException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one error policy, which the {@code ips-error-policy} route configuration calls. Unavailable systems are retried
 * later with backoff; bad input goes to the failed records with its reason; a patient whose data cannot be read
 * shares nothing until it can. The unit of work is the exchange property {@value #WORK}; what retrying and giving up
 * mean for it is the business of its kind's {@link Recovery}.
 */
@Component
public class ErrorPolicy {

    public static final String WORK = "ipsWork";
    private static final Logger log = LoggerFactory.getLogger(ErrorPolicy.class);

    private final List<Recovery<?>> recoveries;
    private final Clock clock;

    ErrorPolicy(List<Recovery<?>> recoveries, Clock clock) {
        this.recoveries = List.copyOf(recoveries);
        this.clock = clock;
    }

    /** Downstream unavailable: the work stays and is tried again later. */
    public void retryLater(Exchange exchange) {
        Object work = exchange.getProperty(WORK);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        recoveryOf(work).ifPresentOrElse(recovery -> recovery.retryLater(work, cause),
                () -> log.warn("unavailable: {}", Recovery.describe(cause)));
    }

    /** Bad input (or a fault of ours): a failed record an operator can see and replay; nothing else stops. */
    public void deadLetter(Exchange exchange) {
        Object work = exchange.getProperty(WORK);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String original = cause instanceof BadInputException bad ? bad.original() : null;
        Recovery.Failure failure = new Recovery.Failure(reason(cause), Recovery.describe(cause), original, clock.instant());
        recoveryOf(work).ifPresentOrElse(recovery -> recovery.deadLetter(work, failure),
                // the cause's message may quote input (a payload, a CPR): log the chain of types only
                () -> log.error("failed outside any unit of work: {} ({})", failure.reason(), causeTypes(cause)));
    }

    /** The recovery of a unit of work's kind, if the work is one. */
    @SuppressWarnings("unchecked")
    Optional<Recovery<Object>> recoveryOf(Object work) {
        return recoveries.stream().filter(recovery -> recovery.work().isInstance(work))
                .map(recovery -> (Recovery<Object>) recovery).findFirst();
    }

    private static String causeTypes(Throwable cause) {
        StringBuilder types = new StringBuilder();
        for (Throwable t = cause; t != null && types.length() < 500; t = t.getCause()) {
            types.append(types.length() == 0 ? "" : " <- ").append(t.getClass().getName());
        }
        return types.toString();
    }

    static String reason(Exception cause) {
        if (cause instanceof BadInputException bad) {
            return bad.reason();
        }
        if (cause instanceof DataFormatException) {
            return "malformed-fhir";
        }
        if (cause instanceof IllegalArgumentException) {
            return "untranslatable";
        }
        return "internal-error";
    }
}
