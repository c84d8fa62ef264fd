package dk.ipsbridge.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The part of FHIR R4 core the IPS profiles reach ({@value #RESOURCE}, shipped in the jar), instead of all of it.
 * HAPI's {@link DefaultProfileValidationSupport} parses every core StructureDefinition, ValueSet and CodeSystem and
 * keeps them in a static cache its {@code flush()} does not empty; the validator adds an R5 copy of each: 221 MB of
 * heap after the first validation, more than the adapter's 512 MB installation has to spare. The subset is the closure
 * of the IPS package and DK Core over base definitions, element types and their profiles, required bindings and the
 * code systems and value sets those include, plus every core extension definition (an EHR may carry any of them),
 * each without its narrative, mappings and comments, which validation never reads. {@code CoreSubsetTest} computes
 * the closure from HAPI's full R4 core and compares it with the shipped file (and writes it, with
 * {@code -Dips.core-subset.write=true}); {@code IpsProfilesTest} shows that both find the same errors.
 */
final class CoreSubset {

    static final String RESOURCE = "/fhir-validation/r4-core-subset.json";

    private CoreSubset() {
    }

    /** The shipped subset, as a validation support. */
    static IValidationSupport load(FhirContext fhir) {
        PrePopulatedValidationSupport subset = new PrePopulatedValidationSupport(fhir);
        try (InputStream json = CoreSubset.class.getResourceAsStream(RESOURCE)) {
            if (json == null) {
                throw new IllegalStateException(RESOURCE + " is not in the jar");
            }
            fhir.newJsonParser().parseResource(Bundle.class, json).getEntry()
                    .forEach(e -> subset.addResource(e.getResource()));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " could not be read", e);
        }
        return subset;
    }

    /** The resource without what validation never reads: narrative, mappings, comments and requirements. */
    static <T extends IBaseResource> T lean(T resource) {
        if (resource instanceof DomainResource domain) {
            domain.setText(null);
        }
        if (resource instanceof StructureDefinition sd) {
            sd.getMapping().clear();
            sd.getSnapshot().getElement().forEach(CoreSubset::lean);
            sd.getDifferential().getElement().forEach(CoreSubset::lean);
        }
        return resource;
    }

    private static void lean(ElementDefinition element) {
        element.getMapping().clear();
        element.setComment(null);
        element.setRequirements(null);
    }
}
