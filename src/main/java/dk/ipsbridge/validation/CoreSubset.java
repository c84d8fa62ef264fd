package dk.ipsbridge.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * FHIR R4 core for the validator, as the IPS profiles need it, instead of all of it at once. HAPI's
 * {@link DefaultProfileValidationSupport} parses every core StructureDefinition, ValueSet and CodeSystem and keeps them
 * in a static cache its {@code flush()} does not empty; the validator adds an R5 copy of each: 206 MB of heap after the
 * first validation, more than the adapter's 512 MB installation has to spare. Instead:
 * <ul>
 * <li>{@value #RESOURCE}, loaded with the validator: the closure of the IPS package, DK Core, R4's Patient and every
 * data type (an extension's value may be of any) over
 * base definitions, element types and their profiles, bindings (required, extensible, preferred) and the code
 * systems and value sets those include;</li>
 * <li>{@value #BY_TYPE}{@code <Type>.json.gz} for every other resource type: its definition and what it reaches beyond
 * the first file, loaded the first time the validator asks for the type (a contained resource, a typed reference's
 * target profiles).</li>
 * </ul>
 * Every definition without its narrative, mappings and comments, which validation never reads. Not included: core
 * extensions no profile names (the validator only hints at an unknown extension). {@code CoreSubsetTest} computes
 * both from HAPI's full R4 core and compares them with the shipped files (and writes them, with
 * {@code -Dips.core-subset.write=true}); {@code IpsProfilesTest} shows that the validator finds the same errors as
 * with the full core.
 */
final class CoreSubset extends PrePopulatedValidationSupport {

    static final String RESOURCE = "/fhir-validation/r4-core-subset.json";
    static final String BY_TYPE = "/fhir-validation/r4-core-by-type/";
    private static final String CORE_SD = "http://hl7.org/fhir/StructureDefinition/";

    private final FhirContext fhir;
    private final Set<String> typesLoaded = new HashSet<>();

    private CoreSubset(FhirContext fhir) {
        super(fhir);
        this.fhir = fhir;
    }

    /** The shipped subset, as a validation support that loads another resource type's definitions when asked. */
    static IValidationSupport load(FhirContext fhir) {
        CoreSubset subset = new CoreSubset(fhir);
        subset.addAll(read(fhir, RESOURCE));
        return subset;
    }

    @Override
    public synchronized IBaseResource fetchStructureDefinition(String url) {
        IBaseResource known = super.fetchStructureDefinition(url);
        if (known == null && url != null && url.startsWith(CORE_SD)) {
            String type = url.substring(CORE_SD.length());
            if (type.matches("[A-Z][A-Za-z]{1,63}") && typesLoaded.add(type)) {
                Bundle definitions = read(fhir, BY_TYPE + type + ".json.gz");
                if (definitions != null) {
                    addAll(definitions);
                    known = super.fetchStructureDefinition(url);
                }
            }
        }
        return known;
    }

    @Override
    public synchronized IBaseResource fetchValueSet(String url) {
        return super.fetchValueSet(url);
    }

    @Override
    public synchronized IBaseResource fetchCodeSystem(String url) {
        return super.fetchCodeSystem(url);
    }

    @Override
    public synchronized <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
        return super.fetchAllStructureDefinitions();
    }

    @Override
    public synchronized List<IBaseResource> fetchAllConformanceResources() {
        return super.fetchAllConformanceResources();
    }

    @Override
    public synchronized boolean isCodeSystemSupported(ValidationSupportContext context, String system) {
        return super.isCodeSystemSupported(context, system);
    }

    @Override
    public synchronized boolean isValueSetSupported(ValidationSupportContext context, String url) {
        return super.isValueSetSupported(context, url);
    }

    @Override
    public String getName() {
        return "IPS Bridge's R4 core subset";
    }

    /** Each definition not yet held (a type's file repeats what another type's may hold). */
    private void addAll(Bundle definitions) {
        for (Bundle.BundleEntryComponent entry : definitions.getEntry()) {
            String url = ((MetadataResource) entry.getResource()).getUrl();
            if (super.fetchStructureDefinition(url) == null && super.fetchValueSet(url) == null
                    && super.fetchCodeSystem(url) == null) {
                addResource(entry.getResource());
            }
        }
    }

    /** The Bundle of definitions in this file of the jar, or null when there is none. */
    private static Bundle read(FhirContext fhir, String resource) {
        try (InputStream json = CoreSubset.class.getResourceAsStream(resource)) {
            if (json == null) {
                if (resource.equals(RESOURCE)) {
                    throw new IllegalStateException(RESOURCE + " is not in the jar");
                }
                return null;
            }
            return fhir.newJsonParser().parseResource(Bundle.class,
                    resource.endsWith(".gz") ? new GZIPInputStream(json) : json);
        } catch (IOException e) {
            throw new UncheckedIOException(resource + " could not be read", e);
        }
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
