package dk.ipsbridge.consent;

import static dk.ipsbridge.consent.GateScenario.ORG_A;
import static dk.ipsbridge.consent.GateScenario.recipient;
import static dk.ipsbridge.consent.GateScenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;
import java.util.Map;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.patient.IpsCodes;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The twelve official R4 Consent examples ({@code src/test/resources/r4-examples}, from {@code hl7.fhir.r4.examples}
 * 4.0.1): the gate reads each without error. None is an IPS data-sharing consent, so none shares; wrapped as one,
 * each still decides, and the tables say on what.
 */
class R4ConsentExamplesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /**
     * Each example wrapped as an IPS consent, named recipient jobcenter A, missing root type read as permit, action
     * disclose added, and decided at its own {@code dateTime} (so that the one-year lapse is not what decides).
     */
    private static final Map<String, String> COMPLETED_FOR_JOBCENTER_A = Map.ofEntries(
            Map.entry("consent-example-Emergency", "hold jc-a CONSENT_DENIED"), // policyRule OPTOUT
            Map.entry("consent-example-Out", "hold jc-a CONSENT_DENIED"), // policyRule OPTOUT
            Map.entry("consent-example-basic", "hold jc-a CONSENT_EXPIRED"), // period ended before dateTime
            Map.entry("consent-example-grantor", "hold jc-a CONSENT_DENIED"), // policyRule OPTOUT
            Map.entry("consent-example-notAuthor", "share jc-a - Practitioner/p1"), // no codes: identity only
            Map.entry("consent-example-notOrg", "hold jc-a CONSENT_DENIED"), // root provision deny
            Map.entry("consent-example-notThem", "share jc-a - Practitioner/p1"),
            Map.entry("consent-example-notThis", "hold jc-a CONSENT_UNREADABLE"), // provision.data
            Map.entry("consent-example-notTime", "hold jc-a CONSENT_EXPIRED"),
            Map.entry("consent-example-pkb", "hold jc-a CONSENT_DENIED"), // policyRule OPTOUT
            Map.entry("consent-example-signature", "share jc-a - Practitioner/p1"), // nested permit names an author
            // its period ends at 09:32 on its own day: the last day in force is the day before (expiresOn)
            Map.entry("consent-example-smartonfhir", "hold jc-a CONSENT_EXPIRED"));

    /**
     * Each example wrapped as an IPS consent but naming no recipient: it applies to every jobcenter (C5), so what
     * stops it is reported for all of them (jobcenter null). A root provision without type is unreadable (C10).
     */
    private static final Map<String, String> WRAPPED = Map.ofEntries(
            Map.entry("consent-example-Emergency", "hold null CONSENT_DENIED"), // policyRule OPTOUT
            Map.entry("consent-example-Out", "hold null CONSENT_DENIED"),
            Map.entry("consent-example-basic", "hold null CONSENT_UNREADABLE"),
            Map.entry("consent-example-grantor", "hold null CONSENT_DENIED"),
            Map.entry("consent-example-notAuthor", "hold null CONSENT_UNREADABLE"),
            Map.entry("consent-example-notOrg", "hold null CONSENT_DENIED"), // root provision deny
            Map.entry("consent-example-notThem", "hold null CONSENT_UNREADABLE"),
            Map.entry("consent-example-notThis", "hold null CONSENT_UNREADABLE"),
            Map.entry("consent-example-notTime", "hold null CONSENT_UNREADABLE"),
            Map.entry("consent-example-pkb", "hold null CONSENT_DENIED"),
            Map.entry("consent-example-signature", "hold null CONSENT_UNREADABLE"),
            Map.entry("consent-example-smartonfhir", "hold null CONSENT_UNREADABLE"));

    @Test
    void shouldFindExactlyTheTwelveExamples() {
        assertThat(examples()).hasSize(12);
        assertThat(examples().map(a -> ((Consent) ((Named<?>) a.get()[0]).getPayload()).getIdElement().getIdPart()))
                .containsExactlyInAnyOrderElementsOf(COMPLETED_FOR_JOBCENTER_A.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldShareNothingOnAConsentThatIsNotAnIpsConsent(Consent example) {
        assertThat(scenario().consents(example).decide()).map(GateScenario::summary)
                .containsExactly("hold null NO_CONSENT");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldHoldTheExampleWrappedAsAnIpsConsentForEveryJobcenterAsItNamesNoInformationRecipient(Consent example) {
        assertThat(scenario().consents(asIpsConsent(example)).decide()).map(GateScenario::summary)
                .containsExactly(WRAPPED.get(example.getIdElement().getIdPart()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldDecideTheExampleCompletedAsAnIpsConsentForJobcenterA(Consent example) {
        Consent completed = completedForJobcenterA(example);
        GateScenario scenario = scenario().at(FhirTime.first(completed.getDateTimeElement())).consents(completed);

        assertThat(scenario.decide()).map(GateScenario::summary)
                .containsExactly(COMPLETED_FOR_JOBCENTER_A.get(example.getIdElement().getIdPart()));
        ConsentGate gate = new ConsentGate(GateScenario::configuredJobcenter, Period.ofMonths(12));
        for (ConsentAction action : ConsentAction.values()) {
            for (DataCategory category : DataCategory.values()) {
                // identity at most: none of them ticks a data category
                assertThat(gate.verdict(scenario.snapshot(), "jc-a", action, category,
                        FhirTime.first(completed.getDateTimeElement())).permitted()).isFalse();
            }
        }
    }

    static Stream<Arguments> examples() {
        try (Stream<Path> files = Files.list(Path.of(R4ConsentExamplesTest.class.getResource("/r4-examples").toURI()))) {
            return files.filter(f -> f.getFileName().toString().matches("Consent-.*\\.json")).sorted()
                    .map(R4ConsentExamplesTest::read)
                    .map(c -> Arguments.of(Named.of(c.getIdElement().getIdPart(), c)))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Consent read(Path file) {
        try {
            return FHIR.newJsonParser().parseResource(Consent.class, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code example} with the patient-privacy scope and the IPS data-sharing category. */
    private static Consent asIpsConsent(Consent example) {
        Consent copy = example.copy();
        copy.setScope(new CodeableConcept(new Coding(IpsCodes.CONSENT_SCOPE_SYSTEM, IpsCodes.PATIENT_PRIVACY, null)));
        copy.addCategory(new CodeableConcept(new Coding(IpsCodes.IPS_SYSTEM, IpsCodes.IPS_DATA_SHARING, null)));
        return copy;
    }

    /** As an IPS consent, naming jobcenter A, a missing root type read as permit, and action disclose added. */
    private static Consent completedForJobcenterA(Consent example) {
        Consent consent = asIpsConsent(example);
        Consent.ProvisionComponent root = consent.getProvision();
        recipient(root, ORG_A);
        if (!root.hasType()) {
            root.setType(Consent.ConsentProvisionType.PERMIT);
        }
        root.addAction(new CodeableConcept(new Coding(IpsCodes.CONSENT_ACTION_SYSTEM, IpsCodes.DISCLOSE, null)));
        return consent;
    }
}
