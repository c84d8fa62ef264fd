package dk.ipsbridge.testkit.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Seeding the mock EHR from fixture files: resources, collections, transactions, a directory. */
class MockEhrLoadTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final MockEhr ehr = new MockEhr();

    @AfterEach
    void stop() {
        ehr.close();
    }

    @Test
    void shouldLoadEveryJsonFileOfADirectoryAndResolveUrnUuidReferences() throws URISyntaxException {
        List<Resource> seen = new ArrayList<>();
        ehr.onStore(seen::add);

        List<Resource> stored = ehr.load(Path.of(getClass().getResource("/ehr-seed").toURI()));

        assertThat(stored).extracting(Resource::fhirType).containsExactly("Patient", "Consent", "Patient");
        assertThat(seen).hasSize(3);
        Patient seeded = (Patient) stored.get(0);
        assertThat(ehr.resource("Consent", "seed-k1")).hasValueSatisfying(c -> assertThat(((Consent) c).getPatient()
                .getReference()).isEqualTo("Patient/" + seeded.getIdElement().getIdPart()));
        assertThat(ehr.resource("Patient", "seed-p2")).isPresent();
    }

    @Test
    void shouldLoadASingleResourceAndATransactionFromAStream() {
        ehr.load(json(IpsFixtures.patient("p1", "0101901234", "Test", "Person")));
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry().setResource(IpsFixtures.patient("p1", "0101901234", "Test", "Persson")).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/p1");

        List<Resource> stored = ehr.load(json(tx));

        assertThat(stored).singleElement().satisfies(p -> assertThat(p.getMeta().getVersionId()).isEqualTo("2"));
    }

    @Test
    void shouldLoadNothingOfABundleWhoseEntryFails() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry().setResource(IpsFixtures.patient("p1", "0101901234", "Test", "Person")).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/p1");
        tx.addEntry().setResource(IpsFixtures.patient("p2", "0101901234", "Test", "Person")).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/p3");

        assertThatThrownBy(() -> ehr.load(json(tx))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Entry 1");
        assertThat(ehr.resources("Patient")).isEmpty();
    }

    @Test
    void shouldRefuseWhatIsNotFhirJsonOrABundleOfAnotherType() {
        assertThatThrownBy(() -> ehr.load(new ByteArrayInputStream("{\"not\":\"fhir\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ehr.load(json(new Bundle().setType(Bundle.BundleType.HISTORY))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history");
    }

    private static InputStream json(Resource resource) {
        return new ByteArrayInputStream(FHIR.newJsonParser().encodeResourceToString(resource)
                .getBytes(StandardCharsets.UTF_8));
    }
}
