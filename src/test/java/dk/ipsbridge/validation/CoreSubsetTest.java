package dk.ipsbridge.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

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
 * The R4 core the adapter ships ({@link CoreSubset}), computed here from HAPI's full R4 core: the closure of the IPS
 * package, DK Core, R4's Patient and every data type, and for every other resource type what it adds to that. Run with
 * {@code -Dips.core-subset.write=true} to write both after a change of the profiles or of HAPI.
 */
class CoreSubsetTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String CORE_SD = "http://hl7.org/fhir/StructureDefinition/";
    private static final Path SHIPPED = Path.of("src/main/resources" + CoreSubset.RESOURCE);
    private static final Path BY_TYPE = Path.of("src/main/resources" + CoreSubset.BY_TYPE);
    private static final boolean WRITE = Boolean.getBoolean("ips.core-subset.write");
    private static final String STALE = "%s is not the closure of the profiles: run CoreSubsetTest with "
            + "-Dips.core-subset.write=true";

    @Test
    void shouldShipTheClosureOfTheIpsProfilesOverR4Core() throws IOException {
        String closure = FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(closure());
        if (WRITE) {
            Files.writeString(SHIPPED, closure + "\n");
        }

        assertThat(Files.readString(SHIPPED).strip()).as(STALE, SHIPPED).isEqualTo(closure.strip());
    }

    @Test
    void shouldShipTheDefinitionsOfEveryOtherResourceTypeToLoadWhenMet() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        byType().forEach((type, bundle) -> expected.put(type + ".json.gz",
                FHIR.newJsonParser().encodeResourceToString(bundle) + "\n"));
        if (WRITE) {
            Files.createDirectories(BY_TYPE);
            try (Stream<Path> old = Files.list(BY_TYPE)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            for (Map.Entry<String, String> file : expected.entrySet()) {
                try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(BY_TYPE.resolve(file.getKey())))) {
                    gz.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        Map<String, String> shipped = new TreeMap<>();
        try (Stream<Path> files = Files.list(BY_TYPE)) {
            for (Path file : files.toList()) {
                try (InputStream gz = new GZIPInputStream(Files.newInputStream(file))) {
                    shipped.put(file.getFileName().toString(), new String(gz.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(shipped).as(STALE, BY_TYPE).isEqualTo(expected);
        assertThat(expected).containsKeys("QuestionnaireResponse.json.gz", "HealthcareService.json.gz", "Device.json.gz")
                .doesNotContainKeys("Consent.json.gz", "Patient.json.gz");
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

    private static final DefaultProfileValidationSupport CORE = new DefaultProfileValidationSupport(FHIR);

    /**
     * The core definitions the IPS package and DK Core reach, R4's Patient and every data type, lean, in type and URL
     * order.
     */
    static Bundle closure() {
        List<IBaseResource> seeds = new ArrayList<>();
        for (IValidationSupport p : IpsProfiles.packages(FHIR)) {
            seeds.addAll(p.fetchAllConformanceResources());
        }
        Map<String, IBaseResource> found = new TreeMap<>();
        follow(CORE_SD + "Patient", CORE::fetchStructureDefinition, found, new ArrayDeque<>()); // the border's Patient
        // every data type: an extension's value may be of any (valueSampledData, say), named or not by a profile
        CORE.<StructureDefinition>fetchAllStructureDefinitions().stream()
                .filter(sd -> (sd.getKind() == StructureDefinition.StructureDefinitionKind.PRIMITIVETYPE
                        || sd.getKind() == StructureDefinition.StructureDefinitionKind.COMPLEXTYPE)
                        && (sd.getDerivation() == StructureDefinition.TypeDerivationRule.SPECIALIZATION
                        || "Quantity".equals(sd.getType())))
                .forEach(sd -> {
                    found.put(sd.getUrl(), sd);
                    seeds.add(sd);
                });
        closeOver(seeds.stream().toList(), found);
        closeOver(List.of(found.get(CORE_SD + "Patient")), found);
        return bundle(found.values());
    }

    /**
     * For each core resource type outside {@link #closure()}: its definition and what it reaches that the closure has
     * not, loaded by the adapter only when a resource names the type (a contained resource, a typed reference).
     */
    static Map<String, Bundle> byType() {
        Map<String, IBaseResource> eager = new TreeMap<>();
        closure().getEntry().forEach(e -> eager.put(((MetadataResource) e.getResource()).getUrl(), e.getResource()));
        Map<String, Bundle> byType = new TreeMap<>();
        for (StructureDefinition sd : CORE.<StructureDefinition>fetchAllStructureDefinitions()) {
            if (sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE
                    && sd.getDerivation() == StructureDefinition.TypeDerivationRule.SPECIALIZATION
                    && !eager.containsKey(sd.getUrl())) {
                Map<String, IBaseResource> found = new TreeMap<>(eager);
                found.put(sd.getUrl(), sd);
                closeOver(List.of(sd), found);
                eager.keySet().forEach(found::remove);
                byType.put(sd.getType(), bundle(found.values()));
            }
        }
        return byType;
    }

    /** Adds to {@code found} the core definitions these resources reach. */
    private static void closeOver(List<IBaseResource> seeds, Map<String, IBaseResource> found) {
        Deque<IBaseResource> todo = new ArrayDeque<>(seeds);
        Function<String, IBaseResource> sds = CORE::fetchStructureDefinition;
        while (!todo.isEmpty()) {
            IBaseResource next = todo.pop();
            if (next instanceof StructureDefinition sd) {
                follow(sd.getBaseDefinition(), sds, found, todo);
                for (ElementDefinition e : concat(sd.getSnapshot().getElement(), sd.getDifferential().getElement())) {
                    e.getType().forEach(t -> {
                        follow(t.getCode() == null || t.getCode().contains(":") ? null : CORE_SD + t.getCode(),
                                sds, found, todo);
                        t.getProfile().forEach(p -> follow(p.getValue(), sds, found, todo));
                    });
                    if (e.getBinding().hasStrength() && BOUND.contains(e.getBinding().getStrength())) {
                        follow(e.getBinding().getValueSet(), CORE::fetchValueSet, found, todo);
                    }
                }
            } else if (next instanceof ValueSet vs) {
                vs.getCompose().getInclude().forEach(include -> {
                    follow(include.getSystem(), CORE::fetchCodeSystem, found, todo);
                    include.getValueSet().forEach(v -> follow(v.getValue(), CORE::fetchValueSet, found, todo));
                });
            }
        }
    }

    /** The bindings whose codes the validator checks: an unknown code of a known code system is an error in each. */
    private static final Set<BindingStrength> BOUND = Set.of(BindingStrength.REQUIRED, BindingStrength.EXTENSIBLE,
            BindingStrength.PREFERRED);

    private static Bundle bundle(java.util.Collection<IBaseResource> resources) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        resources.stream().map(r -> CoreSubset.lean(((Resource) r).copy()))
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
