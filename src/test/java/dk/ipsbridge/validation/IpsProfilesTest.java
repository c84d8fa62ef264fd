package dk.ipsbridge.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.utilities.OIDUtilities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of the IPS package validates; every invalid fixture fails with the message it expects; the R4 core the
 * adapter ships finds the same errors as all of R4 core.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpsProfilesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Path GENERATED = Path.of("fhir-profiles/fsh-generated/resources");

    private static final String CONSENT_EXAMPLE = "Consent-consent-jobcenter.json";
    private static final String REFERRAL_EXAMPLE = "ServiceRequest-referral-ptsd.json";
    /** Codes and coded elements of the examples; references with a resource type. */
    private static final Pattern CODED = Pattern.compile(
            "\"(code|status|lifecycleStatus|gender|use|intent|priority|mode)\": \"[^\"]*\"");
    private static final Pattern REFERENCE = Pattern.compile(
            "(\"reference\": \"(\\w+)/)");

    private FhirValidator validator;
    private FhirValidator withAllOfCore;

    @BeforeAll
    void build() {
        validator = IpsProfiles.validator(FHIR);
        withAllOfCore = IpsProfiles.validatorOver(FHIR, new DefaultProfileValidationSupport(FHIR));
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

    static Stream<Path> everyFixture() throws IOException {
        try (Stream<Path> invalid = Files.list(Path.of("fhir-profiles/invalid"))) {
            return Stream.concat(examples(), invalid.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream());
        }
    }

    /** The R4 core subset the adapter ships ({@link CoreSubset}) finds exactly the errors all of R4 core finds. */
    @ParameterizedTest
    @MethodSource("everyFixture")
    void shouldFindTheSameErrorsWithTheCoreSubsetAsWithAllOfCore(Path fixture) throws IOException {
        String json = Files.readString(fixture);
        // and with every code, and every coded element, given a code no value set has; and with every reference typed
        String broken = CODED.matcher(json).replaceAll("\"$1\": \"not-a-code\"");
        String typed = REFERENCE.matcher(json).replaceAll("\"type\": \"$2\", $1");

        for (String resource : List.of(json, broken, typed)) {
            assertThat(describe(errors(validator.validateWithResult(resource).getMessages())))
                    .isEqualTo(describe(errors(withAllOfCore.validateWithResult(resource).getMessages())));
        }
    }

    /**
     * Resource types outside the shipped closure are loaded when met: a contained QuestionnaireResponse as the
     * consent's source, a performer typed CareTeam (the validator reads the target profiles before it, HealthcareService
     * and Device). The same errors as with all of core: none.
     */
    @Test
    void shouldLoadTheDefinitionsOfAResourceTypeWhenAResourceNamesIt() throws IOException {
        Consent consent = FHIR.newJsonParser().parseResource(Consent.class,
                Files.readString(GENERATED.resolve(CONSENT_EXAMPLE)));
        QuestionnaireResponse form = new QuestionnaireResponse();
        form.setId("form");
        form.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        consent.addContained(form);
        consent.setSource(new Reference("#form"));
        ServiceRequest referral = FHIR.newJsonParser().parseResource(
                ServiceRequest.class, Files.readString(GENERATED.resolve(REFERRAL_EXAMPLE)));
        referral.getPerformer().clear();
        referral.addPerformer().setReference("CareTeam/ct-1").setType("CareTeam");

        for (Resource resource : List.<Resource>of(consent, referral)) {
            String json = FHIR.newJsonParser().encodeResourceToString(resource);
            List<SingleValidationMessage> messages = validator.validateWithResult(json).getMessages();
            assertThat(errors(messages)).as(describe(messages)).isEmpty();
            assertThat(describe(errors(withAllOfCore.validateWithResult(json).getMessages()))).isEmpty();
        }
    }

    /**
     * An EHR's core extension that no IPS or DK Core profile names is not in the subset: the validator only hints at
     * it, it is never a reason to hold; nor is another extension's value of a data type no profile uses.
     */
    @Test
    void shouldAcceptACoreExtensionNoProfileNames() throws IOException {
        String patient = Files.readString(GENERATED.resolve("Patient-patient-anna.json")).replaceFirst("\\{",
                "{\"extension\": [{\"url\": \"http://hl7.org/fhir/StructureDefinition/patient-birthPlace\","
                        + " \"valueAddress\": {\"city\": \"Slagelse\"}}, {\"url\": \"http://example.org/fhir/x\","
                        + " \"valueSampledData\": {\"origin\": {\"value\": 1}, \"period\": 1, \"dimensions\": 1}},"
                        + " {\"url\": \"http://example.org/fhir/y\", \"valueMoney\": {\"value\": 1, \"currency\": \"DKK\"}}],");

        List<SingleValidationMessage> messages = validator.validateWithResult(patient).getMessages();

        assertThat(errors(messages)).as(describe(messages)).isEmpty();
        assertThat(errors(withAllOfCore.validateWithResult(patient).getMessages())).isEmpty();
    }

    /**
     * HAPI's validator makes a new instance validator for every resource, and each reads HL7's OID registry (21,000
     * rows of {@code oidregistry.csv}), two thirds of the time of a validation. The jar ships that file with its header
     * only (the first on the class path wins): the registry only tells whether a {@code urn:oid:} URI is a known one,
     * for hints and warnings about URIs; the Danish OIDs of CPR and SOR are not in it anyway.
     */
    @Test
    void shouldReadTheOidRegistryTheJarShipsWhichIsEmpty() throws IOException {
        assertThat(new OIDUtilities().isKnownOID("urn:oid:2.16.840.1.113883.6.1")).isFalse(); // LOINC

        Patient patient = FHIR.newJsonParser().parseResource(Patient.class,
                Files.readString(GENERATED.resolve("Patient-patient-anna.json")));
        patient.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.6.1").setValue("123"); // a registered HL7 OID
        List<SingleValidationMessage> messages = validator.validateWithResult(
                FHIR.newJsonParser().encodeResourceToString(patient)).getMessages();
        assertThat(errors(messages)).as(describe(messages)).isEmpty();
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
