package dk.ipsbridge.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The IPS FHIR package ({@code fhir-profiles/}: SUSHI's StructureDefinitions, ValueSets and CodeSystems, shipped in
 * the jar) with FHIR R4 core ({@code CoreSubset}) and DK Core 3.7.0 (and the one definition of DK Core's dependencies
 * an IPS resource meets, the {@code address-official} extension: {@code fhir-profiles/packages/README.md}), as one HAPI
 * validator. Codes of systems the validator does not hold (LOINC, SNOMED CT, DK Core's terminology dependencies) are
 * warnings, not errors: the adapter has no terminology server, and what it acts on is in its own code systems, which
 * are complete.
 */
public final class IpsProfiles {

    /** The canonical of the IPS profiles: {@code <CANONICAL><id>}, e.g. {@code .../ips-consent}. */
    public static final String CANONICAL = "http://ipsbridge.dk/fhir/StructureDefinition/";

    private static final String DK_CORE = "classpath:fhir-profiles/packages/hl7.fhir.dk.core-3.7.0.tgz";

    private IpsProfiles() {
    }

    /**
     * A validator against the IPS package, DK Core and R4 core (thread-safe; building it takes seconds, the first
     * validation more: build one and keep it). R4 core is the part the IPS profiles reach ({@link CoreSubset}).
     *
     * @param more further packages
     */
    public static FhirValidator validator(FhirContext fhir, IValidationSupport... more) {
        return validatorOver(fhir, CoreSubset.load(fhir), more);
    }

    /** A validator over this R4 core support (the subset, or for a test HAPI's full R4 core). */
    static FhirValidator validatorOver(FhirContext fhir, IValidationSupport core, IValidationSupport... more) {
        List<IValidationSupport> supports = new ArrayList<>();
        supports.add(core);
        supports.addAll(packages(fhir));
        supports.addAll(List.of(more));
        supports.add(new SnapshotGeneratingValidationSupport(fhir));
        supports.add(new InMemoryTerminologyServerValidationSupport(fhir));
        supports.add(new CommonCodeSystemsTerminologyService(fhir));
        UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(fhir);
        unknown.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        supports.add(unknown);
        // the chain caches itself (HAPI 8 deprecated CachingValidationSupport)
        ValidationSupportChain chain = new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.defaultValues(),
                supports.toArray(IValidationSupport[]::new));
        return fhir.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    /** DK Core, the one definition of its dependencies an IPS resource meets, and the IPS package. */
    static List<IValidationSupport> packages(FhirContext fhir) {
        return List.of(dkCore(fhir),
                conformance(fhir, "classpath*:fhir-profiles/packages/*.json", "DK Core's dependencies"),
                conformance(fhir, "classpath*:fhir-profiles/*.json", "the IPS FHIR package"));
    }

    private static IValidationSupport dkCore(FhirContext fhir) {
        PrePopulatedValidationSupport dkCore = new PrePopulatedValidationSupport(fhir);
        try (InputStream tgz = new PathMatchingResourcePatternResolver().getResource(DK_CORE).getInputStream()) {
            NpmPackage npm = NpmPackage.fromPackage(tgz);
            for (String file : npm.listResources("StructureDefinition", "ValueSet", "CodeSystem")) {
                try (InputStream json = npm.loadResource(file)) {
                    dkCore.addResource(CoreSubset.lean(fhir.newJsonParser().parseResource(json)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("DK Core 3.7.0 is not in the jar", e);
        }
        return dkCore;
    }

    /** The conformance resources of these JSON files of the jar. */
    private static IValidationSupport conformance(FhirContext fhir, String pattern, String what) {
        PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(fhir);
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources(pattern);
            if (files.length == 0) {
                throw new IllegalStateException(what + " (" + pattern + ") is not in the jar");
            }
            for (Resource file : files) {
                try (InputStream json = file.getInputStream()) {
                    support.addResource(CoreSubset.lean(fhir.newJsonParser().parseResource(json)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + " could not be read", e);
        }
        return support;
    }
}
