package dk.ipsbridge.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import dk.ipsbridge.validation.IpsProfiles;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hl7.fhir.r4.model.Observation;

/**
 * What the adapter writes to the EHR conforms: every outcome Observation it can make (every outcome type, any
 * jobcenter id and event id the configuration and contract allow, with or without hours) validates against
 * {@code ips-outcome-observation} with no error.
 */
class OutcomeObservationsValidationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final FhirValidator VALIDATOR = IpsProfiles.validator(FHIR);
    private static final ValidationOptions PROFILE = new ValidationOptions()
            .addProfile(IpsProfiles.CANONICAL + "ips-outcome-observation");
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";

    @Property(tries = 150)
    void everyOutcomeObservationConformsToItsProfile(@ForAll("jobcenterIds") String jobcenterId,
                                                     @ForAll("events") OutcomeEvent event) {
        Observation observation = OutcomeObservations.toObservation(jobcenterId, event, "Patient/p-1");

        List<SingleValidationMessage> errors = VALIDATOR.validateWithResult(observation, PROFILE).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();

        assertThat(errors).as(() -> errors.stream().map(m -> m.getLocationString() + ": " + m.getMessage())
                .collect(Collectors.joining("\n"))).isEmpty();
    }

    /** The configuration's jobcenter id pattern, {@code [a-z0-9][a-z0-9-]{0,31}}. */
    @Provide
    Arbitrary<String> jobcenterIds() {
        return Combinators.combine(Arbitraries.strings().withChars(LOWER).ofLength(1),
                Arbitraries.strings().withChars(LOWER + "-").ofMaxLength(31)).as(String::concat);
    }

    /** The contract's outcome events, but retractions (they change the Observation they retract, and make none). */
    @Provide
    Arbitrary<OutcomeEvent> events() {
        Arbitrary<String> eventIds = Arbitraries.strings().withChars(LOWER + "ABCDEFGHIJKLMNOPQRSTUVWXYZ._:-")
                .ofMinLength(1).ofMaxLength(64);
        Arbitrary<String> types = Arbitraries.of(OutcomeEvent.TYPES.stream()
                .filter(t -> !t.equals(OutcomeEvent.RETRACTED)).sorted().toList());
        Arbitrary<Double> hours = Arbitraries.doubles().between(0.5, 80).ofScale(1).injectNull(0.3);
        Arbitrary<LocalDate> dates = Arbitraries.integers().between(0, 3650)
                .map(d -> LocalDate.of(2020, 1, 1).plusDays(d));
        return Combinators.combine(eventIds, types, hours, dates).as((id, type, h, on) -> new OutcomeEvent(id,
                "ipsabcdef", "0404904004", type, on, h, type.equals("job-started") ? "ordinary" : null, null));
    }
}
