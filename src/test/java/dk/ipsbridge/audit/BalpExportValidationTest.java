package dk.ipsbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The export against IHE BALP 1.1.5 ({@code src/test/resources/audit/ihe.iti.balp-1.1.5.tgz}, which has no snapshots)
 * with HAPI's instance validator: every event validates against the profile in its {@code meta.profile}. The IPS
 * CodeSystems of {@code fhir-profiles/} are loaded too, so purpose and category codes are checked, not just tolerated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BalpExportValidationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private FhirValidator validator;
    private final BalpExport export = new BalpExport(FHIR);

    @BeforeAll
    void buildValidator() throws IOException {
        NpmPackageValidationSupport balp = new NpmPackageValidationSupport(FHIR);
        balp.loadPackageFromClasspath("classpath:audit/ihe.iti.balp-1.1.5.tgz");
        PrePopulatedValidationSupport ips = new PrePopulatedValidationSupport(FHIR);
        for (String codeSystem : List.of("CodeSystem-ips.json", "CodeSystem-ips-data-category.json")) {
            try (InputStream json = getClass().getResourceAsStream("/fhir-profiles/" + codeSystem)) {
                ips.addCodeSystem(FHIR.newJsonParser().parseResource(json));
            }
        }
        // the chain caches itself (HAPI 8 deprecated CachingValidationSupport)
        ValidationSupportChain chain = new ValidationSupportChain(
                ValidationSupportChain.CacheConfiguration.defaultValues(),
                new DefaultProfileValidationSupport(FHIR),
                balp,
                ips,
                new SnapshotGeneratingValidationSupport(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR));
        validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    /** Validates the raw JSON (HAPI's parser would reject some invalid codes before the validator sees them). */
    private List<SingleValidationMessage> validate(AuditEvent event) {
        return validator.validateWithResult(export.encode(event)).getMessages();
    }

    private static List<SingleValidationMessage> errors(List<SingleValidationMessage> messages) {
        return messages.stream().filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                || m.getSeverity() == ResultSeverityEnum.FATAL).toList();
    }

    private static String describe(List<SingleValidationMessage> messages) {
        // the synthetic CPR numbers stay out of the output all the same
        return messages.stream().map(m -> m.getSeverity() + " " + m.getLocationString() + ": "
                + m.getMessage().replaceAll("\\d{10}", "<cpr>")).collect(Collectors.joining("\n"));
    }

    private List<AuditEvent> events(List<AuditFact> facts) {
        return export.toBundle(facts, AuditFacts.SETTINGS).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource()).toList();
    }

    @Test
    void shouldValidateEveryEventOfAVariedExportWithoutErrors() {
        List<AuditEvent> events = events(AuditFacts.varied());
        assertThat(events).hasSize(14);

        Map<String, Integer> warningsByEvent = new TreeMap<>();
        for (AuditEvent event : events) {
            List<SingleValidationMessage> messages = validate(event);
            assertThat(errors(messages)).as("%s:\n%s", event.getIdElement().getIdPart(), describe(messages)).isEmpty();
            List<SingleValidationMessage> warnings = messages.stream()
                    .filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING).toList();
            warningsByEvent.put(event.getIdElement().getIdPart(), warnings.size());
            if (!warnings.isEmpty()) {
                System.out.println(event.getIdElement().getIdPart() + " warnings:\n" + describe(warnings));
            }
        }
        System.out.println("BALP validation: " + events.size() + " events, 0 errors, "
                + warningsByEvent.values().stream().mapToInt(Integer::intValue).sum() + " warnings " + warningsByEvent);
    }

    @Test
    void shouldValidateTheWholeBundleWithoutErrors() {
        List<SingleValidationMessage> messages = validator.validateWithResult(
                export.toJson(AuditFacts.varied(), AuditFacts.SETTINGS)).getMessages();
        assertThat(errors(messages)).as(describe(messages)).isEmpty();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TheValidatorReallyChecksTheProfile {

        private void assertRejected(AuditEvent event, String expectedError) {
            assertThat(errors(validate(event))).extracting(SingleValidationMessage::getMessage)
                    .anySatisfy(message -> assertThat(message).contains(expectedError));
        }

        private AuditEvent authz() {
            return events(List.of(AuditFacts.held(1, "consent-withdrawn"))).get(0);
        }

        @Test
        void shouldRejectAnAuthZconsentEventWithoutPatientEntity() {
            AuditEvent event = authz();
            event.getEntity().removeIf(e -> "1".equals(e.getType().getCode()));

            assertRejected(event, "Slice 'AuditEvent.entity:patient'");
        }

        @Test
        void shouldRejectAnAuthZconsentEventWithTheWrongType() {
            AuditEvent event = authz();
            event.setType(new Coding(AuditParts.DCM, "110106", "Export"));

            assertRejected(event, "fixed to '110113'");
        }

        @Test
        void shouldRejectAnAuthorizerThatIsNotTheObserver() {
            AuditEvent event = authz();
            event.getSource().getObserver().getIdentifier().setValue("someone-else");

            assertRejected(event, "val-audit-source");
        }

        @Test
        void shouldRejectADisclosureWithoutRecipientNetwork() {
            AuditEvent event = events(List.of(AuditFacts.shared(1))).get(1);
            event.getAgent().stream().filter(a -> "110152".equals(a.getType().getCodingFirstRep().getCode()))
                    .forEach(a -> a.setNetwork(null));

            assertRejected(event, "AuditEvent.agent:recipient.network");
        }

        @Test
        void shouldRejectAPatientQueryWithoutQueryEntity() {
            AuditEvent event = events(List.of(AuditFacts.officerSearch(1))).get(0);
            event.getEntity().removeIf(e -> e.hasQuery());

            assertRejected(event, "Slice 'AuditEvent.entity:query'");
        }

        @Test
        void shouldRejectAnUnknownDataCategory() {
            AuditEvent event = events(List.of(AuditFacts.shared(1))).get(1);
            event.getEntity().stream().filter(e -> e.hasSecurityLabel())
                    .forEach(e -> e.addSecurityLabel(new Coding(dk.ipsbridge.patient.IpsCodes.CATEGORY_SYSTEM, "salary",
                            null)));

            assertRejected(event, "ips-data-category#salary");
        }
    }
}
