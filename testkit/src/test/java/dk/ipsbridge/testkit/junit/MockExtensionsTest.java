package dk.ipsbridge.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extensions as another team uses them: one EHR for the class, a fresh jobcenter per test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MockExtensionsTest {

    @RegisterExtension
    static final MockEhrExtension EHR = new MockEhrExtension();

    @RegisterExtension
    final MockJobcenterExtension aarhus = new MockJobcenterExtension("jobcenter-a", "Jobcenter Aarhus");

    private static MockEhr firstEhr;
    private static MockJobcenter firstJobcenter;

    @Test
    @Order(1)
    void shouldServeTheFirstTest(MockEhr ehr) throws Exception {
        firstEhr = ehr;
        ehr.store(IpsFixtures.patient("p1", "0101901234", "Anna", "Test"));
        assertThat(get(ehr.baseUrl() + "/Patient/p1")).isEqualTo(200);

        aarhus.jobcenter().failNext(503, 1);
        assertThat(get(aarhus.jobcenter().baseUrl() + "/outcomes")).isEqualTo(503);
        firstJobcenter = aarhus.jobcenter();
    }

    @Test
    @Order(2)
    void shouldGiveTheNextTestTheSameEhrEmptiedAndItsOwnJobcenter() throws Exception {
        assertThat(EHR.ehr()).isSameAs(firstEhr);
        assertThat(EHR.ehr().resources(Patient.class)).isEmpty();
        assertThat(get(EHR.ehr().baseUrl() + "/Patient/p1")).isEqualTo(404);

        MockJobcenter jobcenter = aarhus.jobcenter();
        assertThat(jobcenter.requests()).isEmpty();
        assertThat(get(jobcenter.baseUrl() + "/outcomes")).isEqualTo(200); // no fault carried over
        assertThat(jobcenter).as("a new jobcenter for this test").isNotSameAs(firstJobcenter);
    }

    private static int get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
