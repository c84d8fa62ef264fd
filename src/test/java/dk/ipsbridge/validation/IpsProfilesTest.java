package dk.ipsbridge.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example of the IPS package validates; every invalid fixture fails with the message it expects. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpsProfilesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Path GENERATED = Path.of("fhir-profiles/fsh-generated/resources");

    private FhirValidator validator;

    @BeforeAll
    void build() {
        validator = IpsProfiles.validator(FHIR);
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(GENERATED)) {
            return files.filter(f -> !f.getFileName().toString().matches(
                    "(StructureDefinition|ValueSet|CodeSystem|ImplementationGuide)-.*")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void shouldValidateEveryExampleWithoutErrors(Path example) throws IOException {
        List<SingleValidationMessage> messages = validator.validateWithResult(Files.readString(example)).getMessages();
        assertThat(errors(messages)).as(describe(messages)).isEmpty();
    }

    static Stream<Arguments> invalidFixtures() {
        return Stream.of(
                Arguments.of("Patient-wrong-cpr-system.json", "Slice 'Patient.identifier:cpr': a matching slice is required, but not found"),
                Arguments.of("Consent-without-ips-category.json", "Slice 'Consent.category:ipsDataSharing': a matching slice is required, but not found"),
                Arguments.of("Consent-unknown-data-category.json", "Unknown code 'http://ipsbridge.dk/fhir/CodeSystem/ips-data-category#housing'"),
                Arguments.of("CareTeam-consultant-without-jobcenter.json", "ips-careteam-1"),
                Arguments.of("Observation-bad-event-identifier.json", "ips-outcome-1"),
                Arguments.of("Observation-milestone-as-employment-status.json", "ips-outcome-2"));
    }

    @ParameterizedTest
    @MethodSource("invalidFixtures")
    void shouldRejectEveryInvalidFixtureWithTheExpectedMessage(String fixture, String expected) throws IOException {
        List<SingleValidationMessage> messages = validator.validateWithResult(
                Files.readString(Path.of("fhir-profiles/invalid", fixture))).getMessages();
        assertThat(errors(messages)).as(describe(messages)).isNotEmpty()
                .anySatisfy(m -> assertThat(m.getLocationString() + ": " + m.getMessage()).contains(expected));
    }

    static List<SingleValidationMessage> errors(List<SingleValidationMessage> messages) {
        return messages.stream().filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                || m.getSeverity() == ResultSeverityEnum.FATAL).toList();
    }

    static String describe(List<SingleValidationMessage> messages) {
        return messages.stream().map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
                .collect(Collectors.joining("\n"));
    }
}
