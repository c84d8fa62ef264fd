package dk.ipsbridge.testkit.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import dk.ipsbridge.testkit.ehr.MockEhr;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

class BulkCohortTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void shouldGiveEveryPatientAUniqueCprWithARealBirthDate() {
        BulkCohort cohort = BulkCohort.create(NOW, 200_000);
        Set<String> cprs = new HashSet<>();
        IntStream.range(0, cohort.size()).mapToObj(cohort::cpr).forEach(cprs::add);
        assertThat(cprs).hasSize(200_000).allMatch(cpr -> cpr.matches("[0-3][0-9][01][0-9][6-9][0-9]9[0-9]{3}"));
    }

    @Test
    void shouldMakeSevenResourcesPerPatientAndWithdrawUnderTheSameId() {
        BulkCohort cohort = BulkCohort.create(NOW, 3);
        assertThat(cohort.resourcesOf(2)).extracting(r -> r.fhirType()).containsExactly("Patient", "Consent",
                "ServiceRequest", "CareTeam", "Appointment", "Appointment", "Goal");
        Consent withdrawn = cohort.withdrawnConsent(2);
        assertThat(withdrawn.getIdElement().getIdPart()).isEqualTo(cohort.resourcesOf(2).get(1).getIdElement().getIdPart());
        assertThat(withdrawn.getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
        assertThat(cohort.goal(2, 3).getDescription().getText()).endsWith(BulkCohort.changeMarker(3));
    }

    @Test
    void shouldLoadIntoTheMockEhrWhichCountsItsRequests() throws Exception {
        try (MockEhr ehr = new MockEhr()) {
            BulkCohort.create(NOW, 5).loadInto(ehr);
            assertThat(ehr.resources("Patient")).hasSize(5);
            assertThat(ehr.resources("Appointment")).hasSize(10);
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(ehr.baseUrl() + "/Patient/bulk-1")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(ehr.requestCount()).isEqualTo(1);
            ehr.reset();
            assertThat(ehr.requestCount()).isZero();
        }
    }
}
