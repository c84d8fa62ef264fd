package dk.ipsbridge.testkit.ehr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dk.ipsbridge.testkit.ehr.SubscriptionNotifier.Mode;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mock EHR's Subscription, against a recording endpoint: each mode's requests, and the switches. */
class SubscriptionNotifierTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final MockEhr ehr = new MockEhr();
    private final WireMockServer endpoint = new WireMockServer(options().dynamicPort().bindAddress("localhost"));

    SubscriptionNotifierTest() {
        endpoint.start();
        endpoint.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        ehr.close();
        endpoint.stop();
    }

    @Test
    void shouldNotifyTheWayARestHookDoes() {
        SubscriptionNotifier notifier = notifier(Mode.REST_HOOK_EMPTY);
        ehr.store(IpsFixtures.consent("c1", "p1").build());
        notifier.mode(Mode.REST_HOOK_PAYLOAD);
        ehr.store(IpsFixtures.consent("c1", "p1").build());

        List<LoggedRequest> requests = requests();
        assertThat(requests.get(0).getMethod().getName()).isEqualTo("POST");
        assertThat(requests.get(0).getUrl()).isEqualTo("/fhir/notify/ehr");
        assertThat(requests.get(0).getBody()).isEmpty();
        assertThat(requests.get(1).getMethod().getName()).isEqualTo("PUT");
        assertThat(requests.get(1).getUrl()).isEqualTo("/fhir/notify/ehr/Consent/c1");
        assertThat(requests.get(1).getBodyAsString()).contains("\"resourceType\":\"Consent\"", "\"versionId\":\"2\"");
        assertThat(requests).allSatisfy(r -> assertThat(r.getHeader("Authorization")).startsWith("Basic "));
        assertThat(notifier.statuses()).containsExactly(200, 200);
    }

    @Test
    void shouldSendBackportBundlesWithTheContentAsked() {
        SubscriptionNotifier notifier = notifier(Mode.BACKPORT_FULL_RESOURCE);
        ehr.store(IpsFixtures.consent("c1", "p1").build());
        notifier.mode(Mode.BACKPORT_ID_ONLY);
        ehr.store(IpsFixtures.consent("c2", "p2").build());
        notifier.mode(Mode.BACKPORT_EMPTY);
        ehr.store(IpsFixtures.consent("c3", "p3").build());

        List<Bundle> bundles = bundles();
        assertThat(bundles).allSatisfy(b -> {
            assertThat(b.getType()).isEqualTo(Bundle.BundleType.HISTORY);
            assertThat(b.getEntryFirstRep().getResource()).isInstanceOf(Parameters.class);
        });
        assertThat(bundles.get(0).getEntry()).hasSize(2);
        assertThat(bundles.get(0).getEntry().get(1).getResource().getIdElement().getIdPart()).isEqualTo("c1");
        assertThat(bundles.get(1).getEntry()).hasSize(2);
        assertThat(bundles.get(1).getEntry().get(1).getResource()).as("id-only").isNull();
        assertThat(bundles.get(1).getEntry().get(1).getFullUrl()).isEqualTo(ehr.baseUrl() + "/Consent/c2");
        assertThat(bundles.get(2).getEntry()).as("empty").hasSize(1);
        assertThat(bundles).extracting(b -> status(b).getParameter("events-since-subscription-start").getValue()
                .primitiveValue()).containsExactly("1", "2", "3");
        assertThat(((Reference) status(bundles.get(0)).getParameter("subscription").getValue()).getReference())
                .isEqualTo(ehr.baseUrl() + "/Subscription/" + SubscriptionNotifier.SUBSCRIPTION_ID);
    }

    @Test
    void shouldDuplicateReorderAndDropWhenAsked() {
        SubscriptionNotifier notifier = notifier(Mode.BACKPORT_ID_ONLY);
        notifier.duplicate(true);
        ehr.store(IpsFixtures.consent("c1", "p1").build()); // 1, twice
        notifier.duplicate(false).reorder(true);
        ehr.store(IpsFixtures.consent("c2", "p2").build()); // 2, held
        ehr.store(IpsFixtures.consent("c3", "p3").build()); // 3, then 2
        notifier.reorder(false).dropNext(1);
        ehr.store(IpsFixtures.consent("c4", "p4").build()); // 4, lost
        notifier.heartbeat();

        assertThat(bundles()).extracting(b -> status(b).getParameter("events-since-subscription-start").getValue()
                .primitiveValue()).containsExactly("1", "1", "3", "2", "4");
        assertThat(bundles()).extracting(b -> status(b).getParameter("type").getValue().primitiveValue())
                .containsExactly("event-notification", "event-notification", "event-notification",
                        "event-notification", "heartbeat");
        assertThat(notifier.eventsSinceStart()).isEqualTo(4);
    }

    private SubscriptionNotifier notifier(Mode mode) {
        return new SubscriptionNotifier("http://localhost:" + endpoint.port() + "/fhir/notify/ehr", "ehr", "secret",
                mode).attachTo(ehr);
    }

    /** In the order sent (WireMock lists the newest first). */
    private List<LoggedRequest> requests() {
        List<LoggedRequest> requests = new ArrayList<>(endpoint.getAllServeEvents().stream().map(e -> e.getRequest())
                .toList());
        Collections.reverse(requests);
        return requests;
    }

    private List<Bundle> bundles() {
        return requests().stream().map(r -> FHIR.newJsonParser().parseResource(Bundle.class, r.getBodyAsString()))
                .toList();
    }

    private static Parameters status(Bundle bundle) {
        return (Parameters) bundle.getEntryFirstRep().getResource();
    }
}
