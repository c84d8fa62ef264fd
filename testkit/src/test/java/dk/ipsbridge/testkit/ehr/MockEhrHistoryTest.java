package dk.ipsbridge.testkit.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code _history} of an instance, a type and the system, as a FHIR R4 server (HAPI JPA) answers it. */
class MockEhrHistoryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private final MockEhr ehr = new MockEhr().clock(Clock.fixed(T0, ZoneOffset.UTC));
    private final EhrHttp http = new EhrHttp(ehr);

    @AfterEach
    void stop() {
        ehr.close();
    }

    @Test
    void shouldListEveryVersionOfAnInstanceNewestFirstWithTheDeletion() {
        ehr.store(consent("k1"));
        ehr.store(consent("k1"));
        ehr.delete("Consent", "k1");

        Bundle history = http.read("/Consent/k1/_history", Bundle.class);

        assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(history.getTotal()).isEqualTo(3);
        assertThat(history.getEntry()).allSatisfy(e -> assertThat(e.getFullUrl()).isEqualTo(ehr.baseUrl()
                + "/Consent/k1"));
        assertThat(history.getEntry()).extracting(e -> e.getRequest().getMethod())
                .containsExactly(HTTPVerb.DELETE, HTTPVerb.PUT, HTTPVerb.POST);
        assertThat(history.getEntry()).extracting(e -> e.getRequest().getUrl())
                .containsExactly("Consent/k1", "Consent/k1", "Consent");
        assertThat(history.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("200 OK", "200 OK", "201 Created");
        assertThat(history.getEntry()).extracting(e -> e.getResponse().getEtag())
                .containsExactly("W/\"3\"", "W/\"2\"", "W/\"1\"");
        assertThat(history.getEntry().get(0).getResource()).as("a deletion has no resource").isNull();
        assertThat(history.getEntry().get(1).getResource().getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void shouldListATypeSinceAnInstantInclusiveWithoutATotal() {
        ehr.store(consent("k1"));
        Resource second = ehr.store(consent("k2")).get(0);
        ehr.store(IpsFixtures.patient("p1", "0101901234", "Test", "Person"));
        ehr.store(consent("k1"));

        Bundle history = http.read("/Consent/_history?_since=" + since(second), Bundle.class);

        assertThat(keys(history)).containsExactly("Consent/k1/2", "Consent/k2/1");
        assertThat(history.hasTotal()).as("HAPI gives no total with _since").isFalse();
        assertThat(keys(http.read("/Consent/_history", Bundle.class))).containsExactly("Consent/k1/2", "Consent/k2/1",
                "Consent/k1/1");
    }

    @Test
    void shouldListTheWholeSystemNewestFirst() {
        ehr.store(consent("k1"));
        ehr.store(IpsFixtures.patient("p1", "0101901234", "Test", "Person"));
        ehr.delete("Consent", "k1");

        Bundle history = http.read("/_history", Bundle.class);

        assertThat(keys(history)).containsExactly("Consent/k1/2", "Patient/p1/1", "Consent/k1/1");
        assertThat(history.getTotal()).isEqualTo(3);
    }

    @Test
    void shouldPageWithCountAndNextLinksLikeASearch() {
        for (int i = 0; i < 7; i++) {
            ehr.store(consent("k" + i));
        }
        List<String> seen = new ArrayList<>();
        Bundle page = http.read("/Consent/_history?_count=3", Bundle.class);
        int pages = 0;
        while (true) {
            pages++;
            assertThat(page.getType()).isEqualTo(Bundle.BundleType.HISTORY);
            assertThat(page.getLink("self").getUrl()).contains("_bundletype=history");
            seen.addAll(keys(page));
            if (page.getLink("next") == null) {
                break;
            }
            page = http.read(page.getLink("next").getUrl(), Bundle.class);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("Consent/k6/1", "Consent/k5/1", "Consent/k4/1", "Consent/k3/1",
                "Consent/k2/1", "Consent/k1/1", "Consent/k0/1");
    }

    @Test
    void shouldAnswerAnUnknownInstanceAndABadSinceWithAnOperationOutcome() {
        EhrHttp.Answer unknown = http.get("/Consent/nope/_history");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body(OperationOutcome.class).getIssueFirstRep().getCode())
                .isEqualTo(OperationOutcome.IssueType.NOTFOUND);
        assertThat(http.get("/Consent/_history?_since=yesterday").status()).isEqualTo(400);
    }

    @Test
    void shouldAnswer410ForTheVersionThatIsADeletion() {
        ehr.store(consent("k1"));
        ehr.delete("Consent", "k1");
        assertThat(http.get("/Consent/k1/_history/1").status()).isEqualTo(200);
        assertThat(http.get("/Consent/k1/_history/2").status()).isEqualTo(410);
        assertThat(http.get("/Consent/k1/_history/3").status()).isEqualTo(404);
    }

    private static Consent consent(String id) {
        return IpsFixtures.consent(id, "p1").recipient("Organization/jc-a").categories("contact").givenAt(T0).build();
    }

    private static String since(Resource version) {
        return URLEncoder.encode(version.getMeta().getLastUpdatedElement().getValueAsString(), StandardCharsets.UTF_8);
    }

    /** {@code Type/id/version} of each entry, from the full URL and the ETag (a deletion has no resource). */
    private static List<String> keys(Bundle history) {
        return history.getEntry().stream().map(MockEhrHistoryTest::key).toList();
    }

    private static String key(BundleEntryComponent e) {
        String version = e.getResponse().getEtag().replaceAll("[^0-9]", "");
        return e.getFullUrl().substring(e.getFullUrl().indexOf("/fhir/") + 6) + "/" + version;
    }
}
