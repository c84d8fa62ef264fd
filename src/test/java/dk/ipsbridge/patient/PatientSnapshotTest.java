package dk.ipsbridge.patient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class PatientSnapshotTest {

    private final Organization jobcenter = (Organization) new Organization().setId("jc-a");

    @Test
    void shouldResolveAbsoluteAndVersionedReferencesToTheSameResource() {
        // as the loader keeps what it read through an absolute reference to the source's own base
        PatientSnapshot snapshot = snapshot(Map.of("Organization/jc-a", jobcenter,
                "https://ehr.example/fhir/Organization/jc-a", jobcenter));

        assertThat(snapshot.resolve(new Reference("https://ehr.example/fhir/Organization/jc-a/_history/3"), null))
                .containsSame(jobcenter);
        assertThat(snapshot.resolve(new Reference("Organization/jc-a/_history/3"), null)).containsSame(jobcenter);
        assertThat(snapshot.resolve(new Reference("Organization/jc-a"), null)).containsSame(jobcenter);
    }

    @Test
    void shouldNotTakeAnotherServersResourceForTheLocalOneOfTheSameId() { // C8
        PatientSnapshot snapshot = snapshot(Map.of("Organization/jc-a", jobcenter));

        assertThat(snapshot.resolve(new Reference("https://other.example/fhir/Organization/jc-a"), null)).isEmpty();
    }

    @Test
    void shouldResolveContainedReferenceFromItsContainer() {
        Consent consent = new Consent();
        consent.addContained(new Organization().setId("org1"));

        assertThat(snapshot(Map.of()).resolve(new Reference("#org1"), consent)).isPresent();
        assertThat(snapshot(Map.of()).resolve(new Reference("#other"), consent)).isEmpty();
    }

    @Test
    void shouldNotResolveWhatWasNotRead() {
        assertThat(snapshot(Map.of()).resolve(new Reference("Organization/unknown"), null)).isEmpty();
        assertThat(snapshot(Map.of()).resolve(new Reference(), null)).isEmpty();
    }

    private static PatientSnapshot snapshot(Map<String, org.hl7.fhir.r4.model.Resource> refs) {
        Patient patient = new Patient();
        patient.setId("p1");
        return new PatientSnapshot("ehr", patient, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), refs);
    }
}
