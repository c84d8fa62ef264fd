package dk.ipsbridge.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

/**
 * The shipped R4 core subset ({@link CoreSubset}) is the closure of the IPS package and DK Core over HAPI's full R4
 * core, computed here: run with {@code -Dips.core-subset.write=true} to write it after a change of the profiles or of
 * HAPI.
 */
class CoreSubsetTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String CORE_SD = "http://hl7.org/fhir/StructureDefinition/";
    private static final Path SHIPPED = Path.of("src/main/resources" + CoreSubset.RESOURCE);

    @Test
    void shouldShipTheClosureOfTheIpsProfilesOverR4Core() throws IOException {
        String closure = FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(closure());
        if (Boolean.getBoolean("ips.core-subset.write")) {
            Files.writeString(SHIPPED, closure + "\n");
        }

        assertThat(Files.readString(SHIPPED).strip())
                .as("%s is not the closure of the profiles: run CoreSubsetTest with -Dips.core-subset.write=true", SHIPPED)
                .isEqualTo(closure.strip());
    }

    @Test
    void shouldHoldTheBaseTypesAndBindingsTheProfilesNeedButNotTheRestOfCore() {
        Map<String, Resource> byUrl = new TreeMap<>();
        closure().getEntry().forEach(e -> byUrl.put(((MetadataResource) e.getResource()).getUrl(), e.getResource()));

        assertThat(byUrl).containsKeys(CORE_SD + "Patient", CORE_SD + "Consent", CORE_SD + "DomainResource",
                CORE_SD + "Identifier", CORE_SD + "string",
                "http://hl7.org/fhir/ValueSet/consent-state-codes", "http://hl7.org/fhir/consent-state-codes");
        assertThat(byUrl).doesNotContainKeys(CORE_SD + "MedicationRequest", CORE_SD + "vitalsigns", CORE_SD + "patient-birthPlace");
        assertThat(byUrl.values()).allSatisfy(r -> assertThat(((MetadataResource) r).hasText()).isFalse());
    }

    /** The core definitions the IPS package and DK Core reach, and every core extension, lean, in URL order. */
    static Bundle closure() {
        DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(FHIR);
        Map<String, IBaseResource> found = new TreeMap<>();
        Deque<IBaseResource> todo = new ArrayDeque<>();
        for (IValidationSupport p : IpsProfiles.packages(FHIR)) {
            todo.addAll(p.fetchAllConformanceResources());
        }
        todo.add(core.fetchStructureDefinition(CORE_SD + "Patient")); // the border validates the Patient against it
        found.put(CORE_SD + "Patient", todo.getLast());
        while (!todo.isEmpty()) {
            IBaseResource next = todo.pop();
            Function<String, IBaseResource> sds = core::fetchStructureDefinition;
            if (next instanceof StructureDefinition sd) {
                follow(sd.getBaseDefinition(), sds, found, todo);
                for (ElementDefinition e : concat(sd.getSnapshot().getElement(), sd.getDifferential().getElement())) {
                    e.getType().forEach(t -> {
                        follow(t.getCode() == null || t.getCode().contains(":") ? null : CORE_SD + t.getCode(),
                                sds, found, todo);
                        t.getProfile().forEach(p -> follow(p.getValue(), sds, found, todo));
                    });
                    if (e.getBinding().getStrength() == BindingStrength.REQUIRED) {
                        follow(e.getBinding().getValueSet(), core::fetchValueSet, found, todo);
                    }
                }
            } else if (next instanceof ValueSet vs) {
                vs.getCompose().getInclude().forEach(include -> {
                    follow(include.getSystem(), core::fetchCodeSystem, found, todo);
                    include.getValueSet().forEach(v -> follow(v.getValue(), core::fetchValueSet, found, todo));
                });
            }
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        found.values().stream().map(r -> CoreSubset.lean(((Resource) r).copy()))
                .sorted(Comparator.comparing((Resource r) -> r.fhirType()).thenComparing(r -> ((MetadataResource) r).getUrl()))
                .forEach(r -> bundle.addEntry().setResource(r));
        return bundle;
    }

    private static List<ElementDefinition> concat(List<ElementDefinition> a, List<ElementDefinition> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Adds the core definition a canonical names, once, and queues it to follow its own references. */
    private static void follow(String canonical, Function<String, IBaseResource> fetch, Map<String, IBaseResource> found,
                               Deque<IBaseResource> todo) {
        if (canonical == null || canonical.isEmpty()) {
            return;
        }
        String url = canonical.contains("|") ? canonical.substring(0, canonical.indexOf('|')) : canonical;
        if (found.containsKey(url)) {
            return;
        }
        IBaseResource definition = fetch.apply(url);
        if (definition != null) {
            found.put(url, definition);
            todo.push(definition);
        }
    }
}
