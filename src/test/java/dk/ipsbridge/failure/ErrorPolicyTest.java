package dk.ipsbridge.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.parser.DataFormatException;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The error policy hands each failure to its work's kind, with a reason and a message free of what it read. */
class ErrorPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private final Kind kind = new Kind();
    private final ErrorPolicy policy = new ErrorPolicy(List.of(kind), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldHandAnUnavailableSystemToTheWorksRecoveryToRetryLater() {
        UnavailableException busy = new UnavailableException("EHR answered 503", 503, Duration.ofSeconds(30), null);

        policy.retryLater(exchange(new Work("w1"), busy));

        assertThat(kind.retried).containsExactly("w1");
        assertThat(Recovery.retryAfter(busy)).isEqualTo(Duration.ofSeconds(30));
        assertThat(kind.failures).isEmpty();
    }

    @Test
    void shouldDeadLetterBadInputWithItsReasonMessageAndOriginal() {
        BadInputException bad = new BadInputException("malformed-response", "Consent search page 1 is not FHIR",
                "{not json");

        policy.deadLetter(exchange(new Work("w2"), bad));

        assertThat(kind.failures).singleElement().isEqualTo(new Recovery.Failure("malformed-response",
                "Consent search page 1 is not FHIR", "{not json", NOW));
    }

    @Test
    void shouldReduceAForeignExceptionsMessageToItsTypeForItMayQuoteInput() {
        policy.deadLetter(exchange(new Work("w3"), new IllegalStateException("CPR 0101901234 in the way")));

        assertThat(kind.failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("internal-error");
            assertThat(f.message()).isEqualTo("IllegalStateException").doesNotContain("0101901234");
            assertThat(f.original()).isNull();
        });
    }

    @Test
    void shouldNameTheReasonByTheKindOfFailure() {
        assertThat(ErrorPolicy.reason(new BadInputException("paging-loop", "m", null))).isEqualTo("paging-loop");
        assertThat(ErrorPolicy.reason(new DataFormatException("x"))).isEqualTo("malformed-fhir");
        assertThat(ErrorPolicy.reason(new IllegalArgumentException("x"))).isEqualTo("untranslatable");
        assertThat(ErrorPolicy.reason(new IOException("x"))).isEqualTo("internal-error");
        assertThat(Recovery.describe(null)).isEqualTo("unknown failure");
        assertThat(Recovery.describe(new DataFormatException("Jane Doe"))).isEqualTo("DataFormatException");
    }

    @Test
    void shouldLeaveFailuresOutsideAnyUnitOfWorkToTheLogOnly() {
        policy.retryLater(exchange(null, new IOException("down")));
        policy.deadLetter(exchange("not a kind of work", new IllegalStateException("x")));

        assertThat(kind.retried).isEmpty();
        assertThat(kind.failures).isEmpty();
        assertThat(policy.recoveryOf("not a kind of work")).isEmpty();
        assertThat(policy.recoveryOf(new Work("w"))).isPresent();
    }

    private static Exchange exchange(Object work, Exception cause) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ErrorPolicy.WORK, work);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        return exchange;
    }

    record Work(String id) {
    }

    static final class Kind implements Recovery<Work> {
        final List<String> retried = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();

        @Override
        public Class<Work> work() {
            return Work.class;
        }

        @Override
        public String stage() {
            return "test";
        }

        @Override
        public void retryLater(Work work, Exception cause) {
            retried.add(work.id());
        }

        @Override
        public void deadLetter(Work work, Failure failure) {
            failures.add(failure);
        }

        @Override
        public void replay(FailedRecord record) {
            retried.add("replay " + record.subject());
        }
    }
}
